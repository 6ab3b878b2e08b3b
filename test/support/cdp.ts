/**
 * A minimal Chrome DevTools Protocol client over the browser's debugging WebSocket (the browser
 * must be started with --remote-debugging-port=0). Needed for the toolbar popup: Playwright does
 * not list extension popups among its pages, but the popup is a target the browser can attach to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

export class CdpClient {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
      if (message.id === undefined) return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result);
    });
  }

  /** Connects to a browser started with --remote-debugging-port=0 and this profile directory. */
  static async connect(userDataDir: string): Promise<CdpClient> {
    const [port, path] = readFileSync(join(userDataDir, 'DevToolsActivePort'), 'utf8').trim().split('\n');
    if (typeof WebSocket !== 'function') throw new Error('this Node has no WebSocket: run it with --experimental-websocket (Node 20) or Node 22+');
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error('could not reach the browser DevTools endpoint')), { once: true });
    });
    return new CdpClient(socket);
  }

  send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params, sessionId }));
    });
  }

  async targets(): Promise<TargetInfo[]> {
    return (await this.send<{ targetInfos: TargetInfo[] }>('Target.getTargets')).targetInfos;
  }

  /** Attaches to a target; returns the session id for `evaluate`. */
  async attach(targetId: string): Promise<string> {
    return (await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true })).sessionId;
  }

  /** Evaluates an expression in an attached target and returns its JSON value. */
  async evaluate<T>(sessionId: string, expression: string): Promise<T> {
    const reply = await this.send<{ result: { value?: T }; exceptionDetails?: { text: string } }>(
      'Runtime.evaluate',
      { expression, returnByValue: true },
      sessionId,
    );
    if (reply.exceptionDetails !== undefined) throw new Error(`evaluation failed: ${reply.exceptionDetails.text}`);
    return reply.result.value as T;
  }

  close(): void {
    this.socket.close();
  }
}
