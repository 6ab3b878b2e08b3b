/**
 * The extension's store over the browser's real storage. Imported by the pages and by the
 * background's entry; modules that hold state take a Store instead, so tests give them a fake.
 */
import { browserBackend } from './browserBackend';
import { createStore, type Store } from './store';

export const browserStore: Store = createStore(browserBackend());
