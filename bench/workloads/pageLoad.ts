/**
 * Bench workload "loads": a page with DOMAINS images from as many distinct hosts (`d1.v4.test`,
 * `d2.v6.test`, … alternating families; the fixture server answers `no-store`, so every load
 * refetches), loaded and checked to have every image.
 */
import type { Page } from 'playwright-core';
import type { FixtureServer } from '../../scripts/browser/fixtureServer';
import { BrokenRun } from '../harness';

export const DOMAINS = 300;

export const manyHost = (i: number): string => `d${i}.v${i % 2 === 1 ? 4 : 6}.test`;

/** Serves the page at /many. */
export function registerManyDomainsPage(server: FixtureServer): void {
  server.route('/many', () => {
    const images = Array.from({ length: DOMAINS }, (_, k) => {
      const i = k + 1;
      return `<img width="1" height="1" alt="" src="${server.url(manyHost(i), `/img/${i}.png`)}">`;
    });
    return { body: `<!doctype html><title>300 domains</title><body>${images.join('\n')}</body>` };
  });
}

export async function loadManyDomains(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
  const loaded = await page.evaluate(() => [...document.images].filter((img) => img.complete && img.naturalWidth > 0).length);
  if (loaded !== DOMAINS) throw new BrokenRun(`300-domain page: only ${loaded} of ${DOMAINS} images loaded`);
}
