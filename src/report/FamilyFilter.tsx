/** The family checkboxes both report views filter with (IPv6, IPv4, unknown). */
import { FAMILY_KEYS, type FamilyKey } from '../core/view/reportTable';
import { t } from '../platform/i18n';

function familyChoice(key: FamilyKey): string {
  return t(key === '6' ? 'familyIPv6' : key === '4' ? 'familyIPv4' : 'shareUnknown');
}

interface Props {
  families: 'all' | ReadonlySet<FamilyKey>;
  /** The checkbox's data attribute: `data-<name>="6|4|?"`. */
  attribute: string;
  onChange: (families: 'all' | ReadonlySet<FamilyKey>) => void;
}

export function FamilyFilter({ families, attribute, onChange }: Props) {
  const checked = families === 'all' ? new Set(FAMILY_KEYS) : families;
  const toggle = (key: FamilyKey, on: boolean): void => {
    const next = new Set(checked);
    if (on) next.add(key);
    else next.delete(key);
    onChange(next.size === FAMILY_KEYS.length ? 'all' : next);
  };
  return (
    <fieldset>
      <legend>{t('filterFamily')}</legend>
      {FAMILY_KEYS.map((key) => (
        <label key={key}>
          <input type="checkbox" {...{ [`data-${attribute}`]: key }} checked={checked.has(key)} onChange={(event) => toggle(key, event.currentTarget.checked)} />{' '}
          <span class={`badge family-${key}`}>{familyChoice(key)}</span>
        </label>
      ))}
    </fieldset>
  );
}
