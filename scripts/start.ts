/**
 * `npm start`: opens Chromium with the freshly built extension and a demo page served on this
 * machine over both families, so there is something to see without any network. With a display
 * the browser stays open (Ctrl-C to quit); without one it runs headless and prints the demo tab's
 * table as the popup shows it.
 */
import { launchWithExtension, openPopup, tabIdOf, waitForRows, type ExtensionBrowser, type PopupRow } from './browser/chromium';
import { MissingBrowserError } from './browser/findBrowser';
import { startFixtureServer, type FixtureServer } from './browser/fixtureServer';

function demoPage(server: FixtureServer): string {
  const images = ['static.v6.test', 'img.v4.test', 'cdn.v6.test', 'fonts.v4.test', 'analytics.v4.test', 'media.v6.test']
    .map((host) => `<img alt="" width="1" height="1" src="${server.url(host, '/pixel.png')}">`)
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>IPvLens demo</title>
  <link rel="icon" href="data:,">
  <style>body{font:16px system-ui;max-width:40em;margin:3em auto;padding:0 1em}</style></head><body>
  <h1>IPvLens demo page</h1>
  <p>This page came over IPv6 (<code>::1</code>). Its images come from hosts reached over IPv4
  (<code>127.0.0.1</code>) and IPv6, and a small "live stream" fetches a segment every second from
  <code>live.v6.test</code> and <code>live.v4.test</code>. Click the IPvLens icon to see them.</p>
  ${images}
  <p>Segments fetched: <span id="n">0</span></p>
  <script>
    let n = 0;
    setInterval(async () => {
      const host = n % 3 === 2 ? 'live.v4.test' : 'live.v6.test';
      await fetch('http://' + host + ':${server.port}/segment?n=' + n++);
      document.getElementById('n').textContent = String(n);
    }, 1000);
  </script></body></html>`;
}

function printTable(rows: PopupRow[]): void {
  const width = Math.max(...rows.map((r) => r.domain.length), 6);
  console.log(`${'domain'.padEnd(width)}  family  requests`);
  for (const row of rows) {
    const family = row.family === '?' ? '?' : `IPv${row.family}`;
    console.log(`${row.domain.padEnd(width)}  ${family.padEnd(6)}  ${String(row.requests).padStart(8)}`);
  }
}

const headless = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const server = await startFixtureServer();
server.route('/', () => ({ body: demoPage(server) }));
let browser: ExtensionBrowser;
try {
  browser = await launchWithExtension({ headless });
} catch (error) {
  await server.close();
  // No Chromium: end on the sentence that says what to install, not on a stack trace.
  if (!(error instanceof MissingBrowserError)) throw error;
  console.error(error.message);
  process.exit(1);
}
const demoUrl = server.url('demo.v6.test', '/');
const tab = browser.context.pages()[0] ?? (await browser.context.newPage());
await tab.goto(demoUrl);
const tabId = await tabIdOf(browser, tab);
console.log(`IPvLens is loaded from dist/chrome. Demo page: ${demoUrl} (tab ${tabId})`);

if (headless) {
  const popup = await openPopup(browser, tabId);
  // Wait for the live segments to show on both families, then print what the popup lists.
  const rows = await waitForRows(popup, (r) => r.length >= 9 && r.every((row) => row.family !== '?'), 20_000);
  console.log('No display: running headless. The popup for the demo tab shows:\n');
  printTable(rows);
  await browser.close();
  await server.close();
} else {
  const popup = await openPopup(browser, tabId);
  await tab.bringToFront();
  console.log(`The popup is also open as a page: ${popup.url()}\nPress Ctrl-C to quit.`);
  const quit = async (): Promise<void> => {
    await browser.close();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void quit());
  browser.context.on('close', () => void server.close().then(() => process.exit(0)));
}
