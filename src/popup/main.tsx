import { hydrate, render } from 'preact';
import { tabIdInQuery } from '../core/view/tabQuery';
import { targetTabId } from '../ui/api';
import { afterNextPaint } from '../ui/paint';
import { App } from './App';
import { HostAccessNotice } from './HostAccessNotice';
import { PRERENDERED_ATTRIBUTE } from './prerenderMark';
import { SERVED_ANSWER_ID, parseServedAnswer } from './servedAnswer';

// Read by the benchmark to split the popup's first render into loading, waiting for data, rendering.
performance.mark('ipvlens:script-start');

// Opened with ?tabId= it is a page of its own (a full tab), else the toolbar popup, which has a
// fixed width: the browser then sizes it without laying out the rows at several widths.
if (tabIdInQuery(location.search) !== undefined) document.documentElement.classList.add('in-tab');

const root = document.getElementById('app');
if (root !== null) {
  // On Chromium the worker serves this page with the rows already in it (background/popupPage.ts)
  // and, after them, its answer (servedAnswer.ts). The app starts from that answer and takes over
  // the rows where they are (hydrate: no second render of every row, no second ask). Without a
  // usable answer it renders beside them, unseen, and takes their place once it has the tab's
  // answer: one swap, no flash of "Loading…" and no list shrinking to a first screen.
  const prerendered = root.querySelector<HTMLElement>(`[${PRERENDERED_ATTRIBUTE}]`);
  const answerBlock = document.getElementById(SERVED_ANSWER_ID);
  // How the page came, and when its app answers clicks (tests and the curious read these).
  const html = document.documentElement;
  html.dataset.served = prerendered === null ? 'packaged' : 'prerendered';
  const renderApp = (): void => {
    const appRoot = prerendered === null ? root : document.createElement('div');
    const takeOver = (): void => {
      if (appRoot.isConnected) return;
      appRoot.id = 'app';
      root.replaceWith(appRoot);
      html.dataset.live = 'true';
    };
    render(<App search={location.search} takeOver={prerendered === null ? undefined : takeOver} />, appRoot);
    if (prerendered === null) html.dataset.live = 'true';
  };
  if (prerendered !== null && answerBlock !== null) {
    // Asked now, answered long before the rows are painted: which tab this popup is for.
    const ownTab = targetTabId(location.search);
    // After the frame that shows every row: reading the answer and taking the rows over first
    // would hold that frame back.
    afterNextPaint(() => {
      const served = parseServedAnswer(answerBlock.textContent);
      // Read once: the text of a big tab's answer is not kept in the document.
      answerBlock.remove();
      if (served === undefined) {
        renderApp();
        return;
      }
      void ownTab.then(
        (tabId) => {
          if (served.answer.report.tabId === tabId) {
            hydrate(<App search={location.search} served={served} />, prerendered);
          } else {
            // The worker drew another tab (focus moved to another window as the popup opened):
            // its rows go at once, and the app asks for this popup's own tab.
            html.dataset.served = 'refused';
            root.replaceChildren();
            render(<App search={location.search} />, root);
          }
          html.dataset.live = 'true';
        },
        () => renderApp(),
      );
    });
  } else {
    renderApp();
  }
  // A root of its own above the app: it asks the browser after the app's first render has begun.
  const notice = document.createElement('div');
  root.before(notice);
  render(<HostAccessNotice />, notice);
}
