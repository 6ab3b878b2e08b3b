import { render } from 'preact';
import { tabIdInQuery } from '../ui/api';
import { App } from './App';
import { HostAccessNotice } from './HostAccessNotice';

// Read by the benchmark to split the popup's first render into loading, waiting for data, rendering.
performance.mark('ipvlens:script-start');

// Opened with ?tabId= it is a page of its own (a full tab), else the toolbar popup, which has a
// fixed width: the browser then sizes it without laying out the rows at several widths.
if (tabIdInQuery(location.search) !== undefined) document.documentElement.classList.add('in-tab');

const root = document.getElementById('app');
if (root !== null) {
  render(<App search={location.search} />, root);
  // A root of its own above the app: it asks the browser after the app's first render has begun.
  const notice = document.createElement('div');
  root.before(notice);
  render(<HostAccessNotice />, notice);
}
