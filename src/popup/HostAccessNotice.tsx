import { useEffect, useState } from 'preact/hooks';
import { t } from '../platform/i18n';
import { hasHostAccess, onHostAccessChange, requestHostAccess } from '../platform/hostAccess';

/** Nothing while access is granted (always in Chrome); otherwise why nothing is listed, and a button to allow it. */
export function HostAccessNotice() {
  const [granted, setGranted] = useState(true);
  useEffect(() => {
    const check = (): void => void hasHostAccess().then(setGranted, () => setGranted(true));
    check();
    return onHostAccessChange(check);
  }, []);
  if (granted) return null;
  return (
    <div class="notice host-access" role="alert">
      <p>{t('hostAccessNotice')}</p>
      <button type="button" id="allow-host-access" onClick={() => void requestHostAccess().then(setGranted, () => undefined)}>
        {t('hostAccessButton')}
      </button>
    </div>
  );
}
