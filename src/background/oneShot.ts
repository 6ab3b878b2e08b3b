/**
 * The background's answer to each one-shot message (core/messages.ts): one handler per name. The
 * map's type makes the compiler check that every name has a handler of the right request and
 * response types, so dispatch needs no cast; its keys are the names accepted.
 */
import { isOneShot, type OneShotName, type RequestOf, type ResponseOf } from '../core/messages';
import { deleteHistory, importHistory } from './history';

type OneShotHandlers = { [K in OneShotName]: (request: RequestOf<K>) => Promise<ResponseOf<K>> };

const handlers: OneShotHandlers = {
  historyDelete: deleteHistory,
  historyImport: importHistory,
};

function answer<K extends OneShotName>(name: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
  return handlers[name](request);
}

/** The answer to `message`, or undefined (no answer) when it is not a one-shot message. */
export function answerOneShot(message: unknown): Promise<ResponseOf<OneShotName>> | undefined {
  return isOneShot(message, handlers) ? answer(message.message, message.request) : undefined;
}
