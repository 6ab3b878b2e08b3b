/** The table's filters: families (checkboxes), one class or all and one readiness or all (selects), and text in a domain or address. */
import { isReadiness } from '../core/readiness/readiness';
import { readinessLabel } from '../core/readiness/readinessText';
import { classesPresent, readinessPresent, type ClassKey, type RowFilter } from '../core/view/reportTable';
import type { DomainSnapshot } from '../core/view/snapshot';
import { t } from '../platform/i18n';
import { classLabel } from '../ui/format';
import { FamilyFilter } from './FamilyFilter';

function classChoice(key: ClassKey): string {
  if (key === 'none') return t('classNone');
  return classLabel(key === 'unparseable' ? undefined : key);
}

interface Props {
  rows: readonly DomainSnapshot[];
  filter: RowFilter;
  onChange: (filter: RowFilter) => void;
}

export function ReportFilters({ rows, filter, onChange }: Props) {
  const selectedClass = filter.classes === 'all' ? 'all' : ([...filter.classes][0] ?? 'all');
  // The chosen class stays a choice even when no row has it any more (the page changed meanwhile).
  const classes = classesPresent(rows);
  if (selectedClass !== 'all' && !classes.includes(selectedClass)) classes.push(selectedClass);
  const selectedReadiness = filter.readiness === undefined || filter.readiness === 'all' ? 'all' : ([...filter.readiness][0] ?? 'all');
  const readinessChoices = readinessPresent(rows);
  if (selectedReadiness !== 'all' && !readinessChoices.includes(selectedReadiness)) readinessChoices.push(selectedReadiness);
  const chooseReadiness = (value: string): void => {
    onChange({ ...filter, readiness: isReadiness(value) ? new Set([value]) : 'all' });
  };
  const chooseClass = (value: string): void => {
    onChange({ ...filter, classes: value === 'all' ? 'all' : new Set([value as ClassKey]) });
  };
  return (
    <section class="filters" aria-label={t('filtersLabel')}>
      <FamilyFilter families={filter.families} attribute="filter-family" onChange={(families) => onChange({ ...filter, families })} />
      <label>
        {t('filterClass')}{' '}
        <select data-filter-class value={selectedClass} onChange={(event) => chooseClass(event.currentTarget.value)}>
          <option value="all">{t('filterClassAll')}</option>
          {classes.map((key) => (
            <option key={key} value={key}>
              {classChoice(key)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('filterReadiness')}{' '}
        <select data-filter-readiness value={selectedReadiness} onChange={(event) => chooseReadiness(event.currentTarget.value)}>
          <option value="all">{t('filterReadinessAll')}</option>
          {readinessChoices.map((value) => (
            <option key={value} value={value}>
              {readinessLabel(value, t)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('filterText')}{' '}
        <input
          type="search"
          data-filter-text
          value={filter.text ?? ''}
          placeholder={t('filterTextPlaceholder')}
          onInput={(event) => onChange({ ...filter, text: event.currentTarget.value })}
        />
      </label>
    </section>
  );
}
