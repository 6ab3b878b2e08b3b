/** How this browser's extension APIs differ, detected once: Firefox alone has runtime.getBrowserInfo. */
import browser from 'webextension-polyfill';

const isFirefox = typeof (browser.runtime as { getBrowserInfo?: unknown }).getBrowserInfo === 'function';

/** Firefox reports the real protocol in statusLine; Chrome writes "HTTP/1.1" whatever it was (crbug 41432835). */
export const trustStatusLine = isFirefox;

/** Firefox gives no `ip` for responses served from its cache, so IPvLens remembers each domain's last one. */
export const cacheHitsLackAddress = isFirefox;

/** Firefox says per request which proxy it went through (proxyInfo); Chrome only lets IPvLens suspect one. */
export const proxiesReported = isFirefox;
