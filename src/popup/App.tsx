import { useLayoutEffect, useState } from 'preact/hooks';
import type { TabReport, TabSnapshot } from '../core/snapshot';
import { targetTabId, watchTab } from './api';
import { DomainRow } from './DomainRow';
import { familyAttribute, familyLabel } from './format';
import { afterNextPaint, markOnce } from './paint';

/** Rows in the first frame: more than a popup shows at once; the rest follow right after it is painted. */
const FIRST_FRAME_ROWS = 30;

type Loaded = { kind: 'loading' } | { kind: 'no-tab' } | { kind: 'report'; report: TabReport };

export function App({ search }: { search: string }) {
  const [state, setState] = useState<Loaded>({ kind: 'loading' });

  // A layout effect so the connection starts now, not after "Loading…" has been painted.
  useLayoutEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    void targetTabId(search).then((tabId) => {
      if (cancelled) return;
      if (tabId === undefined) {
        setState({ kind: 'no-tab' });
        return;
      }
      stop = watchTab(tabId, (report) => setState({ kind: 'report', report }));
    });
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [search]);

  useLayoutEffect(() => {
    // Snapshot marks its own first frame (before it renders its remaining rows).
    if (state.kind === 'report' && state.report.state !== 'ok') afterNextPaint(() => markOnce('ipvlens:first-data'));
  }, [state]);

  if (state.kind === 'loading') return <p class="status">Loading…</p>;
  if (state.kind === 'no-tab') return <Message title="No tab" body="There is no tab to show." />;
  const { report } = state;
  if (report.state === 'no-tab') return <Message title="Tab closed" body={`Tab ${report.tabId} no longer exists.`} />;
  if (report.state === 'not-seen') {
    switch (report.pageKind) {
      case 'web':
        return <Message title="Reload the page" body="This page loaded before IPvLens started. Reload it to see where its resources came from." />;
      case 'local-file':
        return <Message title="Local file" body="This page was opened from your disk: nothing came over the network." />;
      default:
        return <Message title="Nothing to show" body="This is a browser page: it does not load anything over IPv4 or IPv6." />;
    }
  }
  return <Snapshot snapshot={report.snapshot} />;
}

function Message({ title, body }: { title: string; body: string }) {
  return (
    <div class="message" role="status">
      <h1>{title}</h1>
      <p>{body}</p>
    </div>
  );
}

function Snapshot({ snapshot }: { snapshot: TabSnapshot }) {
  // A screenful first, so a tab with hundreds of domains opens at once; the rest once it is painted.
  const [allRows, setAllRows] = useState(false);
  useLayoutEffect(() => {
    afterNextPaint(() => {
      markOnce('ipvlens:first-data');
      setAllRows(true);
    });
  }, []);
  useLayoutEffect(() => {
    if (allRows) afterNextPaint(() => markOnce('ipvlens:all-rows'));
  }, [allRows]);
  const rows = allRows ? snapshot.domains : snapshot.domains.slice(0, FIRST_FRAME_ROWS);
  const main = snapshot.domains.find((row) => row.isMain);
  const { v4, v6, unknown } = snapshot.domainsByFamily;
  return (
    <main>
      <header>
        <h1 title={snapshot.url}>{snapshot.mainDomain ?? 'Unknown page'}</h1>
        {main !== undefined && (
          <p class="main-address">
            <span class={`badge family-${familyAttribute(main.family)}`}>{familyLabel(main.family)}</span> {main.address ?? 'address not known yet'}
          </p>
        )}
        <p class="summary">
          {snapshot.domains.length} {snapshot.domains.length === 1 ? 'domain' : 'domains'}: {v6} over IPv6, {v4} over IPv4
          {unknown > 0 ? `, ${unknown} unknown` : ''}
        </p>
        {snapshot.partial && <p class="notice">This page loaded before IPvLens started: only later requests are listed. Reload for the full picture.</p>}
      </header>
      {snapshot.domains.length === 0 ? (
        <p class="status">Nothing has been loaded yet.</p>
      ) : (
        // A grid of divs rather than a <table>: rows can then skip layout and paint while
        // off screen (content-visibility), which keeps a 300-domain popup fast to open.
        <div class="domains" role="table" aria-label="Domains of this page" aria-rowcount={snapshot.domains.length + 1}>
          <div role="rowgroup">
            <div role="row" class="row head">
              <div role="columnheader">Domain</div>
              <div role="columnheader">Address</div>
              <div role="columnheader">Family</div>
              <div role="columnheader">Flags</div>
              <div role="columnheader" class="count">
                Requests
              </div>
            </div>
          </div>
          <div role="rowgroup">
            {rows.map((row, index) => (
              <DomainRow key={row.domain} row={row} deferred={index >= FIRST_FRAME_ROWS} />
            ))}
          </div>
        </div>
      )}
    </main>
  );
}
