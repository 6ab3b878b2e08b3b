import { render } from 'preact';
import { tabIdInQuery } from '../core/view/tabQuery';
import { App } from './App';
import { HostAccessNotice } from './HostAccessNotice';
import { PRERENDERED_ATTRIBUTE } from './prerenderMark';

// Read by the benchmark to split the popup's first render into loading, waiting for data, rendering.
performance.mark('ipvlens:script-start');

// Opened with ?tabId= it is a page of its own (a full tab), else the toolbar popup, which has a
// fixed width: the browser then sizes it without laying out the rows at several widths.
if (tabIdInQuery(location.search) !== undefined) document.documentElement.classList.add('in-tab');

const root = document.getElementById('app');
if (root !== null) {
  // On Chromium the worker serves this page with the rows already in it (background/popupPage.ts).
  // The app then renders beside it, unseen, and takes its place once it has the tab's answer:
  // one swap, no flash of "Loading…" and no list shrinking to a first screen.
  const prerendered = root.querySelector(`[${PRERENDERED_ATTRIBUTE}]`) !== null;
  // How the page came, and when its app answers clicks (tests and the curious read these).
  const html = document.documentElement;
  html.dataset.served = prerendered ? 'prerendered' : 'packaged';
  const appRoot = prerendered ? document.createElement('div') : root;
  const takeOver = (): void => {
    if (appRoot.isConnected) return;
    appRoot.id = 'app';
    root.replaceWith(appRoot);
    html.dataset.live = 'true';
  };
  render(<App search={location.search} takeOver={prerendered ? takeOver : undefined} />, appRoot);
  if (!prerendered) html.dataset.live = 'true';
  // A root of its own above the app: it asks the browser after the app's first render has begun.
  const notice = document.createElement('div');
  root.before(notice);
  render(<HostAccessNotice />, notice);
}
