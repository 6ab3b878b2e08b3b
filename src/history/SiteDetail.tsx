/** One site's record in full, with its deletion. */
import { ipv6Readiness, type SiteRecord } from '../core/history/siteRecord';
import { formatBytes, type FamilyCounts } from '../core/live/share';
import { t } from '../platform/i18n';
import { familyLabel } from '../ui/format';
import { lastVerdictTitle, readinessText } from './readiness';

function Counts({ counts, bytes = false }: { counts: FamilyCounts; bytes?: boolean }) {
  const show = (n: number): string => (bytes ? formatBytes(n) : String(n));
  return <>{t('familyCountsLine', [show(counts.v6), show(counts.v4), show(counts.unknown)])}</>;
}

export function SiteDetail({ record, onDelete, onClose }: { record: SiteRecord; onDelete: () => void; onClose: () => void }) {
  return (
    <section id="site-detail" data-site={record.site} aria-labelledby="site-detail-title">
      <h2 id="site-detail-title">{record.site}</h2>
      <dl>
        <dt>{t('historyFirstVisit')}</dt>
        <dd>{new Date(record.firstVisit).toLocaleString()}</dd>
        <dt>{t('historyColumnLastVisit')}</dt>
        <dd>{new Date(record.lastVisit).toLocaleString()}</dd>
        <dt>{t('historyColumnVisits')}</dt>
        <dd>{record.visits}</dd>
        <dt>{t('historyMainFamily')}</dt>
        <dd>{familyLabel(record.lastMainFamily ?? undefined)}</dd>
        <dt>{t('historyDomainsLastVisit')}</dt>
        <dd>
          <Counts counts={record.domains} />
        </dd>
        <dt>{t('historyColumnRequests')}</dt>
        <dd data-requests={`${record.requests.v6},${record.requests.v4},${record.requests.unknown}`}>
          <Counts counts={record.requests} />
        </dd>
        <dt>{t('historyBytes')}</dt>
        <dd>
          <Counts counts={record.bytes} bytes />
        </dd>
        <dt title={t('historyReadinessTitle')}>{t('historyColumnReadiness')}</dt>
        <dd>{readinessText(ipv6Readiness(record))}</dd>
        <dt>{t('historyColumnVerdict')}</dt>
        <dd data-last-verdict={record.lastReadiness?.verdict ?? ''}>{lastVerdictTitle(record) ?? t('historyNoVerdict')}</dd>
      </dl>
      {record.lastReadiness !== undefined && record.lastReadiness.blockingThirdParties.length > 0 && (
        <>
          <h3>{t('historyBlockingHeading', String(record.lastReadiness.blockingThirdParties.length))}</h3>
          <ul class="third-parties blocking">
            {record.lastReadiness.blockingThirdParties.map((domain) => (
              <li key={domain}>{domain}</li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('historyIpv4OnlyHeading', String(record.ipv4OnlyThirdParties.length))}</h3>
      {record.ipv4OnlyThirdParties.length === 0 ? (
        <p class="hint">{t('historyIpv4OnlyNone')}</p>
      ) : (
        <ul class="third-parties">
          {record.ipv4OnlyThirdParties.map((domain) => (
            <li key={domain}>{domain}</li>
          ))}
        </ul>
      )}
      <p>
        <button type="button" id="delete-site" onClick={onDelete}>
          {t('historyDeleteSite', record.site)}
        </button>{' '}
        <button type="button" id="close-detail" onClick={onClose}>
          {t('historyCloseDetail')}
        </button>
      </p>
    </section>
  );
}
