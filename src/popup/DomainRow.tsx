import { useState } from 'preact/hooks';
import { requestsInLastMinute } from '../core/live';
import type { LookupKind } from '../core/settings';
import { formatBytes } from '../core/share';
import type { AddressRow, DomainRow as Row } from '../core/snapshot';
import { t } from '../platform/i18n';
import { FLAG_KEYS, classLabel, classTitle, familyAttribute, familyLabel, familySpoken, timeOfDay } from './format';

/** What a row needs from the page around it: copying, look-up links, the highlight setting. */
export interface RowActions {
  copy(text: string): void;
  lookUp(kind: LookupKind, value: string): { href: string; title: string } | undefined;
  highlightConnected: boolean;
}

/** A value that copies itself on click or Enter, with a look-up link beside it. */
function CopyableValue({ text, copyText, kind, actions }: { text: string; copyText: string; kind: LookupKind; actions: RowActions }) {
  const link = actions.lookUp(kind, copyText);
  return (
    <>
      <button type="button" class="copy" tabIndex={-1} aria-label={t('copyLabel', copyText)} onClick={() => actions.copy(copyText)}>
        {text}
      </button>
      {link !== undefined && (
        <a class="lookup" tabIndex={-1} href={link.href} target="_blank" rel="noopener noreferrer" title={link.title} aria-label={link.title}>
          ↗
        </a>
      )}
    </>
  );
}

/** The IPv4 address inside, where the text shown does not already spell it out. */
function embeddedShown(address: AddressRow): boolean {
  return address.ipv4 !== undefined && address.addressClass !== 'ipv4-mapped' && !address.address.endsWith(address.ipv4);
}

function rowLabel(row: Row): string {
  if (row.address === undefined) return t('rowLabelNoAddress', row.domain);
  return t('rowLabel', [row.domain, familySpoken(row.family), classLabel(row.addressClass)]);
}

/** Declared bytes, "?" when nothing declared a size; the title says how many did not. */
function SizeCell({ row }: { row: Row }) {
  const text = row.bytes === 0 && row.unsized > 0 ? '?' : formatBytes(row.bytes);
  return (
    <div role="gridcell" class="count" title={row.unsized > 0 ? t('sizeUnknownTitle', [String(row.bytes), String(row.unsized)]) : t('sizeTitle', String(row.bytes))}>
      {text}
    </div>
  );
}

export function DomainRow({ row, now, deferred, first, actions }: { row: Row; now: number; deferred: boolean; first: boolean; actions: RowActions }) {
  const [expanded, setExpanded] = useState(false);
  const primary = row.address === undefined ? undefined : row.addresses[0];
  const extra = row.addresses.length - 1;
  const connected = actions.highlightConnected && row.inflight > 0;
  const lastMinute = requestsInLastMinute(row.recent, now);
  const classes = ['row', deferred ? 'deferred' : '', row.isMain ? 'main' : '', connected ? 'connected' : ''].filter(Boolean).join(' ');
  return (
    <div
      role="row"
      class={classes}
      // Roving focus: one row is in the tab order, arrow keys move between rows.
      tabIndex={first ? 0 : -1}
      aria-label={rowLabel(row)}
      data-domain={row.domain}
      data-family={familyAttribute(row.family)}
      data-address={primary?.address}
      data-class={primary?.addressClass}
      data-requests={String(row.requests)}
      data-last-minute={String(lastMinute)}
      data-bytes={String(row.bytes)}
      data-unsized={String(row.unsized)}
      title={t('rowTimes', [timeOfDay(row.firstSeen), timeOfDay(row.lastSeen)])}
    >
      <div role="gridcell" class="domain">
        <CopyableValue text={row.domain} copyText={row.domain} kind="domain" actions={actions} />
      </div>
      <div role="gridcell" class="address">
        {primary === undefined ? <span class="ip">—</span> : <CopyableValue text={primary.address} copyText={primary.canonical} kind="address" actions={actions} />}
        {primary !== undefined && embeddedShown(primary) && (
          <span class="embedded muted" title={classTitle(primary)}>
            {' '}
            → {primary.ipv4}
          </span>
        )}
        {extra > 0 && (
          <button type="button" class="more" tabIndex={-1} aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
            {t('moreAddresses', String(extra))}
          </button>
        )}
        {expanded && (
          <ul class="all-addresses">
            {row.addresses.map((a) => {
              const detail = t('addressResponses', [familyLabel(a.family), classLabel(a.addressClass), String(a.responses)]);
              return (
                <li key={a.canonical} data-address-class={a.addressClass}>
                  <CopyableValue text={a.address} copyText={a.canonical} kind="address" actions={actions} />{' '}
                  <span class="muted" title={classTitle(a)}>
                    ({a.cached > 0 ? t('addressCached', [detail, String(a.cached)]) : detail})
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </div>
      <div role="gridcell">
        <span class={`badge family-${familyAttribute(row.family)}`}>{familyLabel(row.family)}</span>
      </div>
      <div role="gridcell">
        {primary !== undefined && (
          <span class={`class class-${primary.addressClass ?? 'unparseable'}`} title={classTitle(primary)}>
            {classLabel(primary.addressClass)}
          </span>
        )}
      </div>
      <div role="gridcell" class="flags">
        {row.flags.map((flag) => {
          const keys = FLAG_KEYS[flag];
          return keys === undefined ? null : (
            <span key={flag} class={`flag flag-${flag}`} title={t(keys[1])}>
              {t(keys[0])}
            </span>
          );
        })}
        {row.httpVersions.map((version) => (
          <span key={version} class="flag" title={t('protocolTitle')}>
            {version}
          </span>
        ))}
        {connected && (
          <span class="flag flag-live" title={t('flagLiveTitle', String(row.inflight))}>
            {t('flagLive')}
          </span>
        )}
      </div>
      <div role="gridcell" class="count" title={row.errors > 0 ? t('failedTitle', String(row.errors)) : undefined}>
        {row.requests}
      </div>
      <div role="gridcell" class={lastMinute > 0 ? 'count active' : 'count muted'}>
        {lastMinute}
      </div>
      <SizeCell row={row} />
    </div>
  );
}
