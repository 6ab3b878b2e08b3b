/**
 * Reads a table's layout in the page (bounding boxes), for the table-layout tests: what overlaps,
 * which header is cut, which row takes more than one line. An expression, so that it runs the same
 * in a Playwright page and in the toolbar popup reached over CDP.
 */

export interface LayoutProblems {
  /** "row N: cell A's box overlaps cell B's" or "row N, cell A: content outside its cell". */
  overlaps: string[];
  /** Header labels wider than their header (cut or ellipsised). */
  clippedHeaders: string[];
  /** Rows whose cells wrap to a second line. */
  tallRows: string[];
  rows: number;
}

/**
 * `rowSelector` picks the rows (header row included), `cellSelector` a row's cells (relative),
 * `headerSelector` the header cells. Content that a cell clips (overflow not visible) cannot reach
 * a neighbour, so it is not counted as outside; clipped header labels are counted apart.
 */
export function layoutExpression(rowSelector: string, cellSelector: string, headerSelector: string): string {
  return `(() => {
    const SLACK = 1;
    const rows = [...document.querySelectorAll(${JSON.stringify(rowSelector)})].filter((row) => row.getClientRects().length > 0);
    const overlaps = [];
    const tallRows = [];
    const clips = (el) => getComputedStyle(el).overflowX !== 'visible';
    const name = (cell, index) => (cell.getAttribute('data-column') || cell.className || 'cell') + '#' + index;
    rows.forEach((row, r) => {
      const cells = [...row.querySelectorAll(${JSON.stringify(cellSelector)})].filter((cell) => cell.parentElement === row && cell.getClientRects().length > 0);
      const boxes = cells.map((cell) => cell.getBoundingClientRect());
      // Neighbouring cells share at most an edge.
      for (let i = 0; i + 1 < boxes.length; i++) {
        if (boxes[i].right > boxes[i + 1].left + SLACK) overlaps.push('row ' + r + ': ' + name(cells[i], i) + ' overlaps ' + name(cells[i + 1], i + 1));
      }
      // A row of one line: every text run in it shares some height with every other (a second line
      // lies wholly below the first).
      const lines = [];
      cells.forEach((cell, i) => {
        const box = boxes[i];
        // Every piece of content (text runs and elements), unless clipped by an element inside the cell.
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.textContent.trim()) continue;
          let clipped = clips(cell);
          for (let el = node.parentElement; el && el !== cell; el = el.parentElement) if (clips(el)) clipped = true;
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const rect of range.getClientRects()) {
            if (rect.width === 0) continue;
            lines.push(rect);
            if (clipped) continue;
            if (rect.left < box.left - SLACK || rect.right > box.right + SLACK || rect.top < box.top - SLACK || rect.bottom > box.bottom + SLACK) {
              overlaps.push('row ' + r + ', ' + name(cell, i) + ': "' + node.textContent.trim().slice(0, 30) + '" outside its cell');
            }
          }
        }
        if (clips(cell)) return;
        for (const el of cell.querySelectorAll('*')) {
          const rect = el.getBoundingClientRect();
          if (rect.width === 0 || rect.height === 0 || getComputedStyle(el).position === 'absolute') continue;
          let clipped = false;
          for (let up = el.parentElement; up && up !== cell; up = up.parentElement) if (clips(up)) clipped = true;
          if (clipped) continue;
          if (rect.left < box.left - SLACK || rect.right > box.right + SLACK) overlaps.push('row ' + r + ', ' + name(cell, i) + ': <' + el.tagName.toLowerCase() + '> outside its cell');
        }
      });
      const apart = lines.some((a) => lines.some((b) => b.top >= a.bottom - SLACK));
      if (apart) tallRows.push('row ' + r + ' (' + (row.getAttribute('data-domain') || 'header') + '): more than one line');
    });
    const clippedHeaders = [...document.querySelectorAll(${JSON.stringify(headerSelector)})]
      .filter((head) => head.getClientRects().length > 0)
      .flatMap((head) => [head, ...head.querySelectorAll('*')])
      // Strict: an ellipsis shows as soon as a label is wider than its box by any fraction.
      .filter((el) => el.scrollWidth > el.clientWidth && el.clientWidth > 0)
      .map((el) => (el.closest('[data-sort]')?.getAttribute('data-sort') || el.textContent.trim()) + ' (' + el.scrollWidth + ' > ' + el.clientWidth + ')');
    return { overlaps, clippedHeaders, tallRows, rows: rows.length };
  })()`;
}

/** The report page's table. */
export const REPORT_LAYOUT = layoutExpression('.report-table tr', 'th, td', '.report-table th');
/** The popup's grid. */
export const POPUP_LAYOUT = layoutExpression('.domains [role="row"]', '[role="gridcell"], [role="columnheader"], [role="rowheader"]', '.domains [role="columnheader"]');
