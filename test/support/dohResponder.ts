/** Moved to scripts/browser/dohResponder.ts, shared with the audit's measurement; kept so tests import it from here as before. */
export * from '../../scripts/browser/dohResponder';
