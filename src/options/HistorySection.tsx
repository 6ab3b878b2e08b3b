/**
 * Site history settings: off by default, kept on this device. Turning it off offers to delete
 * what it holds (and keeps it if the user says so).
 */
import { useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { parseMaxSites } from '../core/history/settings';
import { t } from '../platform/i18n';
import { saveHistorySettings } from '../platform/history';
import { deleteHistory } from '../ui/backgroundClient';
import { HistoryWriteFailureNotice } from '../ui/HistoryWriteFailureNotice';
import { useHistory } from '../ui/useHistory';

export function HistorySection({ setStatus }: { setStatus: (status: string) => void }) {
  const history = useHistory();
  const [limitText, setLimitText] = useState<string | undefined>(undefined);
  const [offerDelete, setOfferDelete] = useState(false);
  const { settings, records } = history;
  const limit = limitText === undefined ? undefined : parseMaxSites(limitText);

  const save = (enabled: boolean, maxSites: number): void => {
    saveHistorySettings({ enabled, maxSites }).then(
      () => setStatus(t('optionsSaved')),
      (error: unknown) => setStatus(t('optionsSaveFailed', String(error))),
    );
  };
  const toggle = (enabled: boolean): void => {
    save(enabled, settings.maxSites);
    setOfferDelete(!enabled && records.length > 0);
  };
  const deleteAll = (): void => {
    setOfferDelete(false);
    deleteHistory({ all: true }).then(setStatus, (error: unknown) => setStatus(t('historyChangeFailed', String(error))));
  };

  if (!history.loaded) return null;
  return (
    <section aria-labelledby="history">
      <h2 id="history">{t('historyHeading')}</h2>
      <label>
        <input type="checkbox" id="history-enabled" checked={settings.enabled} onChange={(event) => toggle(event.currentTarget.checked)} /> {t('historyEnableLabel')}
      </label>
      <p class="hint">{t('historyHint')}</p>
      <HistoryWriteFailureNotice failure={history.writeFailure} />
      <label for="history-limit">{t('historyLimitLabel')}</label>
      <input
        type="text"
        inputMode="numeric"
        id="history-limit"
        value={limitText ?? String(settings.maxSites)}
        aria-invalid={limit?.ok === false}
        aria-describedby="history-limit-error"
        onInput={(event) => setLimitText(event.currentTarget.value)}
        onChange={() => {
          if (limit?.ok === true) {
            save(settings.enabled, limit.value);
            setLimitText(undefined);
          }
        }}
      />
      <p class="error" id="history-limit-error" role="alert">
        {limit?.ok === false ? t('historyLimitError', [String(limit.min), String(limit.max)]) : ''}
      </p>
      {offerDelete && (
        <div class="offer" role="alertdialog" aria-labelledby="history-offer">
          <p id="history-offer">{t('historyOfferDelete', String(records.length))}</p>
          <button type="button" id="history-delete-all" onClick={deleteAll}>
            {t('historyDeleteAll')}
          </button>{' '}
          <button type="button" id="history-keep" onClick={() => setOfferDelete(false)}>
            {t('historyKeep')}
          </button>
        </div>
      )}
      <p>
        <a href={browser.runtime.getURL('src/history/index.html')} target="_blank" id="open-history">
          {t('historyOpen', String(records.length))}
        </a>
      </p>
    </section>
  );
}
