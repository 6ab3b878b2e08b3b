/**
 * What the storage module needs of a browser's storage: three areas with get/set/remove and one
 * change event. The real one wraps webextension-polyfill (browserBackend.ts); tests use an
 * in-memory one, so code above this seam runs without a browser.
 */

export const AREA_NAMES = ['session', 'local', 'sync'] as const;
export type AreaName = (typeof AREA_NAMES)[number];

export interface StorageChange {
  oldValue?: unknown;
  newValue?: unknown;
}

/** Changed keys of one area, as `storage.onChanged` reports them. */
export type StorageChanges = Record<string, StorageChange>;

export type ChangeListener = (changes: StorageChanges, area: AreaName) => void;

export interface AreaBackend {
  /** The stored values of these keys (absent keys are left out); `null` reads the whole area. */
  get(keys: string | readonly string[] | null): Promise<Record<string, unknown>>;
  /** Writes all of them or, refused (quota), none. */
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | readonly string[]): Promise<void>;
  /** Bytes the keys take as the browser counts them; undefined where it cannot tell (Firefox's local area). */
  bytesInUse(keys: string | readonly string[] | null): Promise<number | undefined>;
}

export interface StorageBackend extends Record<AreaName, AreaBackend> {
  /**
   * Subscribes to changes in the given areas; returns the unsubscribe. Only those areas' events
   * reach the listener's context at all (the worker writes storage.session every turn, and must
   * not be sent its own writes back).
   */
  listen(listener: ChangeListener, areas: readonly AreaName[]): () => void;
}

export const isAreaName = (value: string): value is AreaName => (AREA_NAMES as readonly string[]).includes(value);
