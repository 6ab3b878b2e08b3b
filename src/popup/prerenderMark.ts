/**
 * The attribute on the worker's prerendered popup (prerender.tsx) that tells the page's script
 * (main.tsx) the rows are already in: a module of its own so the page's bundle does not carry the
 * string renderer.
 */
export const PRERENDERED_ATTRIBUTE = 'data-prerendered';
