/**
 * What a finished page view adds to its site's history record. Apart from siteRecord.ts because
 * it needs the Public Suffix List (site.ts), which the pages that show records (history, options)
 * do not; the caller reads the list only when the history is on.
 */
import { hostReadinessOf, pageReadiness } from '../readiness/readiness';
import { domainFamily, type PageView } from '../tab/model';
import { pageKindOf } from '../tab/url';
import { viewTotals } from '../view/viewTotals';
import { isHistoryHost, MAX_BLOCKING_KEPT } from './recordCheck';
import { siteOf } from './site';
import type { PublicSuffixList } from './publicSuffixList';
import type { SiteReadiness, Visit } from './siteRecord';

/** The view's verdicts, with the third parties (other sites' hosts) that block an IPv6-only client. */
function siteReadinessOf(view: PageView, site: string, suffixes: PublicSuffixList): SiteReadiness {
  const page = pageReadiness(
    Array.from(view.domains.values(), (record) => hostReadinessOf(record)),
    view.mainDomain,
  );
  const blocking = page.hosts
    .filter((host) => (host.readiness === 'ipv4-only' || host.readiness === 'ipv4-literal') && siteOf(host.domain, suffixes) !== site && isHistoryHost(host.domain))
    .map((host) => host.domain);
  const { verdict, verdictNat64, score, scoreWithPublished } = page;
  return { verdict, verdictNat64, score, scoreWithPublished, blockingThirdParties: blocking.slice(0, MAX_BLOCKING_KEPT) };
}

/**
 * Whether a finished page view is worth recording, which needs no Public Suffix List: not browser
 * pages and local files, pages loaded before IPvLens (only their tail is known), or views that
 * never got an answer.
 */
export function mayBeVisit(view: PageView): view is PageView & { mainDomain: string } {
  if (view.partial || !view.committed || view.mainDomain === undefined || pageKindOf(view.url) !== 'web') return false;
  const { requestsByFamily } = viewTotals(view);
  return requestsByFamily.v4 + requestsByFamily.v6 > 0;
}

/** The visit a finished page view stands for, or undefined for views not worth recording. */
export function visitOf(view: PageView, suffixes: PublicSuffixList): Visit | undefined {
  if (!mayBeVisit(view)) return undefined;
  const totals = viewTotals(view);
  const site = siteOf(view.mainDomain, suffixes);
  // Only names the history's import takes back (hosts come normalised; a name too long for DNS
  // cannot have answered), so an exported history always imports.
  if (!isHistoryHost(site)) return undefined;
  const ipv4Only: string[] = [];
  const withIPv6: string[] = [];
  for (const record of view.domains.values()) {
    if (siteOf(record.domain, suffixes) === site || !isHistoryHost(record.domain)) continue;
    const families = new Set(Object.values(record.addresses).map((stat) => stat.family));
    if (families.has(6)) withIPv6.push(record.domain);
    else if (families.has(4)) ipv4Only.push(record.domain);
  }
  const main = view.domains.get(view.mainDomain);
  return {
    site,
    time: view.startedAt,
    mainFamily: (main === undefined ? undefined : domainFamily(main)) ?? null,
    domains: totals.domainsByFamily,
    requests: totals.requestsByFamily,
    bytes: totals.bytesByFamily,
    ipv4OnlyThirdParties: ipv4Only.sort(),
    thirdPartiesWithIPv6: withIPv6,
    readiness: siteReadinessOf(view, site, suffixes),
  };
}
