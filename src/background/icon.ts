/** Applies each tab's icon and title, drawing a pattern once and re-sending only on change. */
import browser from 'webextension-polyfill';
import { PALETTES, renderIcon } from '../core/icon/iconBitmap';
import { iconPatternOf, iconTitle, patternKey, type IconPattern } from '../core/icon/iconPattern';
import type { ColorScheme } from '../core/settings/settings';
import type { Tracker } from '../core/tab/tracker';
import { t } from '../platform/i18n';

const drawn = new Map<string, Record<string, ImageData>>();
const applied = new Map<number, { key: string; title: string }>();

function imagesFor(pattern: IconPattern, tone: ColorScheme): Record<string, ImageData> {
  const key = `${tone}:${patternKey(pattern)}`;
  let images = drawn.get(key);
  if (images === undefined) {
    const palette = PALETTES[tone];
    images = {
      '16': new ImageData(renderIcon(pattern, 1, palette), 16, 16),
      '32': new ImageData(renderIcon(pattern, 2, palette), 32, 32),
    };
    drawn.set(key, images);
  }
  return images;
}

/** The browser may reset a tab's icon on navigation: the next update re-sends it. */
export function forgetAppliedIcon(tabId: number): void {
  applied.delete(tabId);
}

export function updateIcons(tracker: Tracker, tabIds: Iterable<number>, tone: ColorScheme): void {
  for (const tabId of tabIds) {
    const tab = tracker.tabs.get(tabId);
    if (tab === undefined) {
      applied.delete(tabId);
      continue;
    }
    const pattern = iconPatternOf(tab.current);
    const key = `${tone}:${patternKey(pattern)}`;
    const title = iconTitle(tab.current, tracker.describe, t);
    const last = applied.get(tabId);
    if (last?.key !== key) {
      // Tabs can close between the event and this batch: a refused update is expected then.
      browser.action.setIcon({ tabId, imageData: imagesFor(pattern, tone) as never }).catch(() => applied.delete(tabId));
    }
    if (last?.title !== title) browser.action.setTitle({ tabId, title }).catch(() => applied.delete(tabId));
    applied.set(tabId, { key, title });
  }
}
