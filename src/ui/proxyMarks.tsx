/**
 * What the popup and the report page say of a proxy: the page's notice under its summary, and a
 * row's note beside its address ("via proxy 127.0.0.1:3128, HTTP", or "proxy?" when suspected).
 */
import type { Translate } from '../core/i18n';
import { proxyNoteText, type ProxyMode } from '../core/proxy/pageProxy';
import type { DomainSnapshot, PageProxy, RowProxy } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { familyLabel } from './format';

export function proxyModeLabel(translate: Translate, mode: ProxyMode): string {
  const keys = { direct: 'proxyModeDirect', fixed_servers: 'proxyModeFixed', pac_script: 'proxyModePac', system: 'proxyModeSystem', auto_detect: 'proxyModeAutoDetect' } as const;
  return translate(keys[mode]);
}

/** Why a page is suspected, in words (the notice's tooltip). */
function suspicionWhy(proxy: Extract<PageProxy, { kind: 'suspected' | 'settings' }>): string {
  const { reason, address, domains } = proxy.suspicion;
  const key = reason === 'loopback' ? 'proxySuspectedLoopback' : reason === 'private' ? 'proxySuspectedPrivate' : 'proxySuspectedSame';
  return t(key, [String(domains), address]);
}

/** The page's notice: a proxy answered, may have, or is suspected; nothing when none is. */
export function ProxyNotice({ proxy }: { proxy: PageProxy | undefined }) {
  if (proxy === undefined) return null;
  if (proxy.kind === 'reported') {
    return (
      <p class="notice proxy-notice" data-page-proxy="reported" title={t('proxyReportedTitle', proxy.endpoints.join(', '))}>
        {t('proxyReported')}
      </p>
    );
  }
  const why = suspicionWhy(proxy);
  if (proxy.kind === 'settings') {
    const fixed = proxy.settings.mode === 'fixed_servers';
    return (
      <p class="notice proxy-notice" data-page-proxy="settings" title={`${why} ${t('proxySettingsTitle', proxyModeLabel(t, proxy.settings.mode))}`}>
        {t(fixed ? 'proxyInUseSettings' : 'proxyMaySettings')}
      </p>
    );
  }
  return (
    <p class="notice proxy-notice" data-page-proxy="suspected" title={why}>
      {t('proxySuspected')} <span class="muted">{why}</span>
    </p>
  );
}

/** The row's note beside its address, as text and tooltip: the JSX below and the popup's row HTML both show it. */
export function rowProxyNote(row: DomainSnapshot): { text: string; title: string } | undefined {
  const proxy: RowProxy | undefined = row.proxy;
  if (proxy === undefined) return undefined;
  if (!proxy.confirmed) return { text: t('proxySuspectedRow'), title: t('proxySuspectedRowTitle') };
  const hop = proxy.hopFamily === undefined ? '' : t('proxyHopTitle', familyLabel(proxy.hopFamily));
  const dns = proxy.proxyDns === true ? ` ${t('proxyDnsTitle')}` : '';
  return { text: proxyNoteText(t, proxy), title: `${hop}${dns}` };
}

/** The row's note after its address; its text says the address is (or may be) a proxy's. */
export function proxyNote(row: DomainSnapshot) {
  const note = rowProxyNote(row);
  if (note === undefined) return null;
  return (
    <span class="proxy-note muted" title={note.title}>
      {' '}
      {note.text}
    </span>
  );
}
