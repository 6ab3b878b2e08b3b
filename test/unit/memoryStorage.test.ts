/** The in-memory backend the storage tests run on: it must fail the way a browser does. */
import { describe, expect, it } from 'vitest';
import { CHROME_QUOTA_BYTES, createMemoryStorage, hasSettled, itemBytes } from '../support/memoryStorage';
import { AREA_NAMES } from '../../src/platform/storage';

describe('memory storage: quota as Chrome counts it', () => {
  it.each([
    ['ASCII text', 'k', 'abc', 1 + 5],
    ['an object', 'h:index', { 'a.test': 1 }, 7 + 12],
    ['non-ASCII in UTF-8 bytes', 'é', 'ü', 2 + 4],
  ])('%s: key length + JSON length', async (_name, key, value, bytes) => {
    const storage = createMemoryStorage();
    expect(itemBytes(key, value)).toBe(bytes);
    await storage.local.set({ [key]: value });
    expect(await storage.local.bytesInUse(null)).toBe(bytes);
    expect(storage.bytesUsed('local')).toBe(bytes);
  });

  it('fills an area to exactly 10,485,760 bytes and refuses one byte more, changing nothing', async () => {
    const storage = createMemoryStorage();
    const filler = 'x'.repeat(CHROME_QUOTA_BYTES - 'big'.length - 2);
    await storage.session.set({ big: filler });
    expect(storage.bytesUsed('session')).toBe(CHROME_QUOTA_BYTES);
    await expect(storage.session.set({ more: '' })).rejects.toThrow(/QUOTA_BYTES/);
    expect(Object.keys(storage.contents('session'))).toEqual(['big']);
    // Replacing a value counts only the difference: a shorter one fits.
    await storage.session.set({ big: filler.slice(1) });
    expect(storage.bytesUsed('session')).toBe(CHROME_QUOTA_BYTES - 1);
  });

  it('refuses a write whole: none of its items is stored, the old values stay', async () => {
    const storage = createMemoryStorage({ quotaBytes: { local: 30 } });
    await storage.local.set({ a: 'old' });
    await expect(storage.local.set({ a: 'new', b: 'x'.repeat(30) })).rejects.toThrow(/QUOTA_BYTES/);
    expect(storage.contents('local')).toEqual({ a: 'old' });
    // Control: the same first item alone fits; another area has its own quota.
    await storage.local.set({ a: 'new' });
    await storage.session.set({ b: 'x'.repeat(30) });
    expect(storage.contents('local')).toEqual({ a: 'new' });
  });

  it('keeps copies: a caller changing what it wrote changes nothing stored', async () => {
    const storage = createMemoryStorage();
    const value = { list: [1] };
    await storage.local.set({ v: value });
    value.list.push(2);
    expect(await storage.local.get('v')).toEqual({ v: { list: [1] } });
  });
});

describe('memory storage: failures on demand', () => {
  it('rejects the next matching call only, with no effect', async () => {
    const storage = createMemoryStorage();
    storage.rejectNext({ area: 'local', op: 'set' }, new Error('disk full'));
    await storage.session.set({ s: 1 });
    await expect(storage.local.set({ a: 1 })).rejects.toThrow('disk full');
    expect(storage.contents('local')).toEqual({});
    await storage.local.set({ a: 2 });
    expect(storage.contents('local')).toEqual({ a: 2 });
    expect(storage.contents('session')).toEqual({ s: 1 });
  });

  it('matches a call by a key prefix', async () => {
    const storage = createMemoryStorage();
    storage.rejectNext({ keyPrefix: 'h:site:' });
    await storage.local.get(['h:index']);
    await expect(storage.local.get(['h:index', 'h:site:a.test'])).rejects.toThrow();
  });

  it('holds matching calls until released: nothing happens and nothing settles before', async () => {
    const storage = createMemoryStorage();
    const gate = storage.hold({ op: 'set' });
    const write = storage.local.set({ a: 1 });
    await gate.arrived();
    expect(gate.held).toBe(1);
    expect(await hasSettled(write)).toBe(false);
    // Calls the gate does not match go on meanwhile.
    expect(await storage.local.get(null)).toEqual({});
    gate.release();
    await write;
    expect(storage.contents('local')).toEqual({ a: 1 });
    // Released: later writes are not held.
    await storage.local.set({ b: 2 });
    expect(gate.held).toBe(0);
  });

  it('killed at a call: that call and every later one never happen; what came before stays for the next worker', async () => {
    const storage = createMemoryStorage();
    storage.killAt({ op: 'remove' });
    await storage.local.set({ a: 1, b: 2 });
    const removal = storage.local.remove('a');
    const later = storage.local.set({ c: 3 });
    expect(storage.killed).toBe(true);
    expect(await hasSettled(removal)).toBe(false);
    expect(await hasSettled(later)).toBe(false);

    const next = storage.restart();
    expect(await next.local.get(null)).toEqual({ a: 1, b: 2 });
    await next.local.remove('a');
    expect(await next.local.get(null)).toEqual({ b: 2 });
  });

  it('a held call released after the kill never happens', async () => {
    const storage = createMemoryStorage();
    const gate = storage.hold({ op: 'set' });
    const write = storage.local.set({ a: 1 });
    await gate.arrived();
    storage.kill();
    gate.release();
    expect(await hasSettled(write)).toBe(false);
    expect(storage.restart().contents('local')).toEqual({});
  });

  it('tells every live listener about changes, after the call, and none once killed', async () => {
    const storage = createMemoryStorage();
    const heard: string[] = [];
    storage.listen((changes, area) => heard.push(`${area}:${Object.keys(changes).join(',')}`), AREA_NAMES);
    const page = storage.restart();
    const pageHeard: string[] = [];
    page.listen((_changes, area) => pageHeard.push(area), AREA_NAMES);
    await storage.local.set({ a: 1 });
    await storage.local.set({ a: 1 }); // unchanged: no event
    await storage.local.remove('missing'); // nothing removed: no event
    await expect.poll(() => heard).toEqual(['local:a']);
    expect(pageHeard).toEqual(['local']);
    storage.kill();
    await page.sync.set({ s: 1 });
    await expect.poll(() => pageHeard).toEqual(['local', 'sync']);
    expect(heard).toEqual(['local:a']);
  });
});
