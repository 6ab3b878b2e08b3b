import type { SiteRecord } from '../core/history/siteRecord';
import { verdictShort, verdictWord } from '../core/readiness/readinessText';
import { t } from '../platform/i18n';

/** "67 %", or a dash when no request of known family was recorded. */
export function readinessText(readiness: number | undefined): string {
  return readiness === undefined ? '—' : t('percent', String(Math.round(readiness * 100)));
}

/** The last visit's IPv6-only verdict in a word, or a dash for a site recorded before verdicts. */
export function lastVerdictText(record: SiteRecord): string {
  return record.lastReadiness === undefined ? '—' : verdictWord(record.lastReadiness.verdict, t);
}

/** Both verdicts and the score, for the verdict's tooltip. */
export function lastVerdictTitle(record: SiteRecord): string | undefined {
  return record.lastReadiness === undefined ? undefined : verdictShort(record.lastReadiness, t);
}

export function lastScoreText(record: SiteRecord): string {
  return record.lastReadiness === undefined ? '—' : t('percent', String(record.lastReadiness.score));
}
