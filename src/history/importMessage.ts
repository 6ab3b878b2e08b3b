/** What the history page says about an imported file. */
import type { ImportError } from '../core/history/historyFile';
import type { ResponseOf } from '../core/messages';
import { formatBytes } from '../core/live/share';
import { t } from '../platform/i18n';

export function importErrorText(fileName: string, error: ImportError): string {
  switch (error.code) {
    case 'too-large':
      return t('importTooLarge', [fileName, formatBytes(error.size), formatBytes(error.max)]);
    case 'not-json':
      return t('importNotJson', fileName);
    case 'tab-report':
      return t('importTabReport', fileName);
    case 'foreign':
      return t('importForeign', fileName);
    case 'newer-version':
      return t('importNewerVersion', [fileName, String(error.version)]);
    case 'malformed':
      return t('importMalformed', [fileName, error.where]);
    case 'duplicate-site':
      return t('importDuplicateSite', [fileName, error.site]);
  }
}

export function importDoneText(fileName: string, answer: ResponseOf<'historyImport'>): string {
  if (!answer.ok) return t('historyChangeFailed', answer.error);
  const done = t('importDone', [fileName, String(answer.added), String(answer.replaced), String(answer.unchanged)]);
  return answer.evicted > 0 ? `${done} ${t('importEvicted', String(answer.evicted))}` : done;
}
