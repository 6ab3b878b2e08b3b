/**
 * A domain's flags as small badges, then its HTTP versions, then "IPv6 available, not used" or
 * "DNS look-up failed" (when the user's DNS check is on) and "live" when asked for.
 */
import type { DomainSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { FLAG_KEYS } from './format';

/** Plain nodes, not a component: a table of 2,000 rows costs no component per cell. */
export function flagBadges(row: DomainSnapshot, { live, ipv6NotUsed }: { live: boolean; ipv6NotUsed: boolean }) {
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
    ipv6NotUsed && row.ipv6NotUsed !== undefined && (
      <span key="ipv6-not-used" class="flag flag-ipv6-not-used" data-ipv6-not-used={row.ipv6NotUsed.join(' ')} title={t('ipv6NotUsedTitle', row.ipv6NotUsed.join(', '))}>
        {t('ipv6NotUsed')}
      </span>
    ),
    ipv6NotUsed && row.dnsLookupFailed === true && (
      <span key="dns-lookup-failed" class="flag flag-dns-lookup-failed" data-dns-lookup-failed="true" title={t('dnsLookupFailedTitle')}>
        {t('dnsLookupFailed')}
      </span>
    ),
    live && (
      <span key="live" class="flag flag-live" title={t('flagLiveTitle', String(row.inflight))}>
        {t('flagLive')}
      </span>
    ),
  ];
}
