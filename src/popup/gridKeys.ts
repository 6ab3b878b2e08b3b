/**
 * Keyboard movement in the domain grid (the WAI-ARIA grid pattern): one row is in the tab order;
 * Up/Down/Home/End/PageUp/PageDown move between rows, Right/Left step through the row's controls,
 * Enter on a row copies its domain. Focus moves in the DOM directly: no re-render per key press.
 * Copyable values are role=button spans with the text to copy in data-copy: one click handler on
 * the grid copies for all of them, and Enter or Space on one clicks it, as on a <button>.
 */
const PAGE = 10;

function rowsOf(grid: HTMLElement): HTMLElement[] {
  return [...grid.querySelectorAll<HTMLElement>('[role="row"][data-domain]')];
}

function controlsOf(row: HTMLElement): HTMLElement[] {
  return [...row.querySelectorAll<HTMLElement>('.copy, button, a[href]')];
}

/** Click on a copyable value (mouse, Enter on its row, or Enter/Space on the value itself). */
export function onGridClick(event: MouseEvent, copy: (text: string) => void): void {
  const value = (event.target as Element | null)?.closest<HTMLElement>('.copy[data-copy]');
  if (value?.dataset.copy !== undefined) copy(value.dataset.copy);
}

function moveTo(from: HTMLElement, to: HTMLElement): void {
  from.tabIndex = -1;
  to.tabIndex = 0;
  to.focus();
}

export function onGridKeyDown(event: KeyboardEvent, grid: HTMLElement): void {
  const target = event.target as HTMLElement | null;
  const row = target?.closest<HTMLElement>('[role="row"][data-domain]');
  if (target === null || row === null || row === undefined) return;
  const onRow = target === row;
  if ((event.key === 'Enter' || event.key === ' ') && target.matches('.copy')) {
    target.click();
    event.preventDefault();
    return;
  }
  if (event.key === 'Enter' && onRow) {
    controlsOf(row)[0]?.click();
    event.preventDefault();
    return;
  }
  if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
    const controls = controlsOf(row);
    const stops = [row, ...controls];
    const at = stops.indexOf(target);
    const next = stops[Math.max(0, Math.min(stops.length - 1, at + (event.key === 'ArrowRight' ? 1 : -1)))];
    if (next !== undefined && next !== target) {
      for (const control of controls) control.tabIndex = -1;
      next.tabIndex = 0;
      if (next !== row) row.tabIndex = -1;
      next.focus();
    }
    event.preventDefault();
    return;
  }
  const rows = rowsOf(grid);
  const index = rows.indexOf(row);
  let nextIndex: number;
  switch (event.key) {
    case 'ArrowDown':
      nextIndex = index + 1;
      break;
    case 'ArrowUp':
      nextIndex = index - 1;
      break;
    case 'PageDown':
      nextIndex = index + PAGE;
      break;
    case 'PageUp':
      nextIndex = index - PAGE;
      break;
    case 'Home':
      nextIndex = 0;
      break;
    case 'End':
      nextIndex = rows.length - 1;
      break;
    default:
      return;
  }
  event.preventDefault();
  const next = rows[Math.max(0, Math.min(rows.length - 1, nextIndex))];
  if (next === undefined || next === row) return;
  // Leave nothing of the old row in the tab order.
  for (const control of controlsOf(row)) control.tabIndex = -1;
  moveTo(target, next);
}
