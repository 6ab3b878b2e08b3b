/**
 * The toolbar icon's content: the main page's family, plus a marker for each *other* family
 * present among the rest (IPvFoo's idea). "6" = all IPv6; "64" = IPv6 page with IPv4 resources;
 * "46" = IPv4 page with IPv6 resources; "?" = not known yet.
 */
import type { Family } from './address';
import { domainFamily, type PageView } from './model';

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

/** Tooltip: main domain and address, then how many domains came over each family. */
export function iconTitle(view: PageView | undefined): string {
  if (view === undefined || view.mainDomain === undefined) return 'IPvLens: no data for this page';
  const mainRecord = view.domains.get(view.mainDomain);
  const address = mainRecord?.primary ?? 'address unknown';
  const unknown = view.domains.size - view.familyTally[4] - view.familyTally[6];
  const parts = [`${view.familyTally[6]} over IPv6`, `${view.familyTally[4]} over IPv4`];
  if (unknown > 0) parts.push(`${unknown} unknown`);
  const noun = view.domains.size === 1 ? 'domain' : 'domains';
  return `${view.mainDomain} — ${address}\n${view.domains.size} ${noun}: ${parts.join(', ')}`;
}
