import { useState } from 'preact/hooks';
import type { DomainRow as Row } from '../core/snapshot';
import { FLAG_LABELS, familyAttribute, familyLabel, timeOfDay } from './format';

export function DomainRow({ row, deferred }: { row: Row; deferred: boolean }) {
  const [expanded, setExpanded] = useState(false);
  const extra = row.addresses.length - 1;
  const classes = ['row', deferred ? 'deferred' : '', row.isMain ? 'main' : '', row.inflight > 0 ? 'connected' : ''].filter(Boolean).join(' ');
  return (
    <div
      role="row"
      class={classes}
      data-domain={row.domain}
      data-family={familyAttribute(row.family)}
      data-requests={String(row.requests)}
      title={`First seen ${timeOfDay(row.firstSeen)}, last ${timeOfDay(row.lastSeen)}`}
    >
      <div role="cell" class="domain">
        {row.domain}
      </div>
      <div role="cell" class="address">
        <span class="ip">{row.address ?? '—'}</span>
        {extra > 0 && (
          <button type="button" class="more" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
            +{extra} more
          </button>
        )}
        {expanded && (
          <ul class="all-addresses">
            {row.addresses.map((a) => (
              <li key={a.address}>
                {a.address} <span class="muted">({familyLabel(a.family)}, {a.responses} resp.{a.cached > 0 ? `, ${a.cached} cached` : ''})</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div role="cell">
        <span class={`badge family-${familyAttribute(row.family)}`}>{familyLabel(row.family)}</span>
      </div>
      <div role="cell" class="flags">
        {row.flags.map((flag) => {
          const label = FLAG_LABELS[flag];
          return label === undefined ? null : (
            <span key={flag} class={`flag flag-${flag}`} title={label.title}>
              {label.label}
            </span>
          );
        })}
        {row.httpVersions.map((version) => (
          <span key={version} class="flag" title="Protocol reported by the browser">
            {version}
          </span>
        ))}
        {row.inflight > 0 && (
          <span class="flag flag-live" title={`${row.inflight} request(s) in flight`}>
            live
          </span>
        )}
      </div>
      <div role="cell" class="count" title={row.errors > 0 ? `${row.errors} failed` : undefined}>
        {row.requests}
      </div>
    </div>
  );
}
