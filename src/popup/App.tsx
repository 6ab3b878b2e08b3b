import { useLayoutEffect, useState } from 'preact/hooks';
import { FIRST_SCREEN_ROWS, type TabReport, type TabSnapshot } from '../core/snapshot';
import { targetTabId, watchTab, type TabWatch } from './api';
import { DomainRow } from './DomainRow';
import { familyAttribute, familyLabel } from './format';
import { afterNextPaint, markOnce } from './paint';

type Loaded = { kind: 'loading' } | { kind: 'no-tab' } | { kind: 'report'; report: TabReport };

export function App({ search }: { search: string }) {
  const [state, setState] = useState<Loaded>({ kind: 'loading' });

  const [watch, setWatch] = useState<TabWatch | undefined>(undefined);

  // A layout effect so the connection starts now, not after "Loading…" has been painted.
  useLayoutEffect(() => {
    let current: TabWatch | undefined;
    let cancelled = false;
    void targetTabId(search).then((tabId) => {
      if (cancelled) return;
      if (tabId === undefined) {
        setState({ kind: 'no-tab' });
        return;
      }
      current = watchTab(tabId, (report) => setState({ kind: 'report', report }));
      setWatch(current);
    });
    return () => {
      cancelled = true;
      current?.stop();
    };
  }, [search]);

  const report = state.kind === 'report' ? state.report : undefined;
  const complete = report !== undefined && (report.state !== 'ok' || report.snapshot.omittedRows === 0);
  useLayoutEffect(() => {
    if (report === undefined) return;
    // Once the first screen is painted, ask for the rest; the marks are read by the benchmark.
    afterNextPaint(() => {
      markOnce('ipvlens:first-data');
      watch?.showAllRows();
    });
    if (complete) afterNextPaint(() => markOnce('ipvlens:all-rows'));
  }, [report, complete, watch]);

  if (state.kind === 'loading') return <p class="status">Loading…</p>;
  if (state.kind === 'no-tab' || report === undefined) return <Message title="No tab" body="There is no tab to show." />;
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
          {snapshot.domainCount} {snapshot.domainCount === 1 ? 'domain' : 'domains'}: {v6} over IPv6, {v4} over IPv4
          {unknown > 0 ? `, ${unknown} unknown` : ''}
        </p>
        {snapshot.partial && <p class="notice">This page loaded before IPvLens started: only later requests are listed. Reload for the full picture.</p>}
      </header>
      {snapshot.domainCount === 0 ? (
        <p class="status">Nothing has been loaded yet.</p>
      ) : (
        // A grid of divs rather than a <table>: rows can then skip layout and paint while
        // off screen (content-visibility), which keeps a 300-domain popup fast to open.
        <div class="domains" role="table" aria-label="Domains of this page" aria-rowcount={snapshot.domainCount + 1}>
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
            {snapshot.domains.map((row, index) => (
              <DomainRow key={row.domain} row={row} deferred={index >= FIRST_SCREEN_ROWS} />
            ))}
          </div>
        </div>
      )}
    </main>
  );
}
