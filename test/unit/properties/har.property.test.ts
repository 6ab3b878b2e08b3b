/**
 * The HAR builder (har.ts) over generated request logs (hostile URLs, cut values, failures,
 * pending requests): the file validates against the HAR 1.2 schema, and `_truncated` appears
 * exactly on the entries with something cut, naming what.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildHar } from '../../../src/core/requests/har';
import { cutFieldNames } from '../../../src/core/tab/caps';
import { harValidator } from '../../support/harSchema';
import { chunkOfEntries } from './requestArbitraries';

const validate = harValidator();

describe('buildHar', () => {
  it('validates against HAR 1.2, with _truncated exactly where something was cut', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 3 }).chain((chunk) => chunkOfEntries(chunk, 1_700_000_000_000)),
        fc.record({ id: fc.string({ maxLength: 20 }), url: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }), startedAt: fc.integer({ min: 0, max: 4e12 }) }, { requiredKeys: ['id', 'startedAt'] }),
        (entries, page) => {
          const har = buildHar(page, entries, { name: 'IPvLens', version: '1.0.0' });
          const { valid, errors } = validate(JSON.parse(JSON.stringify(har)));
          expect(errors).toEqual([]);
          expect(valid).toBe(true);
          expect(har.log.entries).toHaveLength(entries.length);
          // The HAR lists requests by start, then by the order they were made.
          const ordered = [...entries].sort((a, b) => a.start - b.start || a.seq - b.seq);
          har.log.entries.forEach((written, index) => {
            const entry = ordered[index];
            expect(written.request.url).toBe(entry?.url);
            const names = cutFieldNames(entry?.truncated ?? 0);
            expect(written._truncated).toEqual(names.length === 0 ? undefined : names);
          });
        },
      ),
    );
  }, 120_000);
});
