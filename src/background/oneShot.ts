/**
 * The background's answer to each one-shot message (core/messages.ts): a map with one handler per
 * name. Its type makes the compiler check that every name has a handler with the right request
 * and response types, so dispatch needs no cast; its keys are the names accepted.
 */
import { isOneShot, type OneShotName, type RequestOf, type ResponseOf } from '../core/messages';

export type OneShotHandlers = { [K in OneShotName]: (request: RequestOf<K>) => Promise<ResponseOf<K>> };

/** The onMessage answer over `handlers`: a handler's promise, or undefined (no answer) for anything else. */
export function oneShotAnswerer(handlers: OneShotHandlers): (message: unknown) => Promise<ResponseOf<OneShotName>> | undefined {
  const answer = <K extends OneShotName>(name: K, request: RequestOf<K>): Promise<ResponseOf<K>> => handlers[name](request);
  return (message) => (isOneShot(message, handlers) ? answer(message.message, message.request) : undefined);
}
