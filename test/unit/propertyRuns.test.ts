import { describe, expect, it } from 'vitest';
import { DEFAULT_RUNS, DEFAULT_SEED, propertySettings } from '../support/propertyRuns';

describe('propertySettings', () => {
  it.each([
    [{}, { seed: DEFAULT_SEED, numRuns: DEFAULT_RUNS }],
    [{ FC_SEED: '', FC_RUNS: '' }, { seed: DEFAULT_SEED, numRuns: DEFAULT_RUNS }],
    [{ FC_SEED: '42', FC_RUNS: '5000' }, { seed: 42, numRuns: 5000 }],
  ])('reads %j', (env, expected) => {
    expect(propertySettings(env)).toEqual(expected);
  });

  it('draws a seed for FC_SEED=random', () => {
    const { seed } = propertySettings({ FC_SEED: 'random' });
    expect(Number.isSafeInteger(seed)).toBe(true);
  });

  it.each([{ FC_SEED: 'abc' }, { FC_SEED: '1.5' }, { FC_RUNS: '0' }, { FC_RUNS: 'many' }])('refuses %j', (env) => {
    expect(() => propertySettings(env)).toThrow(/FC_(SEED|RUNS)/);
  });
});
