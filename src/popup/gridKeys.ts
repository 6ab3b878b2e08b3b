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

/** The grid's row of `domain`, if it shows one. */
export function rowOfDomain(grid: HTMLElement, domain: string): HTMLElement | undefined {
  return rowsOf(grid).find((candidate) => candidate.dataset.domain === domain);
}

function controlsOf(row: HTMLElement): HTMLElement[] {
  return [...row.querySelectorAll<HTMLElement>('.copy, button, a[href]')];
}

/**
 * Click on a copyable value (mouse, Enter on its row, or Enter/Space on the value itself), or on a
 * row's "+N more", which opens or closes its list of addresses.
 */
export function onGridClick(event: MouseEvent, copy: (text: string) => void, toggleMore: (domain: string) => void): void {
  const target = event.target as Element | null;
  const value = target?.closest<HTMLElement>('.copy[data-copy]');
  if (value?.dataset.copy !== undefined) copy(value.dataset.copy);
  const domain = target?.closest('button.more')?.closest<HTMLElement>('[role="row"][data-domain]')?.dataset.domain;
  if (domain !== undefined) toggleMore(domain);
}

/** Where focus is in the grid: the row and which of its stops (-1 the row itself). */
export interface GridFocus {
  element: HTMLElement;
  domain: string;
  control: number;
}

export function gridFocusOf(target: EventTarget | null): GridFocus | undefined {
  if (!(target instanceof HTMLElement)) return undefined;
  const row = target.closest<HTMLElement>('[role="row"][data-domain]');
  if (row?.dataset.domain === undefined) return undefined;
  return { element: target, domain: row.dataset.domain, control: target === row ? -1 : controlsOf(row).indexOf(target) };
}

/**
 * After a render: when the focused value was in cells that were rebuilt (a row whose data changed
 * gets new cell nodes), focus the same stop of the same row, so the keyboard user keeps their place.
 */
export function refocusReplaced(grid: HTMLElement, focus: GridFocus | undefined): void {
  if (focus === undefined || focus.element.isConnected || (document.activeElement !== null && document.activeElement !== document.body)) return;
  const row = rowOfDomain(grid, focus.domain);
  const next = row === undefined ? undefined : focus.control < 0 ? row : controlsOf(row)[focus.control];
  if (next === undefined) return;
  next.tabIndex = 0;
  next.focus();
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
