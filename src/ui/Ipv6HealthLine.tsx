/**
 * This browser's IPv6 health (core/readiness/ipv6Health.ts) as one short line with the stable
 * `data-ipv6-health` attribute. Its own clock, so "4 s ago" moves on without re-rendering the rest.
 */
import type { Ipv6Health } from '../core/readiness/ipv6Health';
import { ipv6HealthLine } from '../core/readiness/readinessText';
import { t } from '../platform/i18n';
import { useNow } from './useNow';

export function Ipv6HealthLine({ health }: { health: Ipv6Health }) {
  // Only the "works" line names a time; the others need no ticking.
  const now = useNow(health.kind === 'works' ? 1000 : 60_000);
  const line = ipv6HealthLine(health, now, t);
  return (
    <p class={`ipv6-health ipv6-health-${health.kind}`} data-ipv6-health={health.kind} title={`${line}\n${t('ipv6HealthTitle')}`}>
      {line}
    </p>
  );
}
