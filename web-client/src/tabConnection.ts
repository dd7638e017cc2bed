import { CodecError, decodeBinaryFrame } from "./binaryCodec.js";
import { Connection } from "./connection.js";
import type { CloseRecord, ConnectionEvents, ConnectionOptions, ConnectionState, StateChange } from "./connectionTypes.js";
import { Emitter } from "./emitter.js";
import type { ClientFrame, ServerFrame, WelcomeFrame } from "./protocol.js";
import type { TabChannel, TabSharing } from "./tabSharing.js";

/** What the client needs from a connection: the real {@link Connection}, or the tabs' shared one below. */
export interface ConnectionPort {
  readonly state: ConnectionState;
  readonly attempts: number;
  readonly lastPingAt: number | undefined;
  readonly lastClose: CloseRecord | undefined;
  readonly token: string | undefined;
  readonly nextAttemptAt: number | undefined;
  on<K extends keyof ConnectionEvents>(name: K, listener: (event: ConnectionEvents[K]) => void): () => void;
  connect(): void;
  close(): void;
  reconnectNow(): void;
  send(data: ClientFrame | ArrayBuffer): boolean;
}

/** The leader's connection as the other tabs see it. */
interface Snapshot {
  state: ConnectionState;
  attempts: number;
  lastPingAt?: number;
  lastClose?: CloseRecord;
  token?: string;
  nextAttemptAt?: number;
}

/** What came in on the leader's socket, in the order the leader's own client saw it. */
type Relayed =
  | { type: "welcome"; frame: WelcomeFrame }
  | { type: "frame"; frame: ServerFrame }
  | { type: "binary"; data: ArrayBuffer };

/** The messages between tabs; `to` names one tab, everything else is for all. */
type TabMessage =
  | { kind: "hello"; tab: string }
  | { kind: "sync"; to: string; snapshot: Snapshot; backlog: Relayed[] }
  | { kind: "leader"; tab: string; snapshot: Snapshot }
  | { kind: "state"; change: StateChange; snapshot: Snapshot }
  | { kind: "snapshot"; snapshot: Snapshot }
  | { kind: "relay"; item: Relayed }
  | { kind: "leaving"; tab: string }
  | { kind: "write"; tab: string; data: ClientFrame | ArrayBuffer; ref?: string }
  | { kind: "unwritten"; to: string; ref: string }
  | { kind: "command"; action: "connect" | "reconnect-now" };

/** Frames the leader keeps for a tab that joins later: those since its latest welcome, at most this many... */
const backlogLimit = 500;
/** ...and files of at most this many bytes in all (a joining tab fetches older ones over HTTP, as for a gap). */
const backlogBinaryLimit = 8 * 1024 * 1024;

/**
 * One connection per browser, not per tab. The tabs of one user elect a leader with a Web Lock named after the user;
 * the leader holds the only {@link Connection} (still the one door for connection state) and passes every frame it
 * receives, and every change of its state, to the other tabs over a BroadcastChannel. The others mirror that state,
 * hand their sends to the leader, and read their acks from the relayed frames (refs are unique per tab). A tab that
 * joins gets the leader's state and the frames since its latest welcome, so it starts where a connection of its own
 * would have. When the leader tab goes away the browser gives the lock to the next tab, which connects with its own
 * cursor: every tab drops what it already has by seq, so the hand-over neither loses nor repeats a message.
 *
 * Only the leader confirms (`received`): followers process the same frames, and one confirmation per seq is enough.
 */
export class TabConnection implements ConnectionPort {
  private readonly events = new Emitter<ConnectionEvents>();
  private readonly tabId = Math.random().toString(36).slice(2, 10);
  private readonly lockName: string;
  private readonly channelName: string;
  private channel: TabChannel | undefined;
  private abort: AbortController | undefined;
  private releaseLock: (() => void) | undefined;
  private stopLeaving: (() => void) | undefined;
  private leaderConnection: Connection | undefined;
  private unbindLeader: (() => void)[] = [];
  private backlog: Relayed[] = [];
  private shown: ConnectionState = "closed";
  private mirrored: Snapshot = { state: "closed", attempts: 0 };
  /** Messages some tab already marked read: every visible tab marks each one, the server needs it once. */
  private readonly readSent = new Set<string>();
  /** A follower has the leader's backlog: until then relayed frames are left to the sync that carries them. */
  private synced = false;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly sharing: TabSharing,
    private readonly makeConnection: (options: ConnectionOptions) => Connection = (o) => new Connection(o),
  ) {
    this.lockName = `matchbook.connection.${options.userId}`;
    this.channelName = `matchbook.tabs.${options.userId}`;
  }

  get isLeader(): boolean { return this.leaderConnection !== undefined; }
  get state(): ConnectionState { return this.shown; }
  get attempts(): number { return this.leaderConnection?.attempts ?? this.mirrored.attempts; }
  get lastPingAt(): number | undefined { return this.leaderConnection ? this.leaderConnection.lastPingAt : this.mirrored.lastPingAt; }
  get lastClose(): CloseRecord | undefined { return this.leaderConnection ? this.leaderConnection.lastClose : this.mirrored.lastClose; }
  get token(): string | undefined { return this.leaderConnection ? this.leaderConnection.token : this.mirrored.token; }
  get nextAttemptAt(): number | undefined {
    return this.leaderConnection ? this.leaderConnection.nextAttemptAt : this.mirrored.nextAttemptAt;
  }

  on<K extends keyof ConnectionEvents>(name: K, listener: (event: ConnectionEvents[K]) => void): () => void {
    return this.events.on(name, listener);
  }

  connect(): void {
    if (this.leaderConnection) {
      this.leaderConnection.connect();
      return;
    }
    if (this.channel) {
      // Already in the election; a stopped leader is asked to start again.
      this.post({ kind: "command", action: "connect" });
      return;
    }
    const channel = this.sharing.openChannel(this.channelName);
    this.channel = channel;
    channel.addEventListener("message", (event) => this.onMessage(event.data as TabMessage));
    this.abort = new AbortController();
    this.show({ from: this.shown, to: "connecting", cause: "connect" });
    this.post({ kind: "hello", tab: this.tabId });
    this.sharing.locks.request(this.lockName, { signal: this.abort.signal }, () => this.lead()).catch(() => {
      // Aborted by close() while waiting: this tab never led.
    });
  }

  /** This tab stops: a leader tells the others and hands the lock on, so one of them connects. */
  close(): void {
    if (this.leaderConnection) {
      this.post({ kind: "leaving", tab: this.tabId });
      this.unbindLeader.forEach((stop) => stop());
      this.unbindLeader = [];
      this.leaderConnection.close();
      this.leaderConnection = undefined;
    }
    this.stopLeaving?.();
    this.abort?.abort();
    this.releaseLock?.();
    this.releaseLock = undefined;
    this.channel?.close();
    this.channel = undefined;
    this.synced = false;
    this.show({ from: this.shown, to: "closed", cause: "client closed" });
  }

  reconnectNow(): void {
    if (this.leaderConnection) {
      this.leaderConnection.reconnectNow();
    } else if (this.channel) {
      this.post({ kind: "command", action: "reconnect-now" });
    } else {
      this.connect();
    }
  }

  send(data: ClientFrame | ArrayBuffer): boolean {
    if (this.leaderConnection) {
      return this.writeAsLeader(data);
    }
    if (this.shown !== "open") {
      return false;
    }
    if (!(data instanceof ArrayBuffer) && data.type === "received") {
      return true; // the leader confirms what every tab received
    }
    this.post({ kind: "write", tab: this.tabId, data, ref: refOf(data) });
    return true;
  }

  /** Runs while this tab holds the lock; the returned promise settles when it lets go. */
  private lead(): Promise<void> {
    const connection = this.makeConnection(this.options);
    this.leaderConnection = connection;
    this.backlog = [];
    this.synced = true;
    const relay = (item: Relayed) => {
      if (item.type === "welcome") {
        this.backlog = [];
      }
      this.backlog.push(item);
      this.trimBacklog();
      this.post({ kind: "relay", item });
    };
    this.unbindLeader = [
      connection.on("log", (entry) => {
        this.events.emit("log", entry);
        if (entry.event !== "ping") {
          this.post({ kind: "snapshot", snapshot: this.snapshot() }); // a new retry time, attempts, close
        }
      }),
      connection.on("state", (change) => {
        this.show(change);
        this.post({ kind: "state", change, snapshot: this.snapshot() });
      }),
      connection.on("welcome", (welcome) => {
        relay({ type: "welcome", frame: welcome });
        this.events.emit("welcome", welcome);
      }),
      connection.on("frame", (frame) => {
        if (frame.type !== "welcome" && frame.type !== "ping") {
          relay({ type: "frame", frame });
        }
        this.events.emit("frame", frame);
      }),
      connection.on("binary", (data) => {
        relay({ type: "binary", data });
        this.events.emit("binary", data);
      }),
    ];
    this.stopLeaving = this.sharing.onLeave(() => this.post({ kind: "leaving", tab: this.tabId }));
    this.events.emit("log", { at: Date.now(), event: "leader", detail: "this tab holds the connection for all tabs" });
    connection.connect();
    // Announced once connecting: a snapshot of the fresh connection would say "closed", and a follower mirroring
    // that would fail the sends it is holding for the next connection.
    this.post({ kind: "leader", tab: this.tabId, snapshot: this.snapshot() });
    return new Promise<void>((resolve) => {
      this.releaseLock = resolve;
    });
  }

  private onMessage(message: TabMessage): void {
    if (this.leaderConnection) {
      this.onMessageAsLeader(message);
      return;
    }
    switch (message.kind) {
      case "sync":
        if (message.to === this.tabId) {
          this.synced = true;
          this.mirror(message.snapshot, { cause: "joined the tab holding the connection" });
          message.backlog.forEach((item) => this.replay(item));
        }
        return;
      case "leader":
        if (!this.synced) {
          this.post({ kind: "hello", tab: this.tabId }); // a hello sent while leaders changed may be lost
        } else {
          this.mirror(message.snapshot, { cause: "another tab took over the connection" });
        }
        return;
      case "state":
        if (this.synced) {
          this.mirror(message.snapshot, message.change);
        }
        return;
      case "snapshot":
        if (this.synced) {
          this.mirror(message.snapshot, { cause: "leader update" });
        }
        return;
      case "relay":
        if (this.synced) {
          this.replay(message.item);
        }
        return;
      case "leaving":
        if (this.synced && this.shown !== "closed") {
          this.mirror({ ...this.mirrored, state: "reconnecting", nextAttemptAt: undefined },
                      { cause: "the tab holding the connection closed" });
        }
        return;
      case "unwritten":
        if (message.to === this.tabId) {
          // The leader lost its socket before writing it: like a send cut off by a drop, it goes out again (same ref,
          // same key) once a connection is open, whichever tab then holds it.
          this.events.emit("unwritten", message.ref);
        }
        return;
      default:
        return;
    }
  }

  private onMessageAsLeader(message: TabMessage): void {
    const connection = this.leaderConnection;
    if (!connection) {
      return;
    }
    switch (message.kind) {
      case "hello":
        this.post({ kind: "sync", to: message.tab, snapshot: this.snapshot(), backlog: this.backlogForJoiner() });
        return;
      case "write":
        if (!this.writeAsLeader(message.data) && message.ref !== undefined) {
          this.post({ kind: "unwritten", to: message.tab, ref: message.ref });
        }
        return;
      case "command":
        if (message.action === "connect") {
          connection.connect();
        } else {
          connection.reconnectNow();
        }
        return;
      default:
        return;
    }
  }

  /** Drops the oldest frames past the limits, keeping the welcome first: a joining tab sees the hole as a gap. */
  private trimBacklog(): void {
    const first = this.backlog[0]?.type === "welcome" ? 1 : 0;
    let binaryBytes = 0;
    for (const item of this.backlog) {
      binaryBytes += item.type === "binary" ? item.data.byteLength : 0;
    }
    while (this.backlog.length > first + 1 && (this.backlog.length > backlogLimit || binaryBytes > backlogBinaryLimit)) {
      const [dropped] = this.backlog.splice(first, 1);
      binaryBytes -= dropped?.type === "binary" ? dropped.data.byteLength : 0;
    }
  }

  private writeAsLeader(data: ClientFrame | ArrayBuffer): boolean {
    const connection = this.leaderConnection;
    if (!connection) {
      return false;
    }
    if (!(data instanceof ArrayBuffer) && data.type === "read") {
      if (this.readSent.has(data.id)) {
        return true;
      }
      if (!connection.send(data)) {
        return false;
      }
      this.readSent.add(data.id);
      if (this.readSent.size > backlogLimit) {
        this.readSent.delete(this.readSent.values().next().value ?? "");
      }
      return true;
    }
    return connection.send(data);
  }

  /**
   * The backlog with its welcome's `lastSeq` raised to the newest seq in it: a tab reloaded mid-session may already
   * hold a cursor past the welcome's, and must not take that for a server whose store was wiped.
   */
  private backlogForJoiner(): Relayed[] {
    let newest = 0;
    for (const item of this.backlog) {
      if (item.type === "frame" && item.frame.type === "message" && item.frame.seq !== undefined) {
        newest = Math.max(newest, item.frame.seq);
      }
    }
    return this.backlog.map((item) => item.type === "welcome" && item.frame.lastSeq !== undefined
      ? { type: "welcome", frame: { ...item.frame, lastSeq: Math.max(item.frame.lastSeq, newest) } }
      : item);
  }

  private replay(item: Relayed): void {
    if (item.type === "welcome") {
      this.events.emit("welcome", item.frame);
    } else if (item.type === "frame") {
      this.events.emit("frame", item.frame);
    } else {
      this.events.emit("binary", item.data);
    }
  }

  private mirror(snapshot: Snapshot, change: Partial<StateChange> & { cause: string }): void {
    this.mirrored = snapshot;
    this.show({ ...change, from: this.shown, to: snapshot.state });
  }

  /** The one place this tab's shown state changes, always following the leader's connection. */
  private show(change: StateChange): void {
    if (change.to === this.shown) {
      return;
    }
    const from = this.shown;
    this.shown = change.to;
    this.events.emit("state", { ...change, from });
  }

  private snapshot(): Snapshot {
    const c = this.leaderConnection;
    return c
      ? { state: c.state, attempts: c.attempts, lastPingAt: c.lastPingAt, lastClose: c.lastClose, token: c.token,
          nextAttemptAt: c.nextAttemptAt }
      : this.mirrored;
  }

  private post(message: TabMessage): void {
    try {
      this.channel?.postMessage(message);
    } catch (error) {
      this.events.emit("log", { at: Date.now(), event: "error", detail: `tab channel: ${String(error)}` });
    }
  }
}

/** The `ref` of a send (text frame, or the header of a binary one), so a send the leader could not write can fail. */
function refOf(data: ClientFrame | ArrayBuffer): string | undefined {
  if (!(data instanceof ArrayBuffer)) {
    return data.type === "send" ? data.ref : undefined;
  }
  try {
    const ref = decodeBinaryFrame(data).header.ref;
    return typeof ref === "string" ? ref : undefined;
  } catch (error) {
    if (error instanceof CodecError) {
      return undefined;
    }
    throw error;
  }
}
