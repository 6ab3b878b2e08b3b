/**
 * What the extension's service worker keeps as a stream goes on: the bench's soak page (one tab,
 * segments from two hosts), a heap snapshot of the worker after a full collection at two points,
 * and the difference by constructor (count and bytes), with the retainers of the groups that grew
 * most. Finds what is kept per request. Not a test.
 *
 *   npx vite build --minify false && cp -r dist/chrome /tmp/ipvlens-profile && npx vite build
 *   node --experimental-websocket --import tsx scripts/profile/soakHeap.ts /tmp/ipvlens-profile
 *
 * Environment: PROFILE_FIRST (default 3000), PROFILE_SECOND (default 15000) segments,
 * PROFILE_INTERVAL_MS (default 0: as fast as they go), PROFILE_TOP (default 25), PROFILE_STEPS
 * (default 1: readings at that many points in between, without snapshots), PROFILE_SNAPSHOTS=0
 * (RSS and heap figures only). Each reading: the extension process's RSS and the worker's heap
 * after a full GC.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHROME_DIST, launchWithExtension, type ExtensionBrowser } from '../browser/chromium';
import { startFixtureServer } from '../browser/fixtureServer';
import { registerSoakPage, SOAK_HOSTS, streamTo } from '../../bench/workloads/soak';
import { findProcesses, readRssKiB } from '../../bench/harness';

function envCount(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

/** A DevTools connection that also collects a heap snapshot's chunks (events the test client ignores). */
class Devtools {
  private nextId = 0;
  private readonly waiting = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  chunks: string[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; method?: string; params?: { chunk?: string } };
      if (message.method === 'HeapProfiler.addHeapSnapshotChunk') this.chunks.push(message.params?.chunk ?? '');
      if (message.id !== undefined) this.waiting.get(message.id)?.(message as { result?: unknown });
    });
  }

  static async connect(userDataDir: string): Promise<Devtools> {
    const [port, path] = readFileSync(join(userDataDir, 'DevToolsActivePort'), 'utf8').trim().split('\n');
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    await new Promise((done) => socket.addEventListener('open', done, { once: true }));
    return new Devtools(socket);
  }

  send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((done, fail) => {
      this.waiting.set(id, (message) => {
        this.waiting.delete(id);
        if (message.error !== undefined) fail(new Error(message.error.message));
        else done(message.result as T);
      });
      this.socket.send(JSON.stringify({ id, method, params, sessionId }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

async function workerSnapshot(devtools: Devtools, browser: ExtensionBrowser, rssOf: () => number | undefined, snapshot: boolean): Promise<Snapshot | undefined> {
  const prefix = `chrome-extension://${browser.extensionId}/`;
  const { targetInfos } = await devtools.send<{ targetInfos: Array<{ targetId: string; type: string; url: string }> }>('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith(prefix));
  if (target === undefined) throw new Error('no service worker');
  const { sessionId } = await devtools.send<{ sessionId: string }>('Target.attachToTarget', { targetId: target.targetId, flatten: true });
  await devtools.send('HeapProfiler.enable', {}, sessionId);
  await devtools.send('HeapProfiler.collectGarbage', {}, sessionId);
  const usage = await devtools.send<Record<string, number>>('Runtime.getHeapUsage', {}, sessionId);
  await sleep(500);
  console.log(`  after GC: extension process RSS ${((rssOf() ?? NaN) / 1024).toFixed(1)} MiB; heap ${Object.entries(usage).map(([k, v]) => `${k} ${(v / 1024).toFixed(0)} KiB`).join(', ')}`);
  if (!snapshot) {
    await devtools.send('Target.detachFromTarget', { sessionId });
    return undefined;
  }
  devtools.chunks = [];
  await devtools.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false }, sessionId);
  await devtools.send('Target.detachFromTarget', { sessionId });
  return JSON.parse(devtools.chunks.join('')) as Snapshot;
}

interface Group {
  count: number;
  bytes: number;
}

/** Nodes by "type name" (strings by their first 40 characters), and each node's group key. */
function groups(snap: Snapshot): { byGroup: Map<string, Group>; keyOf: string[] } {
  const { node_fields: fields, node_types: types } = snap.snapshot.meta;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const byGroup = new Map<string, Group>();
  const keyOf: string[] = [];
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[0][snap.nodes[i + typeAt] as number] ?? '?';
    let name = snap.strings[snap.nodes[i + nameAt] as number] ?? '?';
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') name = JSON.stringify(name.slice(0, 40).replace(/\d+/g, '#'));
    const key = `${type} ${name}`;
    keyOf.push(key);
    const group = byGroup.get(key) ?? { count: 0, bytes: 0 };
    group.count++;
    group.bytes += snap.nodes[i + sizeAt] as number;
    byGroup.set(key, group);
  }
  return { byGroup, keyOf };
}

/** For nodes of the given groups: who holds them, as "holder type name .edge" → count. */
function retainers(snap: Snapshot, keyOf: string[], wanted: Set<string>): Map<string, Map<string, number>> {
  const { node_fields: nodeFields, edge_fields: edgeFields, edge_types: edgeTypes } = snap.snapshot.meta;
  const width = nodeFields.length;
  const edgeWidth = edgeFields.length;
  const edgeCountAt = nodeFields.indexOf('edge_count');
  const edgeTypeAt = edgeFields.indexOf('type');
  const edgeNameAt = edgeFields.indexOf('name_or_index');
  const toAt = edgeFields.indexOf('to_node');
  const result = new Map<string, Map<string, number>>();
  let edge = 0;
  for (let node = 0; node < keyOf.length; node++) {
    const edges = snap.nodes[node * width + edgeCountAt] as number;
    for (let e = 0; e < edges; e++, edge += edgeWidth) {
      const to = (snap.edges[edge + toAt] as number) / width;
      const target = keyOf[to] as string;
      if (!wanted.has(target)) continue;
      const edgeType = edgeTypes[0][snap.edges[edge + edgeTypeAt] as number];
      if (edgeType === 'weak') continue;
      const raw = snap.edges[edge + edgeNameAt] as number;
      const edgeName = edgeType === 'element' || edgeType === 'hidden' ? `[${edgeType}]` : snap.strings[raw];
      const holder = `${keyOf[node]} .${edgeName}`;
      const map = result.get(target) ?? new Map<string, number>();
      map.set(holder, (map.get(holder) ?? 0) + 1);
      result.set(target, map);
    }
  }
  return result;
}

async function main(): Promise<void> {
  const extensionDir = resolve(process.argv[2] ?? CHROME_DIST);
  const first = envCount('PROFILE_FIRST', 3000);
  const second = envCount('PROFILE_SECOND', 15000);
  const top = envCount('PROFILE_TOP', 25);
  const snapshots = process.env.PROFILE_SNAPSHOTS !== '0';
  const server = await startFixtureServer();
  registerSoakPage(server, { segments: second, concurrency: 6, intervalMs: envCount('PROFILE_INTERVAL_MS', 0), settleMs: 1500 });
  const browser = await launchWithExtension({ extensionDir, extraArgs: ['--remote-debugging-port=0'] });
  const devtools = await Devtools.connect(browser.userDataDir);
  const probe = { watchExtensionProcess: () => { throw new Error('unused'); }, broken: (message: string) => new Error(message) };
  try {
    const page = await browser.context.newPage();
    await page.goto(server.url('soakpage.v4.test', '/soak'), { waitUntil: 'load' });
    const { extensionPid } = findProcesses(browser.userDataDir);
    const rssOf = (): number | undefined => readRssKiB(extensionPid);
    await streamTo(page, first, probe);
    await sleep(1500);
    console.log(`after ${first} segments`);
    const a = await workerSnapshot(devtools, browser, rssOf, snapshots);
    // Figures along the way (no snapshot), then the second snapshot.
    const steps = envCount('PROFILE_STEPS', 1);
    for (let step = 1; step < steps; step++) {
      const at = Math.round(first + ((second - first) * step) / steps);
      await streamTo(page, at, probe);
      await sleep(1500);
      console.log(`after ${at} segments`);
      await workerSnapshot(devtools, browser, rssOf, false);
    }
    await streamTo(page, second, probe);
    await sleep(1500);
    console.log(`after ${second} segments (server saw ${server.hits(SOAK_HOSTS.v4) + server.hits(SOAK_HOSTS.v6)})`);
    const b = await workerSnapshot(devtools, browser, rssOf, snapshots);
    if (a === undefined || b === undefined) return;
    const ga = groups(a);
    const gb = groups(b);
    const grown = [...gb.byGroup]
      .map(([key, group]) => ({ key, count: group.count - (ga.byGroup.get(key)?.count ?? 0), bytes: group.bytes - (ga.byGroup.get(key)?.bytes ?? 0) }))
      .sort((x, y) => y.bytes - x.bytes)
      .slice(0, top);
    const perRequest = second - first;
    console.log(`\ngrowth from ${first} to ${second} segments (${perRequest} requests), by bytes:`);
    for (const g of grown) console.log(`  ${String(g.bytes).padStart(9)} B ${String(g.count).padStart(7)}× (${(g.bytes / perRequest).toFixed(1)} B/req)  ${g.key.slice(0, 100)}`);
    const held = retainers(b, gb.keyOf, new Set(grown.slice(0, 8).map((g) => g.key)));
    for (const g of grown.slice(0, 8)) {
      console.log(`\nheld: ${g.key.slice(0, 100)}`);
      const holders = [...(held.get(g.key) ?? new Map<string, number>())].sort((x, y) => y[1] - x[1]).slice(0, 6);
      for (const [holder, count] of holders) console.log(`  ${String(count).padStart(7)}×  ${holder.slice(0, 120)}`);
    }
  } finally {
    devtools.close();
    await browser.close();
    await server.close();
  }
}

await main();
