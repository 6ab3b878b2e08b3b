/** Display text for the popup's cells. */
import type { Family } from '../core/address';
import type { FlagName } from '../core/model';

export function familyLabel(family: Family | undefined): string {
  return family === 6 ? 'IPv6' : family === 4 ? 'IPv4' : '?';
}

/** Value of the stable `data-family` attribute. */
export function familyAttribute(family: Family | undefined): '4' | '6' | '?' {
  return family === 6 ? '6' : family === 4 ? '4' : '?';
}

/** Flags worth a glance; TLS is the norm, so only its absence is shown. */
export const FLAG_LABELS: Partial<Record<FlagName, { label: string; title: string }>> = {
  cache: { label: 'cache', title: 'Some responses came from the browser cache' },
  prefetch: { label: 'prefetch', title: 'Fetched speculatively (prefetch or prerender)' },
  serviceWorker: { label: 'SW', title: "Fetched by the page's service worker" },
  websocket: { label: 'WS', title: 'WebSocket connection' },
  plainHttp: { label: 'HTTP', title: 'Plain HTTP: not encrypted' },
};

const twoDigits = (n: number): string => String(n).padStart(2, '0');

/** Local time as HH:MM:SS. Built by hand: an Intl formatter costs more to create than a popup render. */
export function timeOfDay(epochMs: number): string {
  const date = new Date(epochMs);
  return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
}
