/**
 * Typed reads and writes over a storage backend, through the key table: callers name a table
 * entry, never a raw key, and get values of the entry's type without casts.
 */
import type { AreaBackend, AreaName, ChangeListener, StorageBackend, StorageChanges } from './backend';
import type { KeyFamily, KeyRef, SingleKey, StoredItem } from './keys';

export interface FamilyMember<T, Id> {
  key: string;
  id: Id;
  value: T;
}

export interface FamilyRead<T, Id> {
  members: Array<FamilyMember<T, Id>>;
  /** Keys of the family whose key or value could not be read (for the caller to remove or report). */
  unreadable: string[];
}

export type ValuesOf<Keys extends ReadonlyArray<SingleKey<unknown>>> = { -readonly [N in keyof Keys]: Keys[N] extends SingleKey<infer T> ? T : never };

export interface Store {
  /** A key's value; its fallback when absent or unreadable. Rejects only if the browser does. */
  get<T>(key: SingleKey<T>): Promise<T>;
  /** Several keys at once, one read per area, each read as `get` does. */
  getEach<const Keys extends ReadonlyArray<SingleKey<unknown>>>(...keys: Keys): Promise<ValuesOf<Keys>>;
  /** The members of a family with these ids (those that exist), or every member when ids are left out. */
  getFamily<T, Id>(family: KeyFamily<T, Id>, ids?: Iterable<Id>): Promise<FamilyRead<T, Id>>;
  /** Writes the items: one write per area, each all or nothing (a refusal for quota changes nothing). */
  set(...items: StoredItem[]): Promise<void>;
  remove(...refs: KeyRef[]): Promise<void>;
  /**
   * An area as raw keys and values, for data whose keys and encoding the core builds itself (the
   * session state: core/session/storageKeys.ts, core/session/persisted.ts).
   */
  area(name: AreaName): AreaBackend;
  /** Storage changes in the given areas (another page's or worker's writes included); returns the unsubscribe. */
  onChanged(listener: ChangeListener, areas: readonly AreaName[]): () => void;
}

function byArea<T extends KeyRef>(refs: readonly T[]): Map<AreaName, T[]> {
  const grouped = new Map<AreaName, T[]>();
  for (const ref of refs) {
    const list = grouped.get(ref.area);
    if (list === undefined) grouped.set(ref.area, [ref]);
    else list.push(ref);
  }
  return grouped;
}

/** A stored value read through its key's parser; the key's fallback when absent or unreadable. */
function valueOf<T>(key: SingleKey<T>, stored: unknown): T {
  return (stored === undefined ? undefined : key.parse(stored)) ?? key.fallback();
}

export function createStore(backend: StorageBackend): Store {
  return {
    async get<T>(key: SingleKey<T>): Promise<T> {
      return valueOf(key, (await backend[key.area].get(key.key))[key.key]);
    },

    async getEach<const Keys extends ReadonlyArray<SingleKey<unknown>>>(...keys: Keys): Promise<ValuesOf<Keys>> {
      const reads = await Promise.all([...byArea(keys)].map(async ([area, list]) => backend[area].get(list.map((key) => key.key))));
      const stored = Object.assign({}, ...reads) as Record<string, unknown>;
      return keys.map((key) => valueOf(key, stored[key.key])) as ValuesOf<Keys>;
    },

    async getFamily<T, Id>(family: KeyFamily<T, Id>, ids?: Iterable<Id>): Promise<FamilyRead<T, Id>> {
      const keys = ids === undefined ? null : [...new Set([...ids].map((id) => family.keyOf(id)))];
      const stored = keys?.length === 0 ? {} : await backend[family.area].get(keys);
      const read: FamilyRead<T, Id> = { members: [], unreadable: [] };
      for (const [key, value] of Object.entries(stored)) {
        if (!key.startsWith(family.prefix)) continue;
        const id = family.idOf(key);
        const parsed = id === undefined ? undefined : family.parse(value);
        if (id === undefined || parsed === undefined) read.unreadable.push(key);
        else read.members.push({ key, id, value: parsed });
      }
      return read;
    },

    async set(...items: StoredItem[]): Promise<void> {
      await Promise.all(
        [...byArea(items)].map(([area, list]) => backend[area].set(Object.fromEntries(list.map((item) => [item.key, item.value])))),
      );
    },

    async remove(...refs: KeyRef[]): Promise<void> {
      await Promise.all([...byArea(refs)].map(([area, list]) => backend[area].remove([...new Set(list.map((ref) => ref.key))])));
    },

    area: (name) => backend[name],

    onChanged: (listener, areas) => backend.listen(listener, areas),
  };
}

/** A key's new value in a change event, or undefined when the event does not concern the key. */
export function changeOf<T>(key: SingleKey<T>, changes: StorageChanges, area: AreaName): { value: T } | undefined {
  if (area !== key.area || !Object.hasOwn(changes, key.key)) return undefined;
  return { value: valueOf(key, changes[key.key]?.newValue) };
}

/** Whether a change event touches any member of a family. */
export function familyChanged<T, Id>(family: KeyFamily<T, Id>, changes: StorageChanges, area: AreaName): boolean {
  return area === family.area && Object.keys(changes).some((key) => key.startsWith(family.prefix));
}
