// The icon shell: what it sends to the browser's action API, and when it sends nothing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import english from '../../public/_locales/en/messages.json';
import { translatorFor } from '../../src/core/i18n';
import type { Tracker } from '../../src/core/tab/tracker';
import { load, navigate, newTracker } from './trackerEvents';

const action = vi.hoisted(() => ({
  setIcon: vi.fn<(details: { tabId: number; imageData: Record<string, unknown> }) => Promise<void>>(),
  setTitle: vi.fn<(details: { tabId: number; title: string }) => Promise<void>>(),
}));

vi.mock('webextension-polyfill', () => {
  const translate = translatorFor(english);
  return {
    default: {
      action,
      i18n: { getMessage: (key: Parameters<typeof translate>[0], substitutions?: string[]) => translate(key, substitutions) },
    },
  };
});

// Node has no ImageData: a stand-in that keeps what the shell hands it.
class FakeImageData {
  constructor(
    readonly data: Uint8ClampedArray,
    readonly width: number,
    readonly height: number,
  ) {}
}

const { forgetAppliedIcon, updateIcons } = await import('../../src/background/icon');

/** Flushes the promise callbacks of refused calls (`.catch` handlers). */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

let tabCounter = 100;
/** A fresh tab id per test: the shell remembers what it applied per tab across calls. */
const freshTab = (): number => ++tabCounter;

function trackerWithPage(tabId: number, mainIp: string): Tracker {
  const tracker = newTracker();
  navigate(tracker, tabId, 'https://main.example/', mainIp, `doc${tabId}`);
  return tracker;
}

beforeEach(() => {
  vi.stubGlobal('ImageData', FakeImageData);
  action.setIcon.mockReset().mockResolvedValue(undefined);
  action.setTitle.mockReset().mockResolvedValue(undefined);
});
afterEach(() => vi.unstubAllGlobals());

describe('updateIcons', () => {
  it('sends the icon and the title once, then nothing while neither changes', () => {
    const tabId = freshTab();
    const tracker = trackerWithPage(tabId, '2001:db8::1');
    updateIcons(tracker, [tabId], 'light');
    expect(action.setIcon).toHaveBeenCalledTimes(1);
    expect(action.setTitle).toHaveBeenCalledTimes(1);
    const sent = action.setIcon.mock.calls[0]![0];
    expect(sent.tabId).toBe(tabId);
    expect(Object.keys(sent.imageData).sort()).toEqual(['16', '32']);
    expect(sent.imageData['16']).toMatchObject({ width: 16, height: 16 });
    expect(sent.imageData['32']).toMatchObject({ width: 32, height: 32 });
    expect(action.setTitle.mock.calls[0]![0].title).toContain('main.example');

    updateIcons(tracker, [tabId], 'light');
    expect(action.setIcon).toHaveBeenCalledTimes(1);
    expect(action.setTitle).toHaveBeenCalledTimes(1);
  });

  it.each([
    {
      change: 'a third party over IPv4 (pattern and title change)',
      apply: (tracker: Tracker, tabId: number) => load(tracker, 'https://cdn.example/a.js', '192.0.2.7', { tabId }),
      icon: 2,
      title: 2,
    },
    {
      change: 'a second IPv6 host (title changes, pattern stays: no IPv4 besides the main host)',
      apply: (tracker: Tracker, tabId: number) => load(tracker, 'https://img.example/a.png', '2001:db8::2', { tabId }),
      icon: 1,
      title: 2,
    },
    { change: 'nothing', apply: () => undefined, icon: 1, title: 1 },
  ])('re-sends only what changed: $change', ({ apply, icon, title }) => {
    const tabId = freshTab();
    const tracker = trackerWithPage(tabId, '2001:db8::1');
    updateIcons(tracker, [tabId], 'light');
    apply(tracker, tabId);
    updateIcons(tracker, [tabId], 'light');
    expect(action.setIcon).toHaveBeenCalledTimes(icon);
    expect(action.setTitle).toHaveBeenCalledTimes(title);
  });

  it('redraws for a new colour scheme and draws each pattern once for every tab', () => {
    const first = freshTab();
    const second = freshTab();
    const tracker = trackerWithPage(first, '2001:db8::1');
    navigate(tracker, second, 'https://main.example/', '2001:db8::1', 'docSecond');
    updateIcons(tracker, [first, second], 'dark');
    expect(action.setIcon).toHaveBeenCalledTimes(2);
    // Same pattern and tone: the very same images, drawn once.
    expect(action.setIcon.mock.calls[1]![0].imageData).toBe(action.setIcon.mock.calls[0]![0].imageData);
    updateIcons(tracker, [first], 'light');
    expect(action.setIcon).toHaveBeenCalledTimes(3);
    expect(action.setIcon.mock.calls[2]![0].imageData).not.toBe(action.setIcon.mock.calls[0]![0].imageData);
  });

  it('re-sends after the browser refused an update (a tab closing between event and batch)', async () => {
    const tabId = freshTab();
    const tracker = trackerWithPage(tabId, '192.0.2.1');
    action.setIcon.mockRejectedValueOnce(new Error('No tab with id'));
    updateIcons(tracker, [tabId], 'light');
    await settle();
    updateIcons(tracker, [tabId], 'light');
    expect(action.setIcon).toHaveBeenCalledTimes(2);
    // Positive control: an accepted update is not repeated.
    await settle();
    updateIcons(tracker, [tabId], 'light');
    expect(action.setIcon).toHaveBeenCalledTimes(2);
  });

  it('re-sends after a navigation reset (forgetAppliedIcon) and after the tab had no state', () => {
    const tabId = freshTab();
    const tracker = trackerWithPage(tabId, '2001:db8::1');
    updateIcons(tracker, [tabId], 'light');
    forgetAppliedIcon(tabId);
    updateIcons(tracker, [tabId], 'light');
    expect(action.setIcon).toHaveBeenCalledTimes(2);
    expect(action.setTitle).toHaveBeenCalledTimes(2);

    // A tab the tracker no longer knows: nothing is sent, and what was applied is forgotten.
    const empty = newTracker();
    updateIcons(empty, [tabId], 'light');
    expect(action.setIcon).toHaveBeenCalledTimes(2);
    updateIcons(tracker, [tabId], 'light');
    expect(action.setIcon).toHaveBeenCalledTimes(3);
  });
});
