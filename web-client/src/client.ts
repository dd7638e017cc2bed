import { CodecError, decodeBinaryFrame, encodeBinaryFrame } from "./binaryCodec.js";
import { describeClose } from "./closeCodes.js";
import { Connection } from "./connection.js";
import type { CloseRecord, ConnectionOptions, ConnectionState, LogEntry, StateChange } from "./connectionTypes.js";
import { type ConversationPage, type ConversationSummary, type HistoryQuery, UserApi } from "./conversations.js";
import { ConversationView } from "./conversationView.js";
import { Emitter, type Listener } from "./emitter.js";
import { httpHistory } from "./history.js";
import { PendingSends, newKey } from "./pendingSends.js";
import {
  type AckFrame, type ChatMessage, type ErrorFrame, type ReceiptFrame, type ServerFrame, type StreamEntry,
  type TypingFrame, type TypingState, type UpdateFrame, messageFromRecord,
} from "./protocol.js";
import { type CursorStore, type MessageSource, Recovery, type RecoveryOptions } from "./recovery.js";
import { tabStorage } from "./storage.js";
import { type ConnectionPort, TabConnection } from "./tabConnection.js";
import type { TabSharing } from "./tabSharing.js";
import { httpBaseFromLocation } from "./urls.js";

export interface ClientError {
  code: string;
  message: string;
  ref?: string;
  /** True when the client stopped for good (a close code that reconnecting cannot fix). */
  fatal: boolean;
}

export interface ClientEvents {
  state: StateChange;
  /** Every delivered message, whatever its channel: once each, in seq order. */
  message: ChatMessage;
  /** (1.1) An earlier message was edited or deleted: once each, in seq order with the messages. */
  update: UpdateFrame;
  ack: AckFrame;
  receipt: ReceiptFrame;
  typing: TypingFrame;
  error: ClientError;
  log: LogEntry;
}

type ClientEvent = ClientEvents[keyof ClientEvents];

const eventNames: ReadonlySet<string> = new Set<keyof ClientEvents>(
  ["state", "message", "update", "ack", "receipt", "typing", "error", "log"],
);

function isEventName(name: string): name is keyof ClientEvents {
  return eventNames.has(name);
}

export interface ClientOptions extends Omit<ConnectionOptions, "since"> {
  /** `http://host:port`; defaults to the page's own origin. */
  httpBase?: () => string;
  storage?: CursorStore;
  fetchImpl?: typeof fetch;
  sendTimeoutMs?: number;
  recovery?: RecoveryOptions;
  /** Never confirms (`received`) nor marks read: for a page that watches, like the diagnostics panel. */
  readOnly?: boolean;
  /** Share one connection with this user's other tabs (see TabConnection); absent: this client connects alone. */
  tabs?: TabSharing;
}

export interface MessageBody {
  text?: string;
  data?: unknown;
}

export interface OutgoingFile {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

export interface Diagnostics {
  state: ConnectionState;
  attempts: number;
  lastPingAt?: number;
  lastClose?: CloseRecord;
  nextAttemptAt?: number;
  lastSeq?: number;
  replayed: number;
  gaps: number;
}

/** The client a page uses: one connection, in-order delivery, sends with acks, and channel handlers. */
export class MatchbookClient {
  readonly userId: string;
  private readonly connection: ConnectionPort;
  private readonly readOnly: boolean;
  /** Makes refs unique across tabs that share a connection (every tab sees every ack). */
  private readonly refPrefix = Math.random().toString(36).slice(2, 6);
  private readonly recovery: Recovery;
  private readonly pendingSends: PendingSends;
  private readonly api: UserApi;
  private readonly events = new Emitter<ClientEvents>();
  private readonly channelHandlers = new Map<string, Set<Listener<ChatMessage>>>();
  private channels: string[] | undefined;

  constructor(options: ClientOptions) {
    this.userId = options.userId;
    this.readOnly = options.readOnly ?? false;
    const connectionOptions = { ...options, since: () => this.recovery.lastSeq };
    this.connection = options.tabs
      ? new TabConnection(connectionOptions, options.tabs)
      : new Connection(connectionOptions);
    this.pendingSends = new PendingSends((frame) => this.connection.send(frame), options.sendTimeoutMs);
    this.recovery = new Recovery(options.storage ?? tabStorage(), `matchbook.lastSeq.${options.userId}`, {
      deliver: (message, source) => this.deliver(message, source),
      confirm: (seq) => void (this.readOnly || this.connection.send({ type: "received", seq })),
      fetchPage: httpHistory({
        httpBase: options.httpBase ?? (() => httpBaseFromLocation(location)),
        userId: options.userId,
        token: () => this.connection.token,
        fetchImpl: options.fetchImpl,
      }),
      log: (event, detail) => this.log(event, detail),
      lost: (afterSeq, error) => this.events.emit("error", {
        code: "resync-failed",
        message: `messages after seq ${afterSeq} may be missing: ${String(error)}`,
        fatal: false,
      }),
    }, options.recovery);
    this.api = new UserApi({
      httpBase: options.httpBase ?? (() => httpBaseFromLocation(location)),
      userId: options.userId,
      token: async () => this.connection.token ?? await options.tokenProvider?.({ forceRefresh: false }),
      fetchImpl: options.fetchImpl,
    });
    this.connection.on("log", (entry) => this.events.emit("log", entry));
    this.connection.on("welcome", (welcome) => {
      this.recovery.onWelcome(welcome);
      if (this.channels) {
        this.connection.send({ type: "subscribe", channels: this.channels });
      }
    });
    this.connection.on("state", (change) => this.onState(change));
    this.connection.on("frame", (frame) => this.onFrame(frame));
    this.connection.on("binary", (buffer) => this.onBinary(buffer));
    this.connection.on("unwritten", (ref) => this.pendingSends.unwritten(ref));
  }

  get state(): ConnectionState { return this.connection.state; }
  /** The token of the current connection, for the page's own HTTP calls. */
  get token(): string | undefined { return this.connection.token; }
  /** Whether this tab holds the connection its tabs share ("leader"), uses another tab's ("follower"), or its own. */
  get tabRole(): "leader" | "follower" | "alone" {
    if (!(this.connection instanceof TabConnection)) {
      return "alone";
    }
    return this.connection.isLeader ? "leader" : "follower";
  }
  /** When the next connection attempt is due (epoch ms), while one waits out its backoff. */
  get nextAttemptAt(): number | undefined { return this.connection.nextAttemptAt; }

  connect(): void { this.connection.connect(); }
  reconnectNow(): void { this.connection.reconnectNow(); }
  close(): void {
    this.connection.close();
    this.recovery.dispose();
  }

  on(name: "state", listener: Listener<StateChange>): () => void;
  on(name: "message", listener: Listener<ChatMessage>): () => void;
  on(name: "update", listener: Listener<UpdateFrame>): () => void;
  on(name: "ack", listener: Listener<AckFrame>): () => void;
  on(name: "receipt", listener: Listener<ReceiptFrame>): () => void;
  on(name: "typing", listener: Listener<TypingFrame>): () => void;
  on(name: "error", listener: Listener<ClientError>): () => void;
  on(name: "log", listener: Listener<LogEntry>): () => void;
  /** Any other name is a channel: the listener gets that channel's messages. */
  on(channel: string, listener: Listener<ChatMessage>): () => void;
  on(name: string, listener: Listener<never>): () => void {
    // The overloads above tie each name to its payload type; TypeScript cannot carry that into one body.
    const handler = listener as Listener<ClientEvent>;
    return isEventName(name) ? this.events.on(name, handler) : this.onChannel(name, handler);
  }

  /** For a channel whose name is also an event name ("message", "typing", ...). */
  onChannel(channel: string, listener: Listener<ChatMessage>): () => void {
    let set = this.channelHandlers.get(channel);
    if (!set) {
      set = new Set();
      this.channelHandlers.set(channel, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Resolves with the server's ack; see PendingSends for what happens across reconnects. */
  send(to: string, content: string | MessageBody, channel = "chat"): Promise<AckFrame> {
    const ref = `${this.refPrefix}${this.pendingSends.nextRef()}`;
    const body = typeof content === "string" ? { text: content } : content;
    this.log("send", `${ref} to ${to} [${channel}]`);
    const frame = { type: "send" as const, ref, key: newKey(), to, channel, ...body };
    return this.pendingSends.submit(ref, frame, this.state === "open");
  }

  sendFile(to: string, file: OutgoingFile, channel = "chat"): Promise<AckFrame> {
    const ref = `${this.refPrefix}${this.pendingSends.nextRef()}`;
    const header = { type: "send", ref, key: newKey(), to, channel, name: file.name, contentType: file.contentType };
    this.log("send", `${ref} file ${file.name} (${file.bytes.length} bytes) to ${to}`);
    return this.pendingSends.submit(ref, encodeBinaryFrame(header, file.bytes), this.state === "open");
  }

  /**
   * (1.1) Edits a message this user wrote (the `edit` frame); resolves with the ack, and both people get an `update`.
   * Rejects with a `SendError`: `not_found`, `edit_window_closed`, `blocked`, `timeout`, `closed`.
   */
  edit(id: string, content: string | MessageBody): Promise<AckFrame> {
    const ref = `${this.refPrefix}${this.pendingSends.nextRef()}`;
    const body = typeof content === "string" ? { text: content } : content;
    return this.pendingSends.submit(ref, { type: "edit", ref, id, ...body }, this.state === "open");
  }

  /** (1.1) Deletes a message this user wrote, for both people (the `delete` frame); rejects like `edit`. */
  delete(id: string): Promise<AckFrame> {
    const ref = `${this.refPrefix}${this.pendingSends.nextRef()}`;
    return this.pendingSends.submit(ref, { type: "delete", ref, id }, this.state === "open");
  }

  /** (1.1) The conversation list, most recent first; rejects with an `ApiError`. See conversations.ts. */
  conversations(limit?: number): Promise<ConversationSummary[]> { return this.api.conversations(limit); }
  /** (1.1) A page of one conversation, oldest first; rejects with an `ApiError`. */
  history(other: string, query?: HistoryQuery): Promise<ConversationPage> { return this.api.history(other, query); }
  block(other: string): Promise<void> { return this.api.block(other); }
  unblock(other: string): Promise<void> { return this.api.unblock(other); }
  blocked(): Promise<string[]> { return this.api.blocked(); }
  /** (1.1) A live view of one conversation; call `loadOlder()` for its newest page, `close()` when done. */
  conversation(other: string): ConversationView { return new ConversationView(this, other); }

  /** Best effort, like `typing`: false when not connected, so the caller can try again on the next open. */
  markRead(id: string): boolean {
    return !this.readOnly && this.state === "open" && this.connection.send({ type: "read", id });
  }

  typing(to: string, state: TypingState): boolean {
    return this.state === "open" && this.connection.send({ type: "typing", to, state });
  }

  /** Kept and sent again on every connection: the server remembers it per connection only. */
  subscribe(channels: readonly string[]): void {
    this.channels = [...channels];
    if (this.state === "open") {
      this.connection.send({ type: "subscribe", channels: this.channels });
    }
  }

  diagnostics(): Diagnostics {
    return {
      state: this.connection.state,
      attempts: this.connection.attempts,
      lastPingAt: this.connection.lastPingAt,
      lastClose: this.connection.lastClose,
      nextAttemptAt: this.connection.nextAttemptAt,
      lastSeq: this.recovery.lastSeq,
      replayed: this.recovery.replayed,
      gaps: this.recovery.gaps,
    };
  }

  private onState(change: StateChange): void {
    if (change.from === "open") {
      this.pendingSends.connectionLost();
    }
    if (change.to === "open") {
      this.pendingSends.flush();
    }
    if (change.to === "closed") {
      this.pendingSends.rejectAll(change.cause);
      if (change.code !== undefined) {
        this.events.emit("error", {
          code: String(change.code),
          message: change.reason || describeClose(change.code),
          fatal: true,
        });
      }
    }
    this.events.emit("state", change);
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case "message":
      case "update":
        this.recovery.onMessage(frame);
        return;
      case "ack":
        this.log("ack", `${frame.ref} → id ${frame.id}, seq ${frame.seq ?? "-"}`);
        this.pendingSends.onAck(frame);
        this.events.emit("ack", frame);
        return;
      case "receipt":
        this.log("receipt", `${frame.id} ${frame.status} by ${frame.by}`);
        this.events.emit("receipt", frame);
        return;
      case "typing":
        this.log("typing", `${frame.from} ${frame.state}`);
        this.events.emit("typing", frame);
        return;
      case "error":
        this.onErrorFrame(frame);
        return;
      default:
        return; // welcome and ping are the connection's business
    }
  }

  private onErrorFrame(frame: ErrorFrame): void {
    this.log("error", `${frame.code}: ${frame.message}${frame.ref ? ` (ref ${frame.ref})` : ""}`);
    this.pendingSends.onError(frame);
    this.events.emit("error", { code: frame.code, message: frame.message, ref: frame.ref, fatal: false });
  }

  private onBinary(buffer: ArrayBuffer): void {
    try {
      const { header, payload } = decodeBinaryFrame(buffer);
      const name = typeof header.name === "string" ? header.name : "file";
      const contentType = typeof header.contentType === "string" ? header.contentType : "application/octet-stream";
      const message = messageFromRecord(header, { name, contentType, size: payload.length, bytes: payload });
      if (message) {
        this.recovery.onMessage(message);
      } else {
        this.log("error", "binary frame header is not a message");
      }
    } catch (error) {
      if (!(error instanceof CodecError)) {
        throw error;
      }
      this.log("error", `unreadable binary frame: ${error.message}`);
    }
  }

  private deliver(message: StreamEntry, source: MessageSource): void {
    if (message.type === "update") {
      this.log("update", `${source} seq ${message.seq} ${message.action} ${message.id} by ${message.from}`);
      this.events.emit("update", message);
      return;
    }
    const body = message.file ? `file ${message.file.name}` : (message.text ?? JSON.stringify(message.data) ?? "");
    this.log("message", `${source} seq ${message.seq ?? "-"} from ${message.from} [${message.channel}] ${body.slice(0, 60)}`);
    this.events.emit("message", message);
    for (const handler of this.channelHandlers.get(message.channel) ?? []) {
      try {
        handler(message);
      } catch (error) {
        console.error(`handler for channel "${message.channel}" failed`, error);
      }
    }
  }

  private log(event: string, detail: string): void {
    this.events.emit("log", { at: Date.now(), event, detail });
  }
}
