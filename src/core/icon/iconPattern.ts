/**
 * The toolbar icon's content: the main page's family, plus a marker for each *other* family
 * present among the rest (IPvFoo's idea). "6" = all IPv6; "64" = IPv6 page with IPv4 resources;
 * "46" = IPv4 page with IPv6 resources; "?" = not known yet.
 */
import type { Family } from '../address/address';
import type { Describer } from '../address/addressClass';
import type { Translate } from '../i18n';
import { hostReadinessOf, pageReadiness } from '../readiness/readiness';
import { verdictShort } from '../readiness/readinessText';
import { domainFamily, type PageView } from '../tab/model';

export type MainGlyph = '4' | '6' | '?';

export interface IconPattern {
  main: MainGlyph;
  has4: boolean;
  has6: boolean;
}

export function iconPatternOf(view: PageView | undefined): IconPattern {
  if (view === undefined) return { main: '?', has4: false, has6: false };
  const mainRecord = view.mainDomain === undefined ? undefined : view.domains.get(view.mainDomain);
  const mainFamily: Family | undefined = mainRecord === undefined ? undefined : domainFamily(mainRecord);
  const others4 = view.familyTally[4] - (mainFamily === 4 ? 1 : 0);
  const others6 = view.familyTally[6] - (mainFamily === 6 ? 1 : 0);
  return {
    main: mainFamily === undefined ? '?' : mainFamily === 4 ? '4' : '6',
    has4: others4 > 0 && mainFamily !== 4,
    has6: others6 > 0 && mainFamily !== 6,
  };
}

/** Stable text of a pattern ("64", "?46"): the key for drawn-icon caching and tests. */
export function patternKey(pattern: IconPattern): string {
  return `${pattern.main}${pattern.has4 ? '4' : ''}${pattern.has6 ? '6' : ''}`;
}

/** "3 domains: 2 over IPv6, 1 over IPv4, 1 unknown", shared by the tooltip and the popup. */
export function domainSummary(t: Translate, count: number, v6: number, v4: number, unknown: number): string {
  const summary = t(count === 1 ? 'summaryOne' : 'summaryOther', [String(count), String(v6), String(v4)]);
  return unknown > 0 ? t('summaryUnknown', [summary, String(unknown)]) : summary;
}

/** Tooltip: main domain and address, how many domains came over each family, and the IPv6-only verdicts. */
export function iconTitle(view: PageView | undefined, describe: Describer, t: Translate): string {
  if (view === undefined || view.mainDomain === undefined) return t('iconTitleNoData');
  const primary = view.domains.get(view.mainDomain)?.primary;
  const address = primary === undefined ? t('iconTitleAddressUnknown') : (describe(primary)?.display ?? primary);
  const unknown = view.domains.size - view.familyTally[4] - view.familyTally[6];
  const summary = domainSummary(t, view.domains.size, view.familyTally[6], view.familyTally[4], unknown);
  const readiness = pageReadiness(
    Array.from(view.domains.values(), (record) => hostReadinessOf(record, describe)),
    view.mainDomain,
  );
  return t('iconTitle', [view.mainDomain, address, summary, verdictShort(readiness, t)]);
}
