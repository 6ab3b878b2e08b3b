/** Said on the options and history pages when the browser refused to store visits in the history. */
import type { HistoryWriteFailure } from '../core/history/writeFailure';
import { t } from '../platform/i18n';

export function HistoryWriteFailureNotice({ failure }: { failure: HistoryWriteFailure | undefined }) {
  if (failure === undefined) return null;
  return (
    <p class="notice" id="history-write-failed" role="alert" data-visits={failure.visits}>
      {t('historyWriteFailed', [String(failure.visits), new Date(failure.time).toLocaleString(), failure.error])}
    </p>
  );
}
