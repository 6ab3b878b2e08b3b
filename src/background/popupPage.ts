/**
 * Chromium: the worker serves the popup page itself, with the tab's rows already in it. A page
 * otherwise paints nothing until its script has loaded and asked the worker over a port; served
 * this way, the first screen is painted as the page is parsed, and the rest of the rows follow in
 * the same response. The page's script then takes over (popup/main.tsx). Anything that goes wrong
 * here only costs that head start: the page is then served as packaged and asks as before.
 *
 * Only navigations to the popup page reach the worker: every other request of the extension's
 * pages is routed past it (the install event's routes), so no script or image waits for it.
 */
import browser from 'webextension-polyfill';
import { tabIdInQuery } from '../core/view/tabQuery';
import { utf8Bytes } from '../core/view/utf8Bytes';
import { prerenderPopup } from '../popup/prerender';
import { popupTabId } from '../platform/popupTab';
import { currentConfig } from './config';
import { buildSummary } from './watchers';

const POPUP_PATH = '/src/popup/index.html';
const APP_ROOT = '<div id="app"></div>';
/** Extension pages' own policy (Manifest V3's), stated on the response the worker builds. */
const PAGE_POLICY = "script-src 'self'; object-src 'self'";

interface FetchEventLike extends Event {
  request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface InstallEventLike extends Event {
  addRoutes?: (rules: unknown) => Promise<void>;
}

const isFetchEvent = (event: Event): event is FetchEventLike => 'request' in event && 'respondWith' in event;
const isInstallEvent = (event: Event): event is InstallEventLike => event.type === 'install';

/** The packaged page, read once per worker life. */
let packagedPage: Promise<string> | undefined;

function readPackagedPage(): Promise<string> {
  packagedPage ??= fetch(browser.runtime.getURL(POPUP_PATH)).then((response) => {
    if (!response.ok) throw new Error(`the packaged popup page answered ${response.status}`);
    return response.text();
  });
  // A failed read is tried again at the next open.
  packagedPage.catch(() => (packagedPage = undefined));
  return packagedPage;
}

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The popup page for `url`: the packaged page with the rows written into its app root. */
async function servePopup(url: URL): Promise<Response> {
  const page = await readPackagedPage();
  const at = page.indexOf(APP_ROOT);
  if (at === -1) throw new Error(`the packaged popup page has no ${APP_ROOT}`);
  const wide = tabIdInQuery(url.search) !== undefined;
  // The class the page's script sets when it is a tab of its own (main.tsx), there before the first layout.
  const head = (wide ? page.slice(0, at).replace('<html', '<html class="in-tab"') : page.slice(0, at)) + '<div id="app">';
  const tail = '</div>' + page.slice(at + APP_ROOT.length);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      // The head goes first: the browser fetches the page's script meanwhile.
      controller.enqueue(utf8Bytes(head, encoder));
      try {
        const tabId = await popupTabId(url.search, 'worker');
        const summary = tabId === undefined ? undefined : await buildSummary(tabId, Infinity);
        const { settings, pageScheme } = currentConfig();
        const view = summary === undefined ? undefined : prerenderPopup(summary, { settings, pageScheme }, wide);
        if (view !== undefined) {
          controller.enqueue(utf8Bytes(view.firstScreen, encoder));
          // Each part leaves before the next is rendered, the first screen first.
          for (const part of view.rest()) {
            await nextTask();
            controller.enqueue(utf8Bytes(part, encoder));
          }
        }
      } catch (error) {
        // An empty app root: the page asks the worker as it would without this.
        console.error('IPvLens: could not prerender the popup', error);
      }
      try {
        controller.enqueue(utf8Bytes(tail, encoder));
        controller.close();
      } catch {
        // The page closed meanwhile: nobody is reading.
      }
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_POLICY } });
}

export function onFetch(event: Event): void {
  if (!isFetchEvent(event)) return;
  const { request } = event;
  if (request.mode !== 'navigate' || request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== location.origin || url.pathname !== POPUP_PATH) return;
  // The packaged page when the worker cannot build one: the popup must always open.
  event.respondWith(servePopup(url).catch(() => fetch(request)));
}

/**
 * Every request but the popup page goes straight to the package, without starting or asking the
 * worker (Chrome 123+; older ones ask onFetch, which lets them pass).
 */
export function onInstall(event: Event): void {
  if (!isInstallEvent(event) || event.addRoutes === undefined) return;
  event.addRoutes([{ condition: { not: { urlPattern: { pathname: POPUP_PATH } } }, source: 'network' }]).catch((error: unknown) => {
    console.error('IPvLens: could not route requests past the worker', error);
  });
}
