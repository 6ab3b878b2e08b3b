/**
 * One configuration for every property-based test (fast-check), set before the tests run.
 *
 * CI and `npm test` use a fixed seed and a modest number of runs, so a failure is repeatable and
 * the suite stays quick; `npm run test:properties` runs the same properties far longer with a new
 * seed each time (FC_SEED=random) and prints it, so a failure found there can be replayed with
 * `FC_SEED=<seed> npm run test:properties`.
 */
import fc from 'fast-check';

export const DEFAULT_SEED = 20_261_208;
export const DEFAULT_RUNS = 200;

/** The seed and run count of this process: FC_SEED (a number or `random`) and FC_RUNS. */
export function propertySettings(env: Record<string, string | undefined>): { seed: number; numRuns: number } {
  const seedText = env.FC_SEED;
  const seed = seedText === 'random' ? Math.floor(Math.random() * 2 ** 31) : seedText === undefined || seedText === '' ? DEFAULT_SEED : Number(seedText);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or "random", not ${JSON.stringify(seedText)}`);
  const runsText = env.FC_RUNS;
  const numRuns = runsText === undefined || runsText === '' ? DEFAULT_RUNS : Number(runsText);
  if (!Number.isSafeInteger(numRuns) || numRuns < 1) throw new Error(`FC_RUNS must be a whole number above 0, not ${JSON.stringify(runsText)}`);
  return { seed, numRuns };
}

const settings = propertySettings(process.env);
if (process.env.FC_SEED === 'random') console.log(`fast-check seed ${settings.seed} (replay with FC_SEED=${settings.seed})`);
fc.configureGlobal({ ...settings });
