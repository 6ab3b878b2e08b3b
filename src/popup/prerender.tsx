/**
 * The popup as HTML text, for the worker to serve the popup page with its rows already in
 * (Chromium: background/popupPage.ts). It is the page's own view (App.tsx `Snapshot`, `domainRow`)
 * rendered to a string, so what the worker serves is what the page draws; after the rows comes
 * the answer they were drawn from (servedAnswer.ts), from which the page's app starts and takes
 * the rows over (main.tsx). A page loads its script before it can ask the worker anything; served
 * this way, the first screen needs neither.
 */
import { renderToString } from 'preact-render-to-string';
import type { ViewConfig } from '../core/settings/settings';
import { FIRST_SCREEN_ROWS, type TabSummary } from '../core/view/snapshot';
import { Snapshot, rowActionsOf } from './App';
import { domainRow } from './DomainRow';
import { PRERENDERED_ATTRIBUTE } from './prerenderMark';
import { servedAnswerHtml } from './servedAnswer';

/** Where the first screen's rows end; its text cannot occur in a value, which is escaped. */
const restOfRows = <template data-rest-of-rows="" />;

/** Rows per later part: the page parses one part while the next is rendered. */
export const ROWS_PER_PART = 250;

export interface PrerenderedPopup {
  /** The app root's content down to the first screen's last row: the part to send first. */
  firstScreen: string;
  /**
   * The other rows, ROWS_PER_PART at a time, then what closes the first part, then the answer
   * itself (servedAnswer.ts); each rendered when asked.
   */
  rest(): Generator<string>;
}

/** The popup's view of `summary`, or undefined when the page has no rows to show (the app's own states). */
export function prerenderPopup(summary: TabSummary, config: ViewConfig, wide: boolean): PrerenderedPopup | undefined {
  if (summary.state !== 'ok') return undefined;
  const { snapshot } = summary;
  const { settings } = config;
  // One clock for every row, handed to the page so that its app's first render matches them.
  const now = Date.now();
  const answer = (): string => servedAnswerHtml({ answer: { report: summary, config }, now });
  const firstRows = snapshot.domains.slice(0, FIRST_SCREEN_ROWS);
  const firstPart = renderToString(
    <div {...{ [PRERENDERED_ATTRIBUTE]: String(summary.tabId) }}>
      <Snapshot snapshot={{ ...snapshot, domains: firstRows }} settings={settings} tabId={summary.tabId} wide={wide} now={now} afterRows={restOfRows} />
    </div>,
  );
  const marker = renderToString(restOfRows);
  const cut = firstPart.indexOf(marker);
  // No row group (a page without domains): the whole view is one part.
  if (cut === -1) {
    return {
      firstScreen: firstPart,
      rest: function* () {
        yield answer();
      },
    };
  }
  return {
    firstScreen: firstPart.slice(0, cut),
    rest: function* () {
      const actions = rowActionsOf(settings);
      for (let start = FIRST_SCREEN_ROWS; start < snapshot.domains.length; start += ROWS_PER_PART) {
        const rows = snapshot.domains.slice(start, start + ROWS_PER_PART).map((row) => domainRow(row, now, { deferred: true, first: false, expanded: false }, actions));
        yield renderToString(<>{rows}</>);
      }
      yield firstPart.slice(cut + marker.length);
      // A part of its own: building it (about 1 MB of JSON for 2,000 domains) does not hold back
      // the part that closes the rows.
      yield answer();
    },
  };
}
