import type { BackoffOptions } from "./backoff.js";
import type { ServerFrame, WelcomeFrame } from "./protocol.js";
import type { Environment, SocketFactory } from "./socket.js";

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

export interface StateChange {
  from: ConnectionState;
  to: ConnectionState;
  cause: string;
  code?: number;
  reason?: string;
  /** When moving to "reconnecting": how long until the next attempt. */
  delayMs?: number;
}

export interface CloseRecord {
  code: number;
  reason: string;
  at: number;
  /** True when this client gave up on the socket itself (handshake or ping timeout, manual reconnect). */
  byClient: boolean;
}

export interface LogEntry {
  at: number;
  event: string;
  detail: string;
}

export interface ConnectionEvents {
  state: StateChange;
  /** Emitted before the state turns "open", so listeners set up before any replayed message arrives. */
  welcome: WelcomeFrame;
  frame: ServerFrame;
  binary: ArrayBuffer;
  log: LogEntry;
  /**
   * The `ref` of a send this tab handed to the leader tab, which could not write it (its socket was not open): it is
   * written again on the next open connection, like a send cut off by a drop. Only a tab sharing a connection has it.
   */
  unwritten: string;
}

export type TokenProvider = (context: { forceRefresh: boolean }) => Promise<string>;

export interface ConnectionOptions {
  userId: string;
  /** The resume cursor, read on every attempt; undefined omits `since`. */
  since?: () => number | undefined;
  tokenProvider?: TokenProvider;
  /** `ws://host:port`; defaults to the page's own location. */
  socketBase?: () => string;
  socketFactory?: SocketFactory;
  environment?: Environment;
  random?: () => number;
  backoff?: BackoffOptions;
  handshakeTimeoutMs?: number;
  /**
   * Silence past the server's `heartbeatMs` plus this means the connection is dead. Default: the server's
   * `heartbeatTimeoutMs` from `welcome`, or 10 s when it sends none.
   */
  pingGraceMs?: number;
  minUptimeMs?: number;
  tokenRefreshAheadMs?: number;
}
