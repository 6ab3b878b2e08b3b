import { t } from '../platform/i18n';

/** "67 %", or a dash when no request of known family was recorded. */
export function readinessText(readiness: number | undefined): string {
  return readiness === undefined ? '—' : t('percent', String(Math.round(readiness * 100)));
}
