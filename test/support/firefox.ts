/** Moved to scripts/browser/firefox.ts, shared with `npm start` and the bench; kept so tests import it from here as before. */
export * from '../../scripts/browser/firefox';
