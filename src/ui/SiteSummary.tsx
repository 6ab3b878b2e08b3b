/** Under a page's heading: its main domain's family and address, and how many domains came over each family. */
import { domainSummary } from '../core/iconPattern';
import type { TabSnapshot } from '../core/snapshot';
import { t } from '../platform/i18n';
import { familyAttribute, familyLabel } from './format';

export function SiteSummary({ snapshot }: { snapshot: TabSnapshot }) {
  const main = snapshot.domains.find((row) => row.isMain);
  const { v4, v6, unknown } = snapshot.domainsByFamily;
  return (
    <>
      {main !== undefined && (
        <p class="main-address">
          <span class={`badge family-${familyAttribute(main.family)}`}>{familyLabel(main.family)}</span> {main.address ?? t('addressNotKnownYet')}
        </p>
      )}
      <p class="summary">{domainSummary(t, snapshot.domainCount, v6, v4, unknown)}</p>
    </>
  );
}
