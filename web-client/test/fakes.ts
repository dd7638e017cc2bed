import type { ClientOptions } from "../src/client.js";
import type { SocketFactory, SocketHandlers, SocketLike } from "../src/socket.js";
import type { TabChannel, TabSharing } from "../src/tabSharing.js";

/** A WebSocket stand-in: the test plays the server through open/receive/serverClose. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  readonly sent: (string | ArrayBuffer)[] = [];
  closedByClient: { code?: number; reason?: string } | undefined;

  constructor(readonly url: string, private readonly handlers: SocketHandlers) {}

  send(data: string | ArrayBuffer): void {
    if (this.readyState !== 1) {
      throw new Error("send on a socket that is not open");
    }
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.handlers.open();
  }

  /** Opens the socket and sends the contract's first frame. */
  welcome(fields: Record<string, unknown> = {}): void {
    if (this.readyState === 0) {
      this.open();
    }
    this.receive({ type: "welcome", id: "alice", connectionId: "c1", heartbeatMs: 25_000, lastSeq: 0, ...fields });
  }

  receive(frame: Record<string, unknown> | ArrayBuffer): void {
    this.handlers.message(frame instanceof ArrayBuffer ? frame : JSON.stringify(frame));
  }

  serverClose(code: number, reason = ""): void {
    this.readyState = 3;
    this.handlers.close(code, reason);
  }

  /** Text frames the client wrote, parsed. */
  frames(): Record<string, unknown>[] {
    return this.sent.filter((d): d is string => typeof d === "string").map((d) => JSON.parse(d) as Record<string, unknown>);
  }

  query(name: string): string | null {
    return new URL(this.url).searchParams.get(name);
  }
}

export class FakeServer {
  readonly sockets: FakeSocket[] = [];
  readonly factory: SocketFactory = (url, handlers) => {
    const socket = new FakeSocket(url, handlers);
    this.sockets.push(socket);
    return socket;
  };

  get last(): FakeSocket {
    const socket = this.sockets.at(-1);
    if (!socket) {
      throw new Error("no socket was opened");
    }
    return socket;
  }
}

export function memoryStorage(): Pick<Storage, "getItem" | "setItem"> & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, value),
  };
}

/** Lets pending promise callbacks run (the timers are fake; this is one real turn of the event loop). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Stand-ins for window (online/offline) and document (visibility) that the test can poke. */
export function fakeEnvironment() {
  const network = new EventTarget();
  const document = new EventTarget();
  let visible = true;
  return {
    environment: { network, visibility: { target: document, isVisible: () => visible } },
    goOnline: () => network.dispatchEvent(new Event("online")),
    show: () => {
      visible = true;
      document.dispatchEvent(new Event("visibilitychange"));
    },
    hide: () => {
      visible = false;
      document.dispatchEvent(new Event("visibilitychange"));
    },
  };
}

export function message(seq: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "message", id: `m${seq}`, seq, channel: "chat", from: "bob", to: "alice",
    text: `hello ${seq}`, sentAt: "2025-01-01T00:00:00Z", ...fields,
  };
}

/**
 * Web Locks and BroadcastChannel for several "tabs" in one test: `tab(name)` gives one tab's TabSharing;
 * `crash(name)` is that tab going away without a word (its lock released, its channels deaf), as when it is closed.
 * Channel messages are cloned and delivered on a later turn, like the browser's.
 */
export class FakeBrowser {
  private readonly holders = new Map<string, string>();
  private readonly waiting: { lock: string; tab: string; grant: () => void; signal: AbortSignal }[] = [];
  private readonly releases = new Map<string, () => void>();
  private readonly channels: { tab: string; name: string; deliver: (data: unknown) => void; open: boolean }[] = [];
  private readonly leaveListeners = new Map<string, Set<() => void>>();
  readonly crashed = new Set<string>();

  tab(tab: string): TabSharing {
    return {
      locks: { request: (name, options, callback) => this.request(tab, name, options.signal, callback) },
      openChannel: (name) => this.openChannel(tab, name),
      onLeave: (listener) => {
        const set = this.leaveListeners.get(tab) ?? new Set();
        this.leaveListeners.set(tab, set);
        set.add(listener);
        return () => set.delete(listener);
      },
    };
  }

  holder(lock: string): string | undefined {
    return this.holders.get(lock);
  }

  /** The tab is closed: `pagehide` runs, then the browser drops its locks and channels. */
  close(tab: string): void {
    this.leaveListeners.get(tab)?.forEach((listener) => listener());
    this.crash(tab);
  }

  crash(tab: string): void {
    this.crashed.add(tab);
    for (const channel of this.channels) {
      if (channel.tab === tab) {
        channel.open = false;
      }
    }
    for (const [lock, holder] of [...this.holders]) {
      if (holder === tab) {
        this.release(lock);
      }
    }
  }

  private request(tab: string, lock: string, signal: AbortSignal, callback: () => Promise<void>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        let released = false;
        const done = () => {
          if (!released) {
            released = true;
            this.release(lock);
            resolve(undefined);
          }
        };
        this.releases.set(lock, done);
        callback().then(done, done);
      };
      signal.addEventListener("abort", () => {
        const index = this.waiting.findIndex((w) => w.grant === grant);
        if (index >= 0) {
          this.waiting.splice(index, 1);
          reject(new DOMException("aborted", "AbortError"));
        }
      });
      if (this.holders.has(lock)) {
        this.waiting.push({ lock, tab, grant, signal });
      } else {
        this.holders.set(lock, tab);
        queueMicrotask(grant);
      }
    });
  }

  private release(lock: string): void {
    if (!this.holders.has(lock)) {
      return;
    }
    this.holders.delete(lock);
    this.releases.delete(lock);
    const index = this.waiting.findIndex((w) => w.lock === lock && !this.crashed.has(w.tab));
    if (index >= 0) {
      const [next] = this.waiting.splice(index, 1);
      if (next) {
        this.holders.set(lock, next.tab);
        next.grant();
      }
    }
  }

  private openChannel(tab: string, name: string): TabChannel {
    const listeners: ((event: MessageEvent<unknown>) => void)[] = [];
    const self = { tab, name, open: true, deliver: (data: unknown) => listeners.forEach((l) => l(new MessageEvent("message", { data }))) };
    this.channels.push(self);
    return {
      postMessage: (message) => {
        if (!self.open) {
          return;
        }
        const copy = structuredClone(message);
        for (const other of this.channels) {
          if (other !== self && other.name === name) {
            setImmediate(() => {
              if (other.open) {
                other.deliver(copy);
              }
            });
          }
        }
      },
      addEventListener: (_type, listener) => void listeners.push(listener),
      close: () => {
        self.open = false;
      },
    };
  }
}

/**
 * Alice's client options on a fake server: the fake's sockets, a fake clock environment, storage in memory and a
 * fixed backoff jitter, so that every test starts from the same client; `overrides` changes or adds what a test needs.
 */
export function aliceOptions(server: FakeServer, overrides: Partial<ClientOptions> = {}): ClientOptions {
  return {
    userId: "alice",
    socketBase: () => "ws://chat.test",
    httpBase: () => "http://chat.test",
    socketFactory: server.factory,
    environment: fakeEnvironment().environment,
    storage: memoryStorage(),
    random: () => 0.5,
    ...overrides,
  };
}
