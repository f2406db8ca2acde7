/**
 * What a real Node-RED sends its editors: a websocket client on the runtime's /comms, as the editor
 * connects (anonymous, no adminAuth), subscribed to what the editor subscribes to, reconnecting
 * after a restart. Every message received is scanned for the secrets as it arrives and counted by
 * topic kind (status, debug, notification…); nothing else is kept.
 */
// Node-RED's own websocket library (a dependency of node-red, the dev dependency): no @types/ws here.
const WebSocket: new (url: string) => Socket = require('ws');

interface Socket {
  on(event: 'open' | 'close' | 'error', listener: (arg?: unknown) => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  send(text: string): void;
  close(): void;
}

/** The topics the editor subscribes to on connect (retained messages are sent again on subscribe). */
const EDITOR_TOPICS = ['status/#', 'notification/#', 'event-log/#', 'node/#', 'runtime-state', 'debug'];

export class CommsScan {
  /** Messages received, by the first part of their topic. */
  readonly topics: Record<string, number> = {};
  messages = 0;
  bytes = 0;
  connections = 0;
  /** `<secret> in <topic>`, once per secret and topic. */
  readonly found = new Set<string>();
  lastMessageAt = 0;
  /** Messages matching `watch`: proof that what the scan is about did reach the editor. */
  watched = 0;
  private socket: Socket | null = null;
  private stopped = false;
  private paused = false;
  private open = false;

  constructor(
    private readonly url: () => string,
    private readonly secrets: readonly string[],
    private readonly watch: RegExp,
  ) {}

  /** Connects; resolves once the socket is open. Reconnects on close until `stop()`. */
  start(): Promise<void> {
    this.paused = false;
    if (this.open) return Promise.resolve();
    return new Promise((resolve) => {
      const socket = new WebSocket(this.url());
      this.socket = socket;
      socket.on('open', () => {
        this.open = true;
        this.connections++;
        for (const topic of EDITOR_TOPICS) socket.send(JSON.stringify({ subscribe: topic }));
        resolve();
      });
      socket.on('message', (data) => this.scan(data.toString('utf8')));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        // A socket closed by pause() may close after the next one opened.
        if (this.socket !== socket) return;
        this.open = false;
        if (this.stopped || this.paused) return;
        setTimeout(() => void this.start().then(resolve), 200);
      });
    });
  }

  private scan(text: string): void {
    this.lastMessageAt = Date.now();
    this.bytes += text.length;
    let batch: Array<{ topic?: string; data?: unknown }>;
    try {
      const parsed = JSON.parse(text);
      batch = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      batch = [{ topic: '(not JSON)', data: text }];
    }
    for (const message of batch) {
      const kind = String(message.topic ?? '(none)').split('/')[0];
      this.topics[kind] = (this.topics[kind] ?? 0) + 1;
      this.messages++;
      const whole = JSON.stringify(message);
      for (const secret of this.secrets) if (whole.includes(secret)) this.found.add(`${secret} in ${kind}`);
      if (this.watch.test(whole)) this.watched++;
    }
  }

  /** Resolves once nothing has arrived for `quietMs` (the runtime sends in 50 ms batches), or after `maxMs`. */
  async settle(quietMs = 1_000, maxMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + maxMs;
    while (Date.now() < deadline) {
      if (Date.now() - this.lastMessageAt >= quietMs) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  /**
   * Disconnects until `start()`. The runtime sends an editor at most 50 messages per 50 ms and
   * queues the rest in memory: a flood of requests (a status and a warning each) takes minutes to
   * drain, and a kill -9 loses what is queued. Paused, nothing is queued.
   */
  pause(): void {
    this.paused = true;
    this.open = false;
    this.socket?.close();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }
}
