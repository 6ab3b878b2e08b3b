/**
 * The storage module: the key table, the typed store and the backend seam. Importing this file
 * loads no browser API (tests use it with an in-memory backend); the real store is `./browser`.
 */
export { AREA_NAMES, isAreaName, type AreaBackend, type AreaName, type ChangeListener, type StorageBackend, type StorageChange, type StorageChanges } from './backend';
export { KEYS, tabPrivacyFrom, type KeyFamily, type KeyName, type KeyRef, type SingleKey, type StoredItem } from './keys';
export { changeOf, createStore, familyChanged, type FamilyMember, type FamilyRead, type Store, type ValuesOf } from './store';
