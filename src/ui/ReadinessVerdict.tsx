/**
 * The page's IPv6-only verdicts under its summary (popup and report page): one button carrying the
 * stable `data-verdict*` and `data-score*` attributes; clicking it (or Enter) opens the list of
 * hosts without proven IPv6.
 */
import { useState } from 'preact/hooks';
import type { PageReadiness, Readiness } from '../core/readiness/readiness';
import { nat64Line, readinessLabel, readinessTitle, reasonLabel, reasonTitle, scoreLine, verdictLine } from '../core/readiness/readinessText';
import { t } from '../platform/i18n';

/** A host's readiness as a badge, with what it means as its tooltip (why there is no evidence, for a proxied host). */
export function readinessBadge(readiness: Readiness, proxied = false) {
  return (
    <span class={`badge readiness-${readiness}`} title={readinessTitle(readiness, t, proxied)}>
      {readinessLabel(readiness, t)}
    </span>
  );
}

export function ReadinessVerdict({ readiness }: { readiness: PageReadiness }) {
  const [open, setOpen] = useState(false);
  return (
    <div class="verdict">
      <button
        type="button"
        class={`verdict-lines verdict-${readiness.verdict}`}
        data-verdict={readiness.verdict}
        data-verdict-nat64={readiness.verdictNat64}
        data-score={readiness.score}
        data-score-published={readiness.scoreWithPublished}
        aria-expanded={open}
        aria-controls="blocking-hosts"
        title={t('verdictOpenTitle')}
        onClick={() => setOpen(!open)}
      >
        <span class="verdict-line">{verdictLine(readiness, t)}</span>
        <span class={`verdict-line verdict-${readiness.verdictNat64}`}>{nat64Line(readiness, t)}</span>
        <span class="verdict-line muted" title={t('verdictScoreTitle')}>
          {scoreLine(readiness, t)}
        </span>
      </button>
      {open && (
        <section id="blocking-hosts" class="blocking-hosts" aria-label={t('blockingHostsLabel')} data-blocking-hosts>
          {readiness.hosts.length === 0 ? (
            <p class="muted">{t('blockingHostsNone')}</p>
          ) : (
            <ul>
              {readiness.hosts.map((host) => (
                <li key={host.domain} data-domain={host.domain} data-readiness={host.readiness} data-reason={host.reason} data-requests={host.requests}>
                  <span class="host">{host.domain}</span> {readinessBadge(host.readiness, host.proxied === true)}{' '}
                  {host.reason !== undefined && (
                    <span class={`flag reason reason-${host.reason}`} title={reasonTitle(host.reason, host.readiness, t)}>
                      {reasonLabel(host.reason, t)}
                    </span>
                  )}{' '}
                  <span class="muted">{t('blockingHostRequests', String(host.requests))}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
