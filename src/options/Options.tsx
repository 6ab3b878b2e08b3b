import { useEffect, useState } from 'preact/hooks';
import type { MessageKey } from '../core/i18n';
import { DEFAULT_NAT64_PREFIXES, type Nat64PrefixError } from '../core/address/nat64';
import {
  DEFAULT_SETTINGS,
  ICON_STYLES,
  LOOKUP_PROVIDER_IDS,
  LOOKUP_PROVIDERS,
  addNat64Prefix,
  checkTemplate,
  removeNat64Prefix,
  type IconStyle,
  type Settings,
  type TemplateError,
} from '../core/settings/settings';
import { t } from '../platform/i18n';
import { browserColorScheme } from '../platform/colorScheme';
import { reportColorScheme, saveLearnedPrefixes, saveSettings } from '../platform/storedConfig';
import { useStoredConfig } from '../ui/useStoredConfig';
import { DnsCheckSection } from './DnsCheckSection';
import { HistorySection } from './HistorySection';
import { ProxySection } from './ProxySection';
import { ValidatedInput } from './ValidatedInput';

const ICON_STYLE_KEYS: Record<IconStyle, MessageKey> = { auto: 'iconStyleAuto', light: 'iconStyleLight', dark: 'iconStyleDark' };
const TEMPLATE_ERROR_KEYS: Record<TemplateError, MessageKey> = { https: 'templateErrorHttps', dollar: 'templateErrorDollar', url: 'templateErrorUrl' };

export function prefixErrorText(error: Nat64PrefixError | { code: 'duplicate'; prefix: string }): string {
  switch (error.code) {
    case 'empty':
      return t('nat64ErrorEmpty');
    case 'no-length':
      return t('nat64ErrorNoLength');
    case 'bad-length':
      return t('nat64ErrorBadLength', error.length);
    case 'not-ipv6':
      return t('nat64ErrorNotIPv6');
    case 'zone':
      return t('nat64ErrorZone');
    case 'host-bits':
      return t('nat64ErrorHostBits', error.suggestion);
    case 'u-octet':
      return t('nat64ErrorUOctet');
    case 'special':
      return t('nat64ErrorSpecial', error.range);
    case 'duplicate':
      return t('nat64ErrorDuplicate', error.prefix);
  }
}

export function Options() {
  const { config, loaded } = useStoredConfig();
  const [status, setStatus] = useState('');
  const settings = config.settings;

  useEffect(() => {
    if (loaded) void reportColorScheme(browserColorScheme() ?? 'light', config.pageScheme).catch(() => undefined);
  }, [loaded, config.pageScheme]);

  const save = (next: Settings, done: MessageKey = 'optionsSaved'): void => {
    saveSettings(next).then(
      () => setStatus(t(done)),
      (error: unknown) => setStatus(t('optionsSaveFailed', String(error))),
    );
  };

  const reset = (): void => {
    Promise.all([saveSettings({ ...DEFAULT_SETTINGS, nat64Prefixes: [] }), saveLearnedPrefixes([])]).then(
      () => setStatus(t('resetDone')),
      (error: unknown) => setStatus(t('optionsSaveFailed', String(error))),
    );
  };

  if (!loaded) return <p>{t('loading')}</p>;
  return (
    <main>
      <h1>{t('optionsTitle')}</h1>
      <section aria-labelledby="icon-style">
        <h2 id="icon-style">{t('iconStyleHeading')}</h2>
        {ICON_STYLES.map((style) => (
          <label key={style}>
            <input type="radio" name="icon-style" value={style} checked={settings.iconStyle === style} onChange={() => save({ ...settings, iconStyle: style })} />{' '}
            {t(ICON_STYLE_KEYS[style])}
          </label>
        ))}
      </section>
      <Nat64Section settings={settings} learned={config.learned} save={save} setStatus={setStatus} />
      <LookupSection settings={settings} save={save} />
      <CheckboxSection
        sectionId="popup-options"
        heading={t('highlightHeading')}
        id="show-connected"
        label={t('highlightLabel')}
        checked={settings.showConnectedHighlight}
        onChange={(checked) => save({ ...settings, showConnectedHighlight: checked })}
      />
      <DnsCheckSection settings={settings} save={save} />
      <ProxySection />
      <HistorySection setStatus={setStatus} />
      <section>
        <button type="button" id="reset" onClick={reset}>
          {t('resetButton')}
        </button>
      </section>
      <p class="status" id="status" role="status" aria-live="polite">
        {status}
      </p>
    </main>
  );
}

function Nat64Section({
  settings,
  learned,
  save,
  setStatus,
}: {
  settings: Settings;
  learned: string[];
  save: (next: Settings) => void;
  setStatus: (text: string) => void;
}) {
  const [input, setInput] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const add = (event: Event): void => {
    event.preventDefault();
    const result = addNat64Prefix(settings, learned, input);
    if (!result.ok) {
      setError(prefixErrorText(result.error));
      return;
    }
    setError(undefined);
    setInput('');
    save(result.settings);
  };
  const forgetLearned = (prefix: string): void => {
    saveLearnedPrefixes(learned.filter((p) => p !== prefix)).then(
      () => setStatus(t('optionsSaved')),
      (e: unknown) => setStatus(t('optionsSaveFailed', String(e))),
    );
  };
  return (
    <section aria-labelledby="nat64">
      <h2 id="nat64">{t('nat64Heading')}</h2>
      <p class="hint">{t('nat64Intro')}</p>
      <h3>{t('nat64Defaults')}</h3>
      <PrefixList prefixes={DEFAULT_NAT64_PREFIXES.map((p) => p.text)} source="default" />
      <h3>{t('nat64Yours')}</h3>
      <PrefixList prefixes={settings.nat64Prefixes} source="user" onRemove={(prefix) => save(removeNat64Prefix(settings, prefix))} />
      <form class="add" onSubmit={add}>
        <input
          type="text"
          id="nat64-input"
          aria-label={t('nat64InputLabel')}
          placeholder="2001:db8:64::/96"
          spellcheck={false}
          value={input}
          aria-invalid={error !== undefined}
          aria-describedby="nat64-error"
          onInput={(event) => {
            setInput(event.currentTarget.value);
            setError(undefined);
          }}
        />
        <button type="submit" id="nat64-add">
          {t('nat64Add')}
        </button>
      </form>
      <p class="error" id="nat64-error" role="alert">
        {error}
      </p>
      <h3>{t('nat64Learned')}</h3>
      <p class="hint">{t('nat64LearnedHint')}</p>
      <PrefixList prefixes={learned} source="learned" onRemove={forgetLearned} />
    </section>
  );
}

function PrefixList({ prefixes, source, onRemove }: { prefixes: readonly string[]; source: string; onRemove?: (prefix: string) => void }) {
  if (prefixes.length === 0) return <p class="hint">{t('nat64None')}</p>;
  return (
    <ul class="prefixes">
      {prefixes.map((prefix) => (
        <li key={prefix} data-prefix={prefix} data-source={source}>
          <span>{prefix}</span>
          {onRemove !== undefined && (
            <button type="button" aria-label={t('nat64RemoveLabel', prefix)} onClick={() => onRemove(prefix)}>
              {t('nat64Remove')}
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

function LookupSection({ settings, save }: { settings: Settings; save: (next: Settings) => void }) {
  return (
    <section aria-labelledby="lookup">
      <h2 id="lookup">{t('lookupHeading')}</h2>
      <p class="hint">{t('lookupIntro')}</p>
      {LOOKUP_PROVIDER_IDS.map((id) => (
        <label key={id}>
          <input type="radio" name="lookup" value={id} checked={settings.lookupProvider === id} onChange={() => save({ ...settings, lookupProvider: id })} />{' '}
          {id === 'custom' ? t('lookupCustom') : id}
          {id !== 'custom' && LOOKUP_PROVIDERS[id].domain === undefined && <span class="hint"> — {t('lookupNoDomains', id)}</span>}
        </label>
      ))}
      {settings.lookupProvider === 'custom' && (
        <>
          <ValidatedInput
            id="domain-template"
            label={t('lookupDomainTemplate')}
            value={settings.customDomainTemplate}
            placeholder={TEMPLATE_PLACEHOLDER}
            check={templateErrorText}
            onValid={(value) => save({ ...settings, customDomainTemplate: value })}
          />
          <ValidatedInput
            id="address-template"
            label={t('lookupAddressTemplate')}
            value={settings.customAddressTemplate}
            placeholder={TEMPLATE_PLACEHOLDER}
            check={templateErrorText}
            onValid={(value) => save({ ...settings, customAddressTemplate: value })}
          />
        </>
      )}
    </section>
  );
}

const TEMPLATE_PLACEHOLDER = 'https://example.net/lookup/$';

function templateErrorText(text: string): string | undefined {
  const error = checkTemplate(text);
  return error === undefined ? undefined : t(TEMPLATE_ERROR_KEYS[error]);
}

/** A section with one on/off setting, and optionally a line that explains it. */
function CheckboxSection(props: {
  sectionId: string;
  heading: string;
  id: string;
  label: string;
  checked: boolean;
  disabled?: boolean;
  hint?: string;
  onChange: (checked: boolean) => void;
}) {
  const hintId = `${props.id}-hint`;
  return (
    <section aria-labelledby={props.sectionId}>
      <h2 id={props.sectionId}>{props.heading}</h2>
      <label>
        <input
          type="checkbox"
          id={props.id}
          checked={props.checked}
          disabled={props.disabled}
          aria-describedby={props.hint === undefined ? undefined : hintId}
          onChange={(event) => props.onChange(event.currentTarget.checked)}
        />{' '}
        {props.label}
      </label>
      {props.hint !== undefined && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
    </section>
  );
}
