/** The tab's IPv6 share by domains, requests and bytes: one bar each, percentages written out. */
import { SHARE_PARTS, familyTotal, formatBytes, sharePercentages, type FamilyCounts, type SharePart } from '../core/live/share';
import type { TabSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';

const PART_ATTRIBUTE: Record<SharePart, '6' | '4' | '?'> = { v6: '6', v4: '4', unknown: '?' };

function partLabel(part: SharePart): string {
  return t(part === 'v6' ? 'familyIPv6' : part === 'v4' ? 'familyIPv4' : 'shareUnknown');
}

function ShareBar({ measure, label, counts, total, title }: { measure: string; label: string; counts: FamilyCounts; total: string; title?: string }) {
  const percent = sharePercentages(counts);
  const parts = SHARE_PARTS.filter((part) => counts[part] > 0);
  const text = parts.length === 0 ? t('shareNone') : parts.map((part) => t('sharePart', [partLabel(part), String(percent[part])])).join(' · ');
  return (
    <div class="share" data-share={measure} data-v6={counts.v6} data-v4={counts.v4} data-unknown={counts.unknown} title={title}>
      <span class="share-label">{label}</span>
      <span class="share-bar" aria-hidden="true">
        {parts.map((part) => (
          <span key={part} class={`share-part family-${PART_ATTRIBUTE[part]}`} style={{ width: `${percent[part]}%` }} />
        ))}
      </span>
      <span class="share-text">
        {text} <span class="muted">{total}</span>
      </span>
    </div>
  );
}

export function ShareBars({ snapshot }: { snapshot: TabSnapshot }) {
  const unsized = familyTotal(snapshot.unsizedByFamily);
  const bytesTotal = formatBytes(familyTotal(snapshot.bytesByFamily));
  return (
    <section class="shares" aria-label={t('shareHeading')}>
      <ShareBar measure="domains" label={t('shareDomains')} counts={snapshot.domainsByFamily} total={t('shareTotal', String(snapshot.domainCount))} />
      <ShareBar measure="requests" label={t('shareRequests')} counts={snapshot.requestsByFamily} total={t('shareTotal', String(familyTotal(snapshot.requestsByFamily)))} />
      <ShareBar
        measure="bytes"
        label={t('shareBytes')}
        counts={snapshot.bytesByFamily}
        total={unsized > 0 ? t('shareBytesTotalUnsized', [bytesTotal, String(unsized)]) : t('shareTotal', bytesTotal)}
        title={t('shareBytesTitle')}
      />
    </section>
  );
}
