import type { SocketFactory, SocketHandlers, SocketLike } from "../src/socket.js";

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
