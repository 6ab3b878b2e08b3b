/**
 * The CSV writer writes text IPvLens did not choose (URLs, hosts, addresses a page or browser
 * gave). Whatever the text, read back by csv-parse it is the text with a ' put where a cell could
 * start, and taking those off gives the text again; and no cell starts a formula, whether the file
 * is read with "," or with ";" (a spreadsheet in a locale whose list separator is ";") or tabs,
 * with quotes honoured or not.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutralizeFormula, toCsv } from '../../../src/core/export/csv';

/** Text rich in what matters here: separators, quotes, line breaks, formula starts, spaces. */
const risky = fc.string({ unit: fc.constantFrom(...'=+-@\t\r\n;,"\' ax1:/'.split('')), maxLength: 30 });
const text = fc.oneof(risky, fc.string(), fc.string({ unit: 'grapheme' }));
const cell = fc.oneof(text, text, fc.nat(), fc.constant(null));
const rows = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 });

/** The inverse of the neutralisation, written from its rule: at each place a cell could start, one ' taken off. */
function restored(neutralised: string): string {
  let out = '';
  let atCellStart = true;
  for (const c of neutralised) {
    if (atCellStart && c === "'") {
      atCellStart = false;
      continue;
    }
    out += c;
    if (';,\t\r\n'.includes(c)) atCellStart = true;
    else if (c !== ' ' && c !== '"') atCellStart = false;
  }
  return out;
}

/**
 * A cell a spreadsheet would run: = + - @ past spaces, quotes, and the tabs and line-break halves a
 * reader splitting on other separators may leave at a cell's start.
 */
const FORMULA_CELL = /^[ "\t\r\n]*[=+\-@]/;

/** A guard, not a measure: long runs (FC_RUNS=20000 npm run test:properties) take minutes on a shared machine. */
const TIMEOUT_MS = Math.max(5_000, (fc.readConfigureGlobal().numRuns ?? 100) * 20);

describe('toCsv', { timeout: TIMEOUT_MS }, () => {
  it('read back with ",", every text is kept but for the marks, which undo exactly; numbers stay numbers', () => {
    fc.assert(
      fc.property(rows, (table) => {
        const read = parse(toCsv(table), { relax_column_count: true });
        expect(read).toHaveLength(table.length);
        table.forEach((row, r) =>
          row.forEach((value, c) => {
            const got = read[r]?.[c];
            if (typeof value === 'string') {
              expect(got).toBe(neutralizeFormula(value));
              expect(restored(got ?? '')).toBe(value);
            } else expect(got).toBe(value === null ? '' : String(value));
          }),
        );
      }),
    );
  });

  it('no cell starts a formula, read with ",", ";" or tab, quotes honoured or not', () => {
    fc.assert(
      fc.property(rows, (table) => {
        const csv = toCsv(table);
        const cells = [
          ...parse(csv, { relax_column_count: true }).flat(),
          ...[',', ';', '\t'].flatMap((delimiter) => parse(csv, { delimiter, quote: false, relax_column_count: true }).flat()),
          // A reader that also breaks lines at a lone CR or LF.
          ...csv.split(/\r\n|\r|\n/).flatMap((line) => line.split(/[;,\t]/)),
        ];
        expect(cells.filter((value) => FORMULA_CELL.test(value))).toEqual([]);
      }),
    );
  });

  it('positive control: the same readers find formula cells in the same text written without the marks', () => {
    fc.assert(
      fc.property(fc.constantFrom('=', '+', '-', '@'), risky, fc.constantFrom(';', ','), (start, rest, separator) => {
        const unmarked = `"x${separator}${start}${rest.replace(/"/g, '""')}"\r\n`;
        expect(unmarked.split(separator).some((value) => FORMULA_CELL.test(value))).toBe(true);
        expect(toCsv([[`x${separator}${start}${rest}`]]).split(separator).some((value) => FORMULA_CELL.test(value))).toBe(false);
      }),
    );
  });
});
