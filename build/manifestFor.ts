/**
 * One base manifest (manifest.json) for every browser; the per-browser difference is this file.
 * Chrome takes the base as it is. Firefox's Manifest V3 has no service worker (its background is
 * an event page listed in `scripts`), needs an add-on id, and gets `dns` for the optional
 * "IPv6 available, not used" check (Chrome has no such API, so the permission stays out of its
 * manifest). `dns` cannot be an optional permission: Firefox's schema lists it among the
 * permissions granted without a prompt, not the optional ones, so `optional_permissions: ["dns"]`
 * is ignored by Firefox and refused by `web-ext lint` (MANIFEST_OPTIONAL_PERMISSIONS). The
 * background asks the resolver only while the user has the check on, and never for private tabs.
 */
export type Target = 'chrome' | 'firefox';

/** The add-on id on addons.mozilla.org: the same for every release, or users lose their data. */
export const GECKO_ID = 'ipvlens@ipvlens.example';
/**
 * Firefox ESR 140: the first to read `data_collection_permissions`, which addons.mozilla.org asks
 * of new add-ons; MV3 `action`, `storage.session` (115), ES-module background scripts and host
 * permissions granted at install (127) all came before it.
 */
export const FIREFOX_MIN_VERSION = '140.0';

/** Manifest keys read or written here; the rest is passed through untouched. */
export interface Manifest {
  manifest_version: number;
  name: string;
  version: string;
  minimum_chrome_version?: string;
  background?: { service_worker?: string; scripts?: string[]; type?: string };
  permissions?: string[];
  [key: string]: unknown;
}

export interface ManifestOptions {
  version: string;
  /**
   * Test builds only: the extension's pages become web-accessible so that a test page can frame
   * them (WebDriver BiDi will not open moz-extension: pages). Never in a shipped build.
   */
  exposePagesForTests?: boolean;
}

export function manifestFor(target: Target, base: Manifest, options: ManifestOptions): Manifest {
  const manifest: Manifest = { ...base, version: options.version };
  if (target === 'firefox') {
    const { minimum_chrome_version: _chromeOnly, background, ...rest } = manifest;
    const firefox: Manifest = {
      ...rest,
      background: { scripts: [background?.service_worker ?? 'src/background/index.ts'], type: background?.type ?? 'module' },
      permissions: [...(manifest.permissions ?? []), 'dns'],
      browser_specific_settings: {
        gecko: { id: GECKO_ID, strict_min_version: FIREFOX_MIN_VERSION, data_collection_permissions: { required: ['none'] } },
      },
    };
    return withTestPages(firefox, options);
  }
  // Chrome reports no proxy per request: the user may let IPvLens read the proxy settings
  // (options page, on their click). Firefox reports each request's proxy, so it needs none.
  const chrome: Manifest = { ...manifest, optional_permissions: [...((manifest.optional_permissions as string[] | undefined) ?? []), 'proxy'] };
  return withTestPages(chrome, options);
}

function withTestPages(manifest: Manifest, options: ManifestOptions): Manifest {
  if (options.exposePagesForTests !== true) return manifest;
  return { ...manifest, web_accessible_resources: [{ resources: ['src/*'], matches: ['<all_urls>'] }] };
}
