/**
 * Chrome reports no proxy per request, so a page can only be *suspected* of going through one.
 * Here the user may let IPvLens read the browser's proxy settings (the optional `proxy`
 * permission, requested only on their click) to confirm it. Firefox reports each request's proxy:
 * the section is not shown there.
 */
import { useEffect, useState } from 'preact/hooks';
import type { BrowserProxySettings } from '../core/proxy/pageProxy';
import { t } from '../platform/i18n';
import { proxyCheckApplies, readProxySettings, requestProxyPermission } from '../platform/proxySettings';
import { proxyModeLabel } from '../ui/proxyMarks';

type Shown = { kind: 'not-checked' } | { kind: 'refused' } | { kind: 'unreadable' } | { kind: 'read'; settings: BrowserProxySettings };

function settingsText(settings: BrowserProxySettings): string {
  const mode = proxyModeLabel(t, settings.mode);
  const text = settings.endpoint === undefined ? mode : `${mode}: ${settings.endpoint}`;
  const consequence = settings.mode === 'direct' || settings.mode === 'auto_detect' ? 'proxyCheckDirect' : settings.mode === 'fixed_servers' ? 'proxyCheckFixed' : 'proxyCheckMay';
  return `${t('proxyCheckMode', text)} ${t(consequence)}`;
}

export function ProxySection() {
  const [shown, setShown] = useState<Shown>({ kind: 'not-checked' });
  // Already granted earlier: show what is in force without asking again.
  useEffect(() => {
    void readProxySettings().then((settings) => settings !== undefined && setShown({ kind: 'read', settings }));
  }, []);
  if (!proxyCheckApplies()) return null;
  const check = (): void => {
    // The request must come first, inside the click.
    requestProxyPermission()
      .then(async (granted) => {
        if (!granted) return setShown({ kind: 'refused' });
        const settings = await readProxySettings();
        setShown(settings === undefined ? { kind: 'unreadable' } : { kind: 'read', settings });
      })
      .catch(() => setShown({ kind: 'unreadable' }));
  };
  return (
    <section aria-labelledby="proxy-check">
      <h2 id="proxy-check">{t('proxyCheckHeading')}</h2>
      <p class="hint">{t('proxyCheckHint')}</p>
      <button type="button" id="proxy-check-button" onClick={check}>
        {t('proxyCheckButton')}
      </button>
      <p id="proxy-check-result" data-proxy-mode={shown.kind === 'read' ? shown.settings.mode : undefined} role="status">
        {shown.kind === 'read' ? settingsText(shown.settings) : shown.kind === 'refused' ? t('proxyCheckRefused') : shown.kind === 'unreadable' ? t('proxyCheckUnreadable') : ''}
      </p>
    </section>
  );
}
