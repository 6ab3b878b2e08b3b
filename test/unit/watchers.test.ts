// The popup-watcher shell: which ports it takes, what it posts on them and when.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/settings/settings';
import { portName, type ResponseOf } from '../../src/core/messages';
import type { Tracker } from '../../src/core/tab/tracker';
import { FIRST_SCREEN_ROWS } from '../../src/core/view/snapshot';
import { load, navigate, newTracker } from './trackerEvents';

const shell = vi.hoisted(() => ({
  tracker: undefined as unknown as Tracker,
  tabsGet: vi.fn<(tabId: number) => Promise<{ url?: string }>>(),
}));

vi.mock('webextension-polyfill', () => ({ default: { tabs: { get: shell.tabsGet } } }));
vi.mock('../../src/background/state', () => ({
  readTracker: <T>(read: (tracker: Tracker) => T): Promise<T> => Promise.resolve(read(shell.tracker)),
}));
vi.mock('../../src/background/config', () => ({
  currentConfig: () => ({ settings: DEFAULT_SETTINGS, pageScheme: 'light' }),
}));
vi.mock('../../src/background/proxySettings', () => ({
  currentProxyContext: () => ({ suspect: true }),
}));

const { onWatchConnect, pushToWatchers } = await import('../../src/background/watchers');

type Update = ResponseOf<'watchTab'>;

/** A runtime.Port double: what was posted on it, and the two events the shell listens to. */
function fakePort(name: string, postMessage: (message: Update) => void = () => undefined) {
  const messageListeners: Array<(message: unknown) => void> = [];
  const disconnectListeners: Array<() => void> = [];
  const posted: Update[] = [];
  const port = {
    name,
    postMessage: vi.fn((message: Update) => {
      postMessage(message);
      posted.push(message);
    }),
    disconnect: vi.fn(),
    onMessage: { addListener: (listener: (message: unknown) => void) => messageListeners.push(listener) },
    onDisconnect: { addListener: (listener: () => void) => disconnectListeners.push(listener) },
  };
  return {
    port,
    posted,
    send: (message: unknown) => messageListeners.forEach((listener) => listener(message)),
    close: () => disconnectListeners.forEach((listener) => listener()),
  };
}

/** Lets the shell's promise chains (readTracker → post) run. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

let tabCounter = 500;

/** A tab whose page has `domains` third-party hosts besides its own. */
function pageWith(domains: number): number {
  const tabId = ++tabCounter;
  navigate(shell.tracker, tabId, 'https://main.example/', '2001:db8::1', `doc${tabId}`);
  for (let i = 0; i < domains; i++) load(shell.tracker, `https://h${i}.example/x.js`, i % 2 === 0 ? '192.0.2.1' : '2001:db8::2', { tabId });
  return tabId;
}

function rowsOf(update: Update | undefined): number | undefined {
  return update?.report.state === 'ok' ? update.report.snapshot.domains.length : undefined;
}

function connect(tabId: number, postMessage?: (message: Update) => void) {
  const watcher = fakePort(portName('watchTab', { tabId }), postMessage);
  onWatchConnect(watcher.port as never);
  return watcher;
}

beforeEach(() => {
  shell.tracker = newTracker();
  shell.tabsGet.mockReset().mockResolvedValue({ url: 'https://main.example/' });
});

describe('onWatchConnect', () => {
  it.each([
    { what: 'another message name', name: portName('allRows', { allRows: true }), disconnected: false },
    { what: 'a malformed name', name: 'watchTab:{not json', disconnected: false },
    { what: 'a watchTab request without a tab id', name: 'watchTab:{"tab":1}', disconnected: true },
  ])('leaves alone $what (disconnected: $disconnected), posting nothing', async ({ name, disconnected }) => {
    const watcher = fakePort(name);
    onWatchConnect(watcher.port as never);
    await settle();
    expect(watcher.posted).toEqual([]);
    expect(watcher.port.disconnect).toHaveBeenCalledTimes(disconnected ? 1 : 0);
  });

  it('posts the first screen of rows with the config, then every row once asked (once)', async () => {
    const tabId = pageWith(FIRST_SCREEN_ROWS + 10);
    const watcher = connect(tabId);
    await settle();
    expect(watcher.posted).toHaveLength(1);
    expect(rowsOf(watcher.posted[0])).toBe(FIRST_SCREEN_ROWS);
    expect(watcher.posted[0]!.config).toEqual({ settings: DEFAULT_SETTINGS, pageScheme: 'light' });

    watcher.send({ allRows: true });
    await settle();
    expect(rowsOf(watcher.posted[1])).toBe(FIRST_SCREEN_ROWS + 11);
    // Asked again, or asked with something else: nothing more.
    watcher.send({ allRows: true });
    watcher.send({ allRows: 'yes' });
    await settle();
    expect(watcher.posted).toHaveLength(2);
  });

  it('with thenAllRows posts the first screen, then every row unasked, and every row after each batch', async () => {
    const tabId = pageWith(FIRST_SCREEN_ROWS + 10);
    const watcher = fakePort(portName('watchTab', { tabId, thenAllRows: true }));
    onWatchConnect(watcher.port as never);
    await vi.waitFor(() => expect(watcher.posted).toHaveLength(2));
    expect(watcher.posted.map(rowsOf)).toEqual([FIRST_SCREEN_ROWS, FIRST_SCREEN_ROWS + 11]);
    // Asking as well changes nothing; batches bring every row.
    watcher.send({ allRows: true });
    await settle();
    pushToWatchers(shell.tracker, [tabId]);
    expect(watcher.posted.map(rowsOf)).toEqual([FIRST_SCREEN_ROWS, FIRST_SCREEN_ROWS + 11, FIRST_SCREEN_ROWS + 11]);
  });

  it('with thenAllRows and a first answer already complete posts it once, then every row as the page grows', async () => {
    const tabId = pageWith(2);
    const watcher = fakePort(portName('watchTab', { tabId, thenAllRows: true }));
    onWatchConnect(watcher.port as never);
    await settle();
    await settle();
    expect(watcher.posted.map(rowsOf)).toEqual([3]);
    for (let i = 0; i < FIRST_SCREEN_ROWS + 5; i++) load(shell.tracker, `https://more${i}.example/x.js`, '192.0.2.1', { tabId });
    pushToWatchers(shell.tracker, [tabId]);
    expect(watcher.posted.map(rowsOf)).toEqual([3, FIRST_SCREEN_ROWS + 8]);
  });

  it('with thenAllRows builds nothing more for a page closed before its rows were built', async () => {
    const tabId = pageWith(FIRST_SCREEN_ROWS + 10);
    const closed = fakePort(portName('watchTab', { tabId, thenAllRows: true }));
    onWatchConnect(closed.port as never);
    // Positive control: a page left open gets both answers meanwhile.
    const open = fakePort(portName('watchTab', { tabId, thenAllRows: true }));
    onWatchConnect(open.port as never);
    await Promise.resolve();
    await Promise.resolve();
    closed.close();
    await vi.waitFor(() => expect(open.posted).toHaveLength(2));
    await settle();
    expect(closed.posted.map(rowsOf)).toEqual([FIRST_SCREEN_ROWS]);
  });

  it('asks the tabs API for the URL only when the view has none, and says "no-tab" when the tab is gone', async () => {
    const known = pageWith(1);
    const watcher = connect(known);
    await settle();
    expect(shell.tabsGet).not.toHaveBeenCalled();
    expect(watcher.posted[0]!.report.state).toBe('ok');

    // A tab IPvLens has seen nothing of: the tabs API tells whether it still exists.
    const unseen = connect(9999);
    await settle();
    expect(shell.tabsGet).toHaveBeenCalledWith(9999);
    expect(unseen.posted[0]!.report.state).toBe('not-seen');

    shell.tabsGet.mockRejectedValueOnce(new Error('No tab with id: 9998'));
    const gone = connect(9998);
    await settle();
    expect(gone.posted[0]!.report).toEqual({ tabId: 9998, state: 'no-tab' });
  });
});

describe('pushToWatchers', () => {
  it('builds one report per row limit and posts it to every watcher of the tab', async () => {
    const tabId = pageWith(FIRST_SCREEN_ROWS + 4);
    const first = connect(tabId);
    const second = connect(tabId);
    const all = connect(tabId);
    all.send({ allRows: true });
    const otherTab = connect(pageWith(1));
    await settle();
    const before = [first, second, all, otherTab].map((w) => w.posted.length);

    pushToWatchers(shell.tracker, [tabId]);
    expect(first.posted.at(-1)!.report).toBe(second.posted.at(-1)!.report);
    expect(rowsOf(first.posted.at(-1))).toBe(FIRST_SCREEN_ROWS);
    expect(rowsOf(all.posted.at(-1))).toBe(FIRST_SCREEN_ROWS + 5);
    expect([first, second, all, otherTab].map((w) => w.posted.length)).toEqual([before[0]! + 1, before[1]! + 1, before[2]! + 1, before[3]]);
  });

  it('tells a watcher its tab closed, stops posting to a closed port, and a failing port does not stop the others', async () => {
    const tabId = pageWith(2);
    const failing = connect(tabId, () => {
      throw new Error('Attempting to use a disconnected port object');
    });
    const healthy = connect(tabId);
    const closed = connect(tabId);
    await settle();
    closed.close();
    const closedPosts = closed.posted.length;

    pushToWatchers(shell.tracker, [tabId]);
    expect(failing.port.postMessage).toHaveBeenCalledTimes(2);
    expect(rowsOf(healthy.posted.at(-1))).toBe(3);
    expect(closed.posted).toHaveLength(closedPosts);

    shell.tracker.tabs.delete(tabId);
    pushToWatchers(shell.tracker, [tabId]);
    expect(healthy.posted.at(-1)!.report).toEqual({ tabId, state: 'no-tab' });
  });
});
