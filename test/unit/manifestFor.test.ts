import { describe, expect, it } from 'vitest';
import base from '../../manifest.json' with { type: 'json' };
import { FIREFOX_MIN_VERSION, GECKO_ID, manifestFor, type Manifest } from '../../build/manifestFor';

const build = (target: 'chrome' | 'firefox', exposePagesForTests = false): Manifest => manifestFor(target, base, { version: '9.8.7', exposePagesForTests });

describe('one base manifest, a small difference per browser', () => {
  it('Chrome gets the base manifest with the package version, and may ask for the proxy settings', () => {
    expect(build('chrome')).toStrictEqual({ ...base, version: '9.8.7', optional_permissions: ['proxy'] });
  });

  it('Firefox: background scripts instead of a service worker, a gecko id and minimum version, and dns', () => {
    const firefox = build('firefox');
    expect(firefox.background).toStrictEqual({ scripts: ['src/background/index.ts'], type: 'module' });
    expect(firefox.browser_specific_settings).toMatchObject({ gecko: { id: GECKO_ID, strict_min_version: FIREFOX_MIN_VERSION } });
    expect(firefox.permissions).toStrictEqual([...base.permissions, 'dns']);
    // Not optional: Firefox accepts no optional `dns` (see manifestFor.ts).
    // Nor an optional `proxy`: Firefox reports each request's proxy itself.
    expect(firefox).not.toHaveProperty('optional_permissions');
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
    // Everything else is the base, untouched.
    const { background: _b, permissions: _p, browser_specific_settings: _s, ...rest } = firefox;
    const { background: _cb, permissions: _cp, minimum_chrome_version: _m, ...baseRest } = { ...base, version: '9.8.7' };
    expect(rest).toStrictEqual(baseRest);
  });

  it.each<['chrome' | 'firefox', boolean]>([
    ['chrome', false],
    ['firefox', false],
    ['firefox', true],
  ])('%s with test pages %s: web-accessible pages only in a test build', (target, exposed) => {
    expect('web_accessible_resources' in build(target, exposed)).toBe(exposed);
  });
});
