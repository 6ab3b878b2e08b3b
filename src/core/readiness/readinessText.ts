/** The verdicts in words, shared by the pages, the toolbar tooltip and the Markdown export. */
import type { MessageKey, Translate } from '../i18n';
import type { PageReadiness, Readiness, Verdict } from './readiness';
import type { HostReason } from './reason';
import type { Ipv6Health } from './ipv6Health';

const READINESS_KEYS: Record<Readiness, [label: MessageKey, title: MessageKey]> = {
  ipv6: ['readinessIpv6', 'readinessIpv6Title'],
  published: ['readinessPublished', 'readinessPublishedTitle'],
  'ipv4-only': ['readinessIpv4Only', 'readinessIpv4OnlyTitle'],
  unknown: ['readinessUnknown', 'readinessUnknownTitle'],
  'ipv4-literal': ['readinessIpv4Literal', 'readinessIpv4LiteralTitle'],
};

export function readinessLabel(readiness: Readiness, t: Translate): string {
  return t(READINESS_KEYS[readiness][0]);
}

/**
 * What the readiness means, in plain words. A host reached through a proxy with no evidence says
 * why: its address is the proxy's, and the DNS check never looks up a name the proxy may have resolved.
 */
export function readinessTitle(readiness: Readiness, t: Translate, proxied = false): string {
  if (proxied && readiness === 'unknown') return t('readinessProxiedTitle');
  return t(READINESS_KEYS[readiness][1]);
}

const blocks = (readiness: Readiness): boolean => readiness === 'ipv4-only' || readiness === 'ipv4-literal';

/** "IPv6-only: not ready — 3 of 27 hosts have no IPv6 (38 of 212 requests)", and the like. */
export function verdictLine(page: PageReadiness, t: Translate): string {
  if (page.answeredHosts === 0) return t('verdictNothingYet');
  const unknown = page.hosts.filter((host) => host.readiness === 'unknown').length;
  if (page.verdict === 'ready') return t('verdictReady');
  if (page.verdict === 'unknown') return t('verdictUnknown', [String(unknown), String(page.answeredHosts)]);
  const blocking = page.hosts.filter((host) => blocks(host.readiness));
  const requests = blocking.reduce((sum, host) => sum + host.requests, 0);
  const line = t('verdictNotReady', [String(blocking.length), String(page.answeredHosts), String(requests), String(page.answeredRequests)]);
  return unknown > 0 ? t('verdictAlsoUnknown', [line, String(unknown)]) : line;
}

/** "With NAT64: ready", or the IPv4 literals that break it. */
export function nat64Line(page: PageReadiness, t: Translate): string {
  if (page.verdictNat64 === 'unknown') return t('verdictNat64Unknown');
  if (page.verdictNat64 === 'ready') return t('verdictNat64Ready');
  const literals = page.hosts.filter((host) => host.readiness === 'ipv4-literal').map((host) => host.domain);
  return t('verdictNat64NotReady', literals.join(', '));
}

export function scoreLine(page: PageReadiness, t: Translate): string {
  return t('verdictScore', [String(page.score), String(page.scoreWithPublished)]);
}

const VERDICT_WORDS: Record<Verdict, MessageKey> = { ready: 'verdictWordReady', 'not-ready': 'verdictWordNotReady', unknown: 'verdictWordUnknown' };

/** "ready", "not ready", "unknown". */
export function verdictWord(verdict: Verdict, t: Translate): string {
  return t(VERDICT_WORDS[verdict]);
}

/** "IPv6-only: not ready, with NAT64: ready, score 82 %": one line for a tooltip or a ticket. */
export function verdictShort(page: Pick<PageReadiness, 'verdict' | 'verdictNat64' | 'score'>, t: Translate): string {
  return t('verdictShort', [verdictWord(page.verdict, t), verdictWord(page.verdictNat64, t), String(page.score)]);
}

const REASON_KEYS: Record<HostReason, [label: MessageKey, title: MessageKey]> = {
  'no-aaaa': ['reasonNoAaaa', 'reasonNoAaaaTitle'],
  fallback: ['reasonFallback', 'reasonFallbackTitle'],
  'no-ipv6-here': ['reasonNoIpv6Here', 'reasonNoIpv6HereTitle'],
  nat64: ['reasonNat64', 'reasonNat64Title'],
  literal: ['reasonLiteral', 'reasonLiteralTitle'],
  proxy: ['reasonProxy', 'reasonProxyTitle'],
  unknown: ['reasonUnknown', 'reasonUnknownTitle'],
};

/** Why IPv4, in a word: "fallback", "no AAAA". */
export function reasonLabel(reason: HostReason, t: Translate): string {
  return t(REASON_KEYS[reason][0]);
}

/** Why IPv4, in a sentence. An unknown reason with AAAA published says what evidence is missing (IPv6 near its answer), not DNS. */
export function reasonTitle(reason: HostReason, readiness: Readiness, t: Translate): string {
  if (reason === 'unknown' && readiness === 'published') return t('reasonUnknownPublishedTitle');
  return t(REASON_KEYS[reason][1]);
}

/** "4 s ago", "3 min ago": how long before `now` (a time a little ahead of `now`, from another clock, reads as 0 s). */
export function ageText(time: number, now: number, t: Translate): string {
  const seconds = Math.max(0, Math.floor((now - time) / 1000));
  return seconds < 60 ? t('ageSeconds', String(seconds)) : t('ageMinutes', String(Math.floor(seconds / 60)));
}

/** "IPv6 works here (last native IPv6 answer 4 s ago)", "No IPv6 seen here yet", and the like. */
export function ipv6HealthLine(health: Ipv6Health, now: number, t: Translate): string {
  switch (health.kind) {
    case 'works':
      return t('ipv6HealthWorks', ageText(health.lastNativeAt, now, t));
    case 'nat64':
      return t('ipv6HealthNat64', health.prefix);
    case 'proxy':
      return t('ipv6HealthProxy');
    case 'none-seen':
      return t('ipv6HealthNoneSeen');
  }
}
