import { useEffect, useState } from 'preact/hooks';
import type { TabReport, TabSnapshot } from '../core/snapshot';
import { targetTabId, watchTab } from './api';
import { DomainRow } from './DomainRow';
import { familyAttribute, familyLabel } from './format';

type Loaded = { kind: 'loading' } | { kind: 'no-tab' } | { kind: 'report'; report: TabReport };

export function App({ search }: { search: string }) {
  const [state, setState] = useState<Loaded>({ kind: 'loading' });

  useEffect(() => {
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

  useEffect(() => {
    // The first frame with data: the benchmark reads this mark.
    if (state.kind === 'report' && performance.getEntriesByName('ipvlens:first-data').length === 0) {
      requestAnimationFrame(() => performance.mark('ipvlens:first-data'));
    }
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
        <table>
          <thead>
            <tr>
              <th scope="col">Domain</th>
              <th scope="col">Address</th>
              <th scope="col">Family</th>
              <th scope="col">Flags</th>
              <th scope="col" class="count">Requests</th>
            </tr>
          </thead>
          <tbody>
            {snapshot.domains.map((row) => (
              <DomainRow key={row.domain} row={row} />
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
