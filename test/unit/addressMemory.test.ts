import { describe, expect, it } from 'vitest';
import {
  ADDRESS_MEMORY_CAPACITY,
  createAddressMemory,
  recallAddress,
  rememberAddress,
  rememberedAddressFrom,
  restoreAddressMemory,
  type AddressMemory,
  type RememberedAddress,
} from '../../src/core/address/addressMemory';

type Step = ['remember', string, string] | ['recall', string];

/** Runs steps at times 1, 2, 3…; returns what each recall answered and every domain dropped. */
function run(memory: AddressMemory, steps: Step[]): { recalled: Array<string | undefined>; dropped: string[] } {
  const recalled: Array<string | undefined> = [];
  const dropped: string[] = [];
  steps.forEach((step, index) => {
    if (step[0] === 'remember') {
      const out = rememberAddress(memory, step[1], step[2], index + 1);
      if (out !== undefined) dropped.push(out);
    } else {
      recalled.push(recallAddress(memory, step[1], index + 1));
    }
  });
  return { recalled, dropped };
}

const order = (memory: AddressMemory): string[] => [...memory.entries.keys()];

describe('address memory: the last address per domain, least recently used dropped', () => {
  it.each<[string, number, Step[], string[], Array<string | undefined>, string[]]>([
    ['keeps what fits', 3, [['remember', 'a', '192.0.2.1'], ['remember', 'b', '2001:db8::1']], ['a', 'b'], [], []],
    ['drops the oldest at capacity', 2, [['remember', 'a', '192.0.2.1'], ['remember', 'b', '192.0.2.2'], ['remember', 'c', '192.0.2.3']], ['b', 'c'], [], ['a']],
    [
      'a recall makes a domain recent, so another is dropped',
      2,
      [['remember', 'a', '192.0.2.1'], ['remember', 'b', '192.0.2.2'], ['recall', 'a'], ['remember', 'c', '192.0.2.3']],
      ['a', 'c'],
      ['192.0.2.1'],
      ['b'],
    ],
    [
      'remembering again replaces the address and makes it recent',
      2,
      [['remember', 'a', '192.0.2.1'], ['remember', 'b', '192.0.2.2'], ['remember', 'a', '2001:db8::a'], ['remember', 'c', '192.0.2.3'], ['recall', 'a']],
      ['c', 'a'],
      ['2001:db8::a'],
      ['b'],
    ],
    ['an unknown domain recalls nothing and changes nothing', 2, [['remember', 'a', '192.0.2.1'], ['recall', 'zzz']], ['a'], [undefined], []],
    ['a dropped domain is forgotten', 1, [['remember', 'a', '192.0.2.1'], ['remember', 'b', '192.0.2.2'], ['recall', 'a']], ['b'], [undefined], ['a']],
    ['text longer than any address is not kept', 2, [['remember', 'a', 'x'.repeat(65)], ['recall', 'a']], [], [undefined], []],
  ])('%s', (_name, capacity, steps, expectedOrder, expectedRecalls, expectedDropped) => {
    const memory = createAddressMemory(capacity);
    const { recalled, dropped } = run(memory, steps);
    expect(order(memory)).toEqual(expectedOrder);
    expect(recalled).toEqual(expectedRecalls);
    expect(dropped).toEqual(expectedDropped);
  });

  it(`holds at most ${ADDRESS_MEMORY_CAPACITY} domains by default, whatever comes`, () => {
    const memory = createAddressMemory();
    for (let i = 0; i < 5_000; i++) rememberAddress(memory, `d${i}.example`, '192.0.2.1', i);
    expect(memory.entries.size).toBe(ADDRESS_MEMORY_CAPACITY);
    expect(order(memory)[0]).toBe('d4000.example');
  });

  it('stays within its memory bound at capacity, with the longest names', () => {
    // What storage.session holds for a full memory: one key per domain (see persisted.ts).
    const memory = createAddressMemory();
    for (let i = 0; i < ADDRESS_MEMORY_CAPACITY; i++) {
      const name = `${String(i).padStart(4, '0')}${'a'.repeat(59)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
      rememberAddress(memory, name, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 1_795_000_000_000 + i);
    }
    const stored = [...memory.entries].reduce((bytes, [domain, entry]) => bytes + 2 + domain.length + JSON.stringify(entry).length, 0);
    expect(stored).toBeLessThan(400_000);
  });
});

describe('address memory restored from storage', () => {
  const entry = (address: string, usedAt: number): RememberedAddress => ({ address, usedAt });

  it.each<[string, number, Array<[string, RememberedAddress]>, string[], string[]]>([
    ['in order of last use, whatever the stored order', 3, [['b', entry('192.0.2.2', 20)], ['a', entry('192.0.2.1', 10)], ['c', entry('192.0.2.3', 30)]], ['a', 'b', 'c'], []],
    ['dropping the least recently used beyond capacity', 2, [['b', entry('192.0.2.2', 20)], ['a', entry('192.0.2.1', 10)], ['c', entry('192.0.2.3', 30)]], ['b', 'c'], ['a']],
    ['nothing stored, nothing restored', 2, [], [], []],
  ])('%s', (_name, capacity, stored, expectedOrder, expectedDropped) => {
    const memory = createAddressMemory(capacity);
    expect(restoreAddressMemory(memory, new Map(stored))).toEqual(expectedDropped);
    expect(order(memory)).toEqual(expectedOrder);
  });

  it.each<[string, unknown, RememberedAddress | undefined]>([
    ['a stored entry', { address: '2001:db8::1', usedAt: 5 }, { address: '2001:db8::1', usedAt: 5 }],
    ['extra fields are dropped', { address: '192.0.2.1', usedAt: 5, extra: true }, { address: '192.0.2.1', usedAt: 5 }],
    ['no address', { usedAt: 5 }, undefined],
    ['an empty address', { address: '', usedAt: 5 }, undefined],
    ['a number for an address', { address: 17, usedAt: 5 }, undefined],
    ['a huge address', { address: 'x'.repeat(1000), usedAt: 5 }, undefined],
    ['no time', { address: '192.0.2.1' }, undefined],
    ['an infinite time', { address: '192.0.2.1', usedAt: Infinity }, undefined],
    ['null', null, undefined],
    ['a string', '192.0.2.1', undefined],
  ])('reads back %s', (_name, value, expected) => {
    expect(rememberedAddressFrom(value)).toEqual(expected);
  });
});
