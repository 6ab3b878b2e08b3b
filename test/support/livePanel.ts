/** Reads the popup's live panel through its data-* contract: shares, timeline series, switches, row figures. */
import type { Page } from 'playwright-core';

export interface ShareFigures {
  v6: number;
  v4: number;
  unknown: number;
  text: string;
}

export interface LiveFigures {
  shares: Record<'domains' | 'requests' | 'bytes', ShareFigures>;
  /** Per period ("10m", "1h") and series: counts per bar, oldest first. */
  timelines: Record<string, Record<string, number[]>>;
  switches: { domain: string; from: string; to: string; fromFamily: string; toFamily: string; count: number; text: string }[];
  markers: number;
}

export interface RowFigures {
  domain: string;
  requests: number;
  lastMinute: number;
  bytes: number;
  unsized: number;
  connected: boolean;
}

export const LIVE_EXPRESSION = `(() => {
  const number = (el, name) => Number(el.getAttribute(name));
  const shares = {};
  for (const el of document.querySelectorAll('[data-share]')) {
    shares[el.getAttribute('data-share')] = {
      v6: number(el, 'data-v6'), v4: number(el, 'data-v4'), unknown: number(el, 'data-unknown'),
      text: el.querySelector('.share-text')?.textContent ?? '',
    };
  }
  const timelines = {};
  for (const figure of document.querySelectorAll('.timeline[data-period]')) {
    const series = {};
    for (const path of figure.querySelectorAll('path[data-series]')) {
      series[path.getAttribute('data-series')] = (path.getAttribute('data-counts') ?? '').split(' ').map(Number);
    }
    timelines[figure.getAttribute('data-period')] = series;
  }
  const switches = [...document.querySelectorAll('[data-switch-domain]')].map((el) => ({
    domain: el.getAttribute('data-switch-domain'), from: el.getAttribute('data-from'), to: el.getAttribute('data-to'),
    fromFamily: el.getAttribute('data-from-family'), toFamily: el.getAttribute('data-to-family'),
    count: number(el, 'data-count'), text: el.textContent ?? '',
  }));
  return { shares, timelines, switches, markers: document.querySelectorAll('.switch-marker').length };
})()`;

export const ROW_FIGURES_EXPRESSION = `[...document.querySelectorAll('[data-domain]')].map((el) => ({
  domain: el.getAttribute('data-domain') ?? '',
  requests: Number(el.getAttribute('data-requests')),
  lastMinute: Number(el.getAttribute('data-last-minute')),
  bytes: Number(el.getAttribute('data-bytes')),
  unsized: Number(el.getAttribute('data-unsized')),
  connected: el.classList.contains('connected'),
}))`;

export function readLive(popup: Page): Promise<LiveFigures> {
  return popup.evaluate<LiveFigures>(LIVE_EXPRESSION);
}

export function readRowFigures(popup: Page): Promise<RowFigures[]> {
  return popup.evaluate<RowFigures[]>(ROW_FIGURES_EXPRESSION);
}

export const sumOf = (values: number[] | undefined): number => (values ?? []).reduce((a, b) => a + b, 0);
