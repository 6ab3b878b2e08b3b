/**
 * Why IPv4 (the host's reason, if it has one) as the first badge, then a domain's flags as small badges, then its HTTP versions, then "IPv6 available, not used" or
 * "DNS look-up failed" (when the user's DNS check is on) and "live" when asked for. One list, shown
 * as nodes in the report's table and as HTML text in the popup's rows (popup/rowHtml.ts).
 */
import { reasonLabel, reasonTitle } from '../core/readiness/readinessText';
import type { DomainSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { FLAG_KEYS } from './format';

export interface FlagBadge {
  key: string;
  className: string;
  label: string;
  title: string;
  /** The one data-* attribute some badges carry for automation: name (without `data-`) and value. */
  data?: [name: string, value: string];
}

export function rowFlagBadges(row: DomainSnapshot, { live, ipv6NotUsed }: { live: boolean; ipv6NotUsed: boolean }): FlagBadge[] {
  const badges: FlagBadge[] = [];
  // The row itself carries data-reason: the badge is the word, its sentence on hover.
  if (row.reason !== undefined) {
    badges.push({ key: 'reason', className: `flag reason reason-${row.reason}`, label: reasonLabel(row.reason, t), title: reasonTitle(row.reason, row.readiness, t) });
  }
  for (const flag of row.flags) {
    const keys = FLAG_KEYS[flag];
    if (keys !== undefined) badges.push({ key: flag, className: `flag flag-${flag}`, label: t(keys[0]), title: t(keys[1]) });
  }
  for (const version of row.httpVersions) badges.push({ key: version, className: 'flag', label: version, title: t('protocolTitle') });
  if (ipv6NotUsed && row.ipv6NotUsed !== undefined) {
    const data: [string, string] = ['ipv6-not-used', row.ipv6NotUsed.join(' ')];
    badges.push({ key: 'ipv6-not-used', className: 'flag flag-ipv6-not-used', label: t('ipv6NotUsed'), title: t('ipv6NotUsedTitle', row.ipv6NotUsed.join(', ')), data });
  }
  if (ipv6NotUsed && row.dnsLookupFailed === true) {
    badges.push({ key: 'dns-lookup-failed', className: 'flag flag-dns-lookup-failed', label: t('dnsLookupFailed'), title: t('dnsLookupFailedTitle'), data: ['dns-lookup-failed', 'true'] });
  }
  if (live) badges.push({ key: 'live', className: 'flag flag-live', label: t('flagLive'), title: t('flagLiveTitle', String(row.inflight)) });
  return badges;
}

/** Plain nodes, not a component: a table of 2,000 rows costs no component per cell. */
export function flagBadges(row: DomainSnapshot, options: { live: boolean; ipv6NotUsed: boolean }) {
  return rowFlagBadges(row, options).map((badge) => (
    <span key={badge.key} class={badge.className} title={badge.title} {...(badge.data === undefined ? {} : { [`data-${badge.data[0]}`]: badge.data[1] })}>
      {badge.label}
    </span>
  ));
}
