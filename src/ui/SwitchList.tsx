/** Moments a domain moved to another family or to a new address, newest first. */
import type { SwitchEvent } from '../core/live/live';
import { t } from '../platform/i18n';
import { familyLabel, timeOfDay } from './format';

export function switchText(event: SwitchEvent): string {
  const first = t('switchEntry', [event.domain, event.from, event.to, familyLabel(event.fromFamily), familyLabel(event.toFamily), timeOfDay(event.time)]);
  if (event.count <= 1) return first;
  return `${first}; ${t('switchRepeated', [String(event.count), timeOfDay(event.lastTime), familyLabel(event.nowFamily), event.now])}`;
}

export function SwitchList({ switches, limit }: { switches: SwitchEvent[]; limit: number }) {
  const newestFirst = switches.slice(-limit).reverse();
  const hidden = switches.length - newestFirst.length;
  return (
    <section class="switches">
      <h2>{t('switchesHeading')}</h2>
      {switches.length === 0 ? (
        <p class="muted">{t('noSwitches')}</p>
      ) : (
        <ol>
          {newestFirst.map((event) => (
            <li
              key={`${event.domain} ${event.time}`}
              data-switch-domain={event.domain}
              data-from={event.from}
              data-to={event.to}
              data-from-family={event.fromFamily}
              data-to-family={event.toFamily}
              data-count={event.count}
            >
              {switchText(event)}
            </li>
          ))}
        </ol>
      )}
      {hidden > 0 && <p class="muted">{t('moreSwitches', String(hidden))}</p>}
    </section>
  );
}
