import { describe, expect, it } from 'vitest';
import type { RequestOf } from '../../src/core/messages';
import { oneShotAnswerer } from '../../src/background/oneShot';

/** Handlers that record what reached them and answer with a distinct outcome each. */
function recordingAnswerer(): { answer: (message: unknown) => Promise<unknown> | undefined; calls: string[] } {
  const calls: string[] = [];
  const answer = oneShotAnswerer({
    historyDelete: (request: RequestOf<'historyDelete'>) => {
      calls.push(`delete ${JSON.stringify(request)}`);
      return Promise.resolve({ ok: true, removed: 'all' in request ? 9 : request.sites.length });
    },
    historyImport: (request: RequestOf<'historyImport'>) => {
      calls.push(`import ${request.records.length}`);
      return Promise.resolve({ ok: true, added: request.records.length, replaced: 0, unchanged: 0, evicted: 0 });
    },
  });
  return { answer, calls };
}

describe('one-shot dispatch', () => {
  it('hands each message to the handler of its name, with its request, and returns its answer', async () => {
    const { answer, calls } = recordingAnswerer();
    await expect(answer({ message: 'historyDelete', request: { sites: ['a.test', 'b.test'] } })).resolves.toEqual({ ok: true, removed: 2 });
    await expect(answer({ message: 'historyImport', request: { records: [] } })).resolves.toEqual({ ok: true, added: 0, replaced: 0, unchanged: 0, evicted: 0 });
    expect(calls).toEqual(['delete {"sites":["a.test","b.test"]}', 'import 0']);
  });

  it.each<[string, unknown]>([
    ['an unknown name', { message: 'historyWipe', request: { all: true } }],
    ['a port message', { message: 'watchTab', request: { tabId: 1 } }],
    ['no request', { message: 'historyDelete' }],
    ['not an object', 'historyDelete'],
  ])('gives no answer to %s and calls no handler (while a valid message is answered)', async (_why, message) => {
    const { answer, calls } = recordingAnswerer();
    expect(answer(message)).toBeUndefined();
    expect(calls).toEqual([]);
    await answer({ message: 'historyDelete', request: { all: true } });
    expect(calls).toEqual(['delete {"all":true}']);
  });
});
