/**
 * The optional DNS check ("IPv6 available, not used"). Firefox asks its own resolver; Chrome has
 * none for extensions, so there the user chooses a DNS-over-HTTPS resolver, and the section says
 * exactly what is sent to it.
 */
import type { MessageKey } from '../core/i18n';
import { DOH_RESOLVERS, DOH_RESOLVER_IDS, checkDohUrl, dohResolverUrl, normalizeDohUrl, type DohUrlError } from '../core/settings/dohResolvers';
import type { Settings } from '../core/settings/settings';
import { browserDns } from '../platform/dns';
import { t } from '../platform/i18n';
import { ValidatedInput } from './ValidatedInput';

const DOH_URL_ERROR_KEYS: Record<DohUrlError, MessageKey> = {
  https: 'dohUrlErrorHttps',
  url: 'dohUrlErrorUrl',
  credentials: 'dohUrlErrorCredentials',
  'dns-parameter': 'dohUrlErrorDnsParameter',
};

export function DnsCheckSection({ settings, save }: { settings: Settings; save: (next: Settings) => void }) {
  const ownResolver = browserDns() !== undefined;
  return (
    <section aria-labelledby="dns-check">
      <h2 id="dns-check">{t('dnsCheckHeading')}</h2>
      <label>
        <input
          type="checkbox"
          id="dns-ipv6-check"
          checked={settings.dnsIpv6Check}
          aria-describedby="dns-ipv6-check-hint"
          onChange={(event) => save({ ...settings, dnsIpv6Check: event.currentTarget.checked })}
        />{' '}
        {t('dnsCheckLabel')}
      </label>
      <p class="hint" id="dns-ipv6-check-hint">
        {t(ownResolver ? 'dnsCheckHint' : 'dnsCheckDohIntro')}
      </p>
      <p class="hint" id="dns-check-this-device">
        {t('dnsCheckThisDevice')}
      </p>
      {!ownResolver && <DohResolverChoice settings={settings} save={save} />}
    </section>
  );
}

function DohResolverChoice({ settings, save }: { settings: Settings; save: (next: Settings) => void }) {
  const url = dohResolverUrl(settings.dohResolver, settings.dohCustomUrl);
  return (
    <fieldset>
      <legend>{t('dohResolverLegend')}</legend>
      {DOH_RESOLVER_IDS.map((id) => (
        <label key={id}>
          <input type="radio" name="doh-resolver" id={`doh-${id}`} value={id} checked={settings.dohResolver === id} onChange={() => save({ ...settings, dohResolver: id })} />{' '}
          {id === 'custom' ? t('dohCustom') : DOH_RESOLVERS[id].name}
          {id !== 'custom' && <span class="hint"> — {DOH_RESOLVERS[id].url}</span>}
        </label>
      ))}
      {settings.dohResolver === 'custom' && (
        <ValidatedInput
          id="doh-url"
          label={t('dohUrlLabel')}
          value={settings.dohCustomUrl}
          placeholder="https://dns.example/dns-query"
          check={(text) => {
            const error = checkDohUrl(text);
            return error === undefined ? undefined : t(DOH_URL_ERROR_KEYS[error]);
          }}
          onValid={(value) => save({ ...settings, dohCustomUrl: normalizeDohUrl(value) })}
        />
      )}
      <p class="hint" id="doh-sends" data-doh-url={url ?? ''}>
        {url === undefined ? t('dohNoResolver') : t('dohSends', url)}
      </p>
    </fieldset>
  );
}
