/**
 * Private (incognito) tabs: the core keeps what they see apart from what normal tabs share. It is
 * told a tab is private, never asks: Firefox says so on every webRequest event (`incognito`, set
 * by background/adapt.ts), and the background notes each tab's kind from the tabs API (Chrome,
 * whose events do not say). A private tab's addresses never go into the memory shared with normal
 * tabs (nor its `a:` keys in storage): it gets a memory of its own, never stored, dropped with it.
 */
import { createAddressMemory, type AddressMemory } from '../address/addressMemory';
import type { RequestEvent, Tracker } from './tracker';

/** Few pages have more domains; a private tab's memory lives only as long as the tab. */
const PRIVATE_MEMORY_CAPACITY = 500;

/** The background's word on a tab's kind (tabs.onCreated, the open tabs at start, tabs.get). */
export function noteTabPrivacy(tracker: Tracker, tabId: number, incognito: boolean): void {
  if (tabId < 0) return;
  if (incognito) tracker.privateTabs.add(tabId);
  else {
    tracker.privateTabs.delete(tabId);
    tracker.privateMemories.delete(tabId);
  }
}

/** Whether the tab is known to be private. */
export function isPrivateTab(tracker: Tracker, tabId: number): boolean {
  return tracker.privateTabs.has(tabId);
}

/** Takes the event's own word (Firefox) on its tab's kind, before anything of it is recorded. */
export function notePrivacyOfEvent(tracker: Tracker, event: RequestEvent): void {
  if (event.incognito === true && event.tabId >= 0) tracker.privateTabs.add(event.tabId);
}

/**
 * The address memory a tab's answers go to and its cache hits are lent from: the shared one for
 * a normal tab, the tab's own for a private one; undefined where the browser needs none (Chrome).
 */
export function memoryOfTab(tracker: Tracker, tabId: number, create: boolean): { memory: AddressMemory; shared: boolean } | undefined {
  if (tracker.memory === undefined) return undefined;
  if (!tracker.privateTabs.has(tabId)) return tabId < 0 ? undefined : { memory: tracker.memory, shared: true };
  let memory = tracker.privateMemories.get(tabId);
  if (memory === undefined && create) tracker.privateMemories.set(tabId, (memory = createAddressMemory(PRIVATE_MEMORY_CAPACITY)));
  return memory === undefined ? undefined : { memory, shared: false };
}

/** A closed tab's kind and private memory go with it. */
export function forgetTabPrivacy(tracker: Tracker, tabId: number): void {
  tracker.privateTabs.delete(tabId);
  tracker.privateMemories.delete(tabId);
}

/** A tab swapped in under a new id (Chrome's prerender) keeps its kind and its private memory. */
export function moveTabPrivacy(tracker: Tracker, addedTabId: number, removedTabId: number): void {
  const wasPrivate = tracker.privateTabs.has(removedTabId);
  const memory = tracker.privateMemories.get(removedTabId);
  forgetTabPrivacy(tracker, removedTabId);
  if (!wasPrivate) return;
  tracker.privateTabs.add(addedTabId);
  if (memory !== undefined) tracker.privateMemories.set(addedTabId, memory);
}
