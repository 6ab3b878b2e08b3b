/**
 * Under a page's heading, the same in the popup and the report page: the main domain's family and
 * address, how many domains came over each family, this browser's IPv6 health, the IPv6-only verdicts, the export menu, the notices for a page loaded
 * before IPvLens and for domains storage could not keep, and the status line saying what was copied or saved.
 */
import type { ComponentChildren } from 'preact';
import { domainSummary } from '../core/icon/iconPattern';
import type { TabSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { Ipv6HealthLine } from './Ipv6HealthLine';
import { ExportMenu, type CopyWithStatus } from './ExportMenu';
import { familyAttribute, familyLabel } from './format';
import { ProxyNotice } from './proxyMarks';
import { ReadinessVerdict } from './ReadinessVerdict';

interface Props {
  snapshot: TabSnapshot;
  copy: CopyWithStatus;
  status: string;
  setStatus: (status: string) => void;
  /** Shown after the export menu (the report page says what an export covers). */
  exportNote?: ComponentChildren;
}

export function SiteSummary({ snapshot, copy, status, setStatus, exportNote }: Props) {
  const main = snapshot.domains.find((row) => row.isMain);
  const { v4, v6, unknown } = snapshot.domainsByFamily;
  return (
    <>
      <div class="site-line">
        {main !== undefined && (
          <p class="main-address">
            <span class={`badge family-${familyAttribute(main.family)}`}>{familyLabel(main.family)}</span> {main.address ?? t('addressNotKnownYet')}
          </p>
        )}
        <p class="summary">{domainSummary(t, snapshot.domainCount, v6, v4, unknown)}</p>
        <Ipv6HealthLine health={snapshot.ipv6Health} />
      </div>
      <ReadinessVerdict readiness={snapshot.readiness} />
      <p class="exports">
        <ExportMenu snapshot={snapshot} onDone={setStatus} copy={copy} />
        {exportNote}
      </p>
      {snapshot.partial && <p class="notice">{t('partialNotice')}</p>}
      {snapshot.notKept !== undefined && snapshot.notKept > 0 && (
        <p class="notice not-kept" role="alert" data-not-kept={snapshot.notKept}>
          {t('notKeptNotice', String(snapshot.notKept))}
        </p>
      )}
      <ProxyNotice proxy={snapshot.proxy} />
      <p class="copied" role="status" aria-live="polite">
        {status}
      </p>
    </>
  );
}
