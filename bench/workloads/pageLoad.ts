/**
 * Bench workload "loads": a page with DOMAINS images from as many distinct hosts (`d1.v4.test`,
 * `d2.v6.test`, … alternating families; the fixture server answers `no-store`, so every load
 * refetches), loaded and checked to have every image. The same page with BIG_DOMAINS hosts is
 * loaded once per run, after the CPU samples, for the popup's 2,000-domain measure.
 */
import type { Page } from 'playwright-core';
import type { FixtureServer } from '../../scripts/browser/fixtureServer';
import { BrokenRun } from '../harness';

export const DOMAINS = 300;
export const BIG_DOMAINS = 2000;

export const manyHost = (i: number): string => `d${i}.v${i % 2 === 1 ? 4 : 6}.test`;

/** The path of the page with `domains` image hosts. */
export const manyDomainsPath = (domains: number): string => (domains === DOMAINS ? '/many' : `/many${domains}`);

/** Serves the page with `domains` image hosts at manyDomainsPath(domains). */
export function registerManyDomainsPage(server: FixtureServer, domains = DOMAINS): void {
  server.route(manyDomainsPath(domains), () => {
    const images = Array.from({ length: domains }, (_, k) => {
      const i = k + 1;
      return `<img width="1" height="1" alt="" src="${server.url(manyHost(i), `/img/${i}.png`)}">`;
    });
    return { body: `<!doctype html><title>${domains} domains</title><body>${images.join('\n')}</body>` };
  });
}

export async function loadManyDomains(page: Page, url: string, domains = DOMAINS): Promise<void> {
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  const loaded = await page.evaluate(() => [...document.images].filter((img) => img.complete && img.naturalWidth > 0).length);
  if (loaded !== domains) throw new BrokenRun(`${domains}-domain page: only ${loaded} of ${domains} images loaded`);
}
