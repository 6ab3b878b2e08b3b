// The worker's prerender of the popup (popup/prerender.tsx): the page's own view as HTML text, in
// two parts, whose rows and markup are what the page's app draws from the same answer.
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import english from '../../public/_locales/en/messages.json';
import { createDescriber } from '../../src/core/address/addressClass';
import { translatorFor } from '../../src/core/i18n';
import { DEFAULT_SETTINGS, type ViewConfig } from '../../src/core/settings/settings';
import { newDomainRecord, newPageView, type AddressStat, type DomainRecord } from '../../src/core/tab/model';
import { FIRST_SCREEN_ROWS, tabSummary, type TabSummary } from '../../src/core/view/snapshot';
import { Snapshot } from '../../src/popup/App';
import { prerenderPopup, ROWS_PER_PART } from '../../src/popup/prerender';
import { attributeOf, elementsOf, rowsOf, type HtmlElement } from '../support/htmlRows';
import { SERVED_ANSWER_ID, parseServedAnswer, servedAnswerHtml } from '../../src/popup/servedAnswer';

vi.mock('webextension-polyfill', () => {
  const translate = translatorFor(english);
  return { default: { i18n: { getMessage: (key: Parameters<typeof translate>[0], substitutions?: string[]) => translate(key, substitutions) } } };
});


function stat(family: 4 | 6): AddressStat {
  return { family, responses: 1, cached: 0, bytes: 10, unsized: 0, firstSeen: 10, lastSeen: 10, flags: 0 } as AddressStat;
}

function record(domain: string, index: number): DomainRecord {
  const family = index % 2 === 0 ? 6 : 4;
  const ip = family === 6 ? `2001:db8::${(index + 1).toString(16)}` : `192.0.2.${(index % 250) + 1}`;
  return { ...newDomainRecord(domain, 10), requests: 1, responses: 1, primary: ip, addresses: { [ip]: stat(family) } };
}

/** A tab of `count` domains (the first the page's own), answered over alternating families. */
function summaryOf(count: number, extra: string[] = []): TabSummary {
  const view = newPageView({ id: 'v1', committed: true, partial: false, startedAt: 7, mainDomain: 'd0.example', url: 'https://d0.example/' });
  const domains = [...Array.from({ length: count }, (_, i) => `d${i}.example`), ...extra];
  domains.forEach((domain, i) => view.domains.set(domain, record(domain, i)));
  return tabSummary(5, view, undefined, createDescriber(), Infinity);
}

const CONFIG: ViewConfig = { settings: DEFAULT_SETTINGS, pageScheme: 'dark' };

/** The text of a data block's only text child. */
const textOf = (element: HtmlElement): string => element.childNodes.map((child) => ('value' in child ? child.value : '')).join('');

describe('prerenderPopup', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(60_000);
  });
  afterEach(() => vi.useRealTimers());

  it.each([1, FIRST_SCREEN_ROWS, FIRST_SCREEN_ROWS + 1, 300])('%i domains: both parts together are the page view with every row, in order', (count) => {
    const summary = summaryOf(count);
    if (summary.state !== 'ok') throw new Error('expected a snapshot');
    const view = prerenderPopup(summary, CONFIG, true);
    expect(view).toBeDefined();
    const html = view!.firstScreen + [...view!.rest()].join('');
    // What the page's app renders from the same answer (event handlers aside, which text cannot carry).
    const page = renderToString(h(Snapshot, { snapshot: summary.snapshot, settings: DEFAULT_SETTINGS, tabId: 5, wide: true }));
    // Then the answer itself, at the clock the rows were drawn at, for the app to start from.
    expect(html).toBe(`<div data-prerendered="5">${page}</div>${servedAnswerHtml({ answer: { report: summary, config: CONFIG }, now: 60_000 })}`);
    const rows = rowsOf(html);
    expect(rows.map((e) => attributeOf(e, 'data-domain'))).toEqual(summary.snapshot.domains.map((d) => d.domain));
    expect(rows).toHaveLength(count);
  });

  it('sends the first screen first: the first part holds exactly the first screen of rows', () => {
    const summary = summaryOf(40);
    const view = prerenderPopup(summary, CONFIG, false)!;
    const first = rowsOf(view.firstScreen);
    expect(first).toHaveLength(FIRST_SCREEN_ROWS);
    // Control: the rest holds the others.
    const rest = rowsOf([...view.rest()].join(''));
    expect(rest).toHaveLength(40 - FIRST_SCREEN_ROWS);
  });

  it.each([
    [FIRST_SCREEN_ROWS, [0, 0]],
    [FIRST_SCREEN_ROWS + 1, [1, 0, 0]],
    [FIRST_SCREEN_ROWS + ROWS_PER_PART, [ROWS_PER_PART, 0, 0]],
    [FIRST_SCREEN_ROWS + ROWS_PER_PART + 1, [ROWS_PER_PART, 1, 0, 0]],
    [2000, [250, 250, 250, 250, 250, 250, 250, 234, 0, 0]],
  ])('%i domains: later parts of at most ROWS_PER_PART rows, then the closing part, then the answer alone', (count, rowsPerPart) => {
    const summary = summaryOf(count);
    const parts = [...prerenderPopup(summary, CONFIG, false)!.rest()];
    expect(parts.map((part) => rowsOf(part).length)).toEqual(rowsPerPart);
    // The answer is a part of its own, so that building it does not hold back the closing part.
    expect(parts.at(-1)).toBe(servedAnswerHtml({ answer: { report: summary, config: CONFIG }, now: 60_000 }));
    expect(parts.at(-2)).not.toContain(SERVED_ANSWER_ID);
  });

  it('keeps a hostile name as text', () => {
    const hostile = '<script>alert(1)</script>.example';
    const summary = summaryOf(3, [hostile]);
    const view = prerenderPopup(summary, CONFIG, false)!;
    const html = view.firstScreen + [...view.rest()].join('');
    const all = elementsOf(html);
    // The only script element is the answer's data block, which the hostile name could not end.
    const scripts = all.filter((e) => e.tagName === 'script');
    expect(scripts.map((e) => [attributeOf(e, 'type'), attributeOf(e, 'id')])).toEqual([['application/json', SERVED_ANSWER_ID]]);
    const served = parseServedAnswer(textOf(scripts[0]!));
    expect(served?.answer.report).toEqual(summary);
    // Control: the row is there, named by the hostile text.
    expect(all.some((e) => attributeOf(e, 'data-domain') === hostile)).toBe(true);
  });

  it('leaves the states without rows to the page (no tab, not seen)', () => {
    expect(prerenderPopup({ tabId: 5, state: 'no-tab' }, CONFIG, false)).toBeUndefined();
    expect(prerenderPopup(summaryOf(2), CONFIG, false)).toBeDefined();
  });

  it('a page without domains is one part, then the answer', () => {
    const summary = summaryOf(0);
    const view = prerenderPopup(summary, CONFIG, false)!;
    const rest = [...view.rest()];
    expect(rest).toEqual([servedAnswerHtml({ answer: { report: summary, config: CONFIG }, now: 60_000 })]);
    expect(rowsOf(view.firstScreen)).toHaveLength(0);
  });
});

describe('the served answer', () => {
  const answer = { report: { tabId: 3, state: 'no-tab' as const }, config: CONFIG };
  it('comes back as it was written, "<" and all', () => {
    const served = { answer: { ...answer, report: { tabId: 3, state: 'not-seen' as const, pageKind: 'web' as const, url: 'https://x.example/</script><!--' } }, now: 1.5 };
    const html = servedAnswerHtml(served);
    expect(html.slice(html.indexOf('>') + 1, html.lastIndexOf('</script>'))).not.toContain('<');
    const [block] = elementsOf(html).filter((e) => e.tagName === 'script');
    expect(parseServedAnswer(textOf(block!))).toEqual(served);
  });

  it.each<[string, string | null | undefined]>([
    ['no block', null],
    ['not JSON', '{"answer":'],
    ['not an object', '42'],
    ['no clock', JSON.stringify({ answer })],
    ['a clock that is no number', JSON.stringify({ answer, now: 'soon' })],
    ['an answer of another shape', JSON.stringify({ answer: { report: {} }, now: 1 })],
  ])('%s: no answer, the page asks the worker', (_name, text) => {
    expect(parseServedAnswer(text)).toBeUndefined();
  });

  it('control: the same answer with its clock is read', () => {
    expect(parseServedAnswer(JSON.stringify({ answer, now: 1 }))).toEqual({ answer, now: 1 });
  });
});
