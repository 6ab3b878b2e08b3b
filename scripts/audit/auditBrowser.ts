/**
 * What the audit needs of a browser, the same for Chromium (playwright-core) and Firefox
 * (puppeteer-core over WebDriver BiDi): tabs it can load, scroll and watch the network of, and the
 * extension's own report of a tab, asked of the background through the extension's messages.
 */
import { isWatchTabResponse, portName } from '../../src/core/messages';
import type { TabSummary } from '../../src/core/view/snapshot';

export interface AuditTab {
  /** Loads the URL and waits for its load event; throws the browser's error (unreachable, TLS, timeout, crash). */
  goto(url: string, timeoutMs: number): Promise<void>;
  /** Evaluates an expression in the page (a string: no helper of a TypeScript loader leaks in). */
  evaluate<T>(expression: string): Promise<T>;
  url(): string;
  /** Requests started and not yet finished or failed. */
  inflight(): number;
  /** When a request last started or ended (epoch ms). */
  lastActivity(): number;
  close(): Promise<void>;
}

export interface AuditBrowser {
  newTab(): Promise<AuditTab>;
  /** Evaluates an expression in an extension page of IPvLens (its runtime and tabs APIs). */
  inExtension<T>(expression: string): Promise<T>;
  /** The browser itself went away (crashed, killed): what fails now is not the site's fault. */
  gone(): boolean;
  close(): Promise<void>;
}

/** Counts a tab's requests in flight from the automation library's request events. */
export class NetworkWatch {
  private pending = 0;
  private last = Date.now();
  started(): void {
    this.pending++;
    this.last = Date.now();
  }
  ended(): void {
    this.pending = Math.max(0, this.pending - 1);
    this.last = Date.now();
  }
  inflight(): number {
    return this.pending;
  }
  lastActivity(): number {
    return this.last;
  }
}

/** The part of a Playwright or Puppeteer page the audit uses (the two agree on it). */
export interface PageLike {
  goto(url: string, options: { waitUntil: 'load'; timeout: number }): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
  url(): string;
  close(): Promise<void>;
  on(event: 'request' | 'requestfinished' | 'requestfailed', listener: () => void): unknown;
}

/** A tab over a page, its requests in flight counted from the page's request events. */
export function auditTab(page: PageLike): AuditTab {
  const network = new NetworkWatch();
  page.on('request', () => network.started());
  page.on('requestfinished', () => network.ended());
  page.on('requestfailed', () => network.ended());
  return {
    goto: async (url, timeoutMs) => {
      await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    },
    evaluate: <T>(expression: string) => page.evaluate(expression) as Promise<T>,
    url: () => page.url(),
    inflight: () => network.inflight(),
    lastActivity: () => network.lastActivity(),
    close: () => page.close(),
  };
}

/**
 * Evaluated in an extension page: finds the tab showing `pageUrl`, follows it on a watchTab port
 * as the popup does, asks for every row, and answers with the first complete summary.
 */
function summaryExpression(pageUrl: string, timeoutMs: number): string {
  return `(async () => {
    const api = globalThis.browser ?? globalThis.chrome;
    const tabs = (await api.tabs.query({})).filter((tab) => tab.url === ${JSON.stringify(pageUrl)});
    if (tabs.length !== 1) return { error: tabs.length === 0 ? 'the extension sees no tab showing the page' : 'several tabs show the same page' };
    const name = ${JSON.stringify(portName('watchTab', { tabId: 0 }))}.replace('"tabId":0', '"tabId":' + tabs[0].id);
    return await new Promise((resolve) => {
      const port = api.runtime.connect({ name });
      const finish = (value) => { clearTimeout(timer); port.disconnect(); resolve(value); };
      const timer = setTimeout(() => finish({ error: 'the extension did not answer' }), ${timeoutMs});
      port.onMessage.addListener((message) => {
        if (message?.report?.state === 'ok' && message.report.snapshot.omittedRows > 0) return;
        finish({ message });
      });
      port.onDisconnect.addListener(() => finish({ error: 'the extension closed the port' }));
      port.postMessage({ allRows: true });
    });
  })()`;
}

/** The extension's summary of the tab showing `pageUrl`: the same data the popup's export is built from. */
export async function extensionSummary(browser: AuditBrowser, pageUrl: string, timeoutMs = 10_000): Promise<TabSummary> {
  const reply = await browser.inExtension<{ error?: string; message?: unknown }>(summaryExpression(pageUrl, timeoutMs));
  if (reply.error !== undefined) throw new Error(reply.error);
  if (!isWatchTabResponse(reply.message)) throw new Error('the extension answered something that is not a tab summary');
  return reply.message.report;
}
