/** A domain's flags as small badges, then its HTTP versions, then "live" when asked for. */
import type { DomainRow } from '../core/snapshot';
import { t } from '../platform/i18n';
import { FLAG_KEYS } from './format';

/** Plain nodes, not a component: a table of 2,000 rows costs no component per cell. */
export function flagBadges(row: DomainRow, live: boolean) {
  return [
    ...row.flags.map((flag) => {
      const keys = FLAG_KEYS[flag];
      return keys === undefined ? null : (
        <span key={flag} class={`flag flag-${flag}`} title={t(keys[1])}>
          {t(keys[0])}
        </span>
      );
    }),
    ...row.httpVersions.map((version) => (
      <span key={version} class="flag" title={t('protocolTitle')}>
        {version}
      </span>
    )),
    live && (
      <span key="live" class="flag flag-live" title={t('flagLiveTitle', String(row.inflight))}>
        {t('flagLive')}
      </span>
    ),
  ];
}
