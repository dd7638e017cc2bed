import { defaultBackoff, nextDelayMs } from "./backoff.js";
import { decideOnClose } from "./closeCodes.js";
import type { CloseRecord, ConnectionEvents, ConnectionOptions, ConnectionState, StateChange } from "./connectionTypes.js";
import { Emitter } from "./emitter.js";
import { type ClientFrame, type WelcomeFrame, encodeFrame, parseServerFrame } from "./protocol.js";
import { type SocketLike, browserEnvironment, browserSocketFactory, socketOpen } from "./socket.js";
import { Timer } from "./timer.js";
import { TokenRefresher } from "./tokenRefresh.js";
import { buildSocketUrl, socketBaseFromLocation } from "./urls.js";
import { listenForWakeups } from "./wakeups.js";

/**
 * The contract's default heartbeat timeout (PROTOCOL.md "Keepalive": 10 s; `matchbook.heartbeat-timeout`). Used only
 * when the welcome lacks `heartbeatTimeoutMs`, as an older server's does; a current server says its own.
 */
const DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;

export type { CloseRecord, ConnectionEvents, ConnectionOptions, ConnectionState, LogEntry, StateChange, TokenProvider } from "./connectionTypes.js";

/**
 * Owns one WebSocket at a time and its lifecycle. The state changes only in setState; everything the pages
 * show about the connection listens to its "state" event.
 */
export class Connection {
  private readonly events = new Emitter<ConnectionEvents>();
  private readonly handshakeTimer = new Timer();
  private readonly livenessTimer = new Timer();
  private readonly uptimeTimer = new Timer();
  private readonly retryTimer = new Timer();
  private current: ConnectionState = "closed";
  private socket: SocketLike | undefined;
  /** Bumped whenever a socket is abandoned, so late callbacks of older attempts do nothing. */
  private generation = 0;
  private retryAttempt = 0;
  private attemptCount = 0;
  private heartbeatMs = 0;
  /** The server's `heartbeatTimeoutMs` from the last welcome: the grace when `pingGraceMs` is not set. */
  private serverGraceMs: number | undefined;
  private notBeforeMs = 0;
  private retryAtMs: number | undefined;
  private lastHeardMs = 0;
  private lastPingMs: number | undefined;
  private lastCloseRecord: CloseRecord | undefined;
  private currentToken: string | undefined;
  private detachEnvironment: (() => void) | undefined;
  private readonly refresher: TokenRefresher | undefined;

  constructor(private readonly options: ConnectionOptions) {
    const provider = options.tokenProvider;
    this.refresher = provider && new TokenRefresher(
      () => provider({ forceRefresh: true }),
      options.tokenRefreshAheadMs ?? 30_000,
      (token) => {
        if (token === "") {
          return;   // the provider has nothing to give (auth off): nothing to refresh
        }
        this.currentToken = token;
        this.send({ type: "auth", token });
        this.log("auth", "token refreshed");
      },
      (error) => this.log("error", `token refresh failed: ${String(error)}`),
    );
  }

  get state(): ConnectionState { return this.current; }
  /** Connection attempts since this object was made, for the diagnostics panel. */
  get attempts(): number { return this.attemptCount; }
  get lastPingAt(): number | undefined { return this.lastPingMs; }
  get lastClose(): CloseRecord | undefined { return this.lastCloseRecord; }
  get token(): string | undefined { return this.currentToken; }
  /** When the scheduled retry fires (epoch ms); undefined while no retry waits (open, closed, attempt in flight). */
  get nextAttemptAt(): number | undefined { return this.retryTimer.pending ? this.retryAtMs : undefined; }
  get userId(): string { return this.options.userId; }

  on<K extends keyof ConnectionEvents>(name: K, listener: (event: ConnectionEvents[K]) => void): () => void {
    return this.events.on(name, listener);
  }

  connect(): void {
    if (this.current !== "closed") {
      return;
    }
    this.retryAttempt = 0;
    this.listenToEnvironment();
    this.setState("connecting", "connect");
    void this.attempt(false);
  }

  /** For good: no reconnect until connect() is called again. */
  close(): void {
    this.abandonSocket("client closed");
    this.retryTimer.clear();
    this.stopListeningToEnvironment();
    this.setState("closed", "client closed");
  }

  /** The manual button: try at once, whatever the backoff says. */
  reconnectNow(): void {
    if (this.current === "closed") {
      this.connect();
      return;
    }
    if (this.socket) {
      this.abandonSocket("manual reconnect");
      this.lastCloseRecord = { code: 1000, reason: "manual reconnect", at: Date.now(), byClient: true };
      this.log("close", "closed by client: manual reconnect");
    }
    this.retryTimer.clear();
    this.setState("reconnecting", "manual reconnect", { delayMs: 0 });
    void this.attempt(false);
  }

  /** Writes one frame if a socket is open; false otherwise (the caller decides whether to queue). */
  send(data: ClientFrame | ArrayBuffer): boolean {
    if (!this.socket || this.socket.readyState !== socketOpen) {
      return false;
    }
    this.socket.send(data instanceof ArrayBuffer ? data : encodeFrame(data));
    return true;
  }

  private setState(to: ConnectionState, cause: string, extra: Partial<StateChange> = {}): void {
    const from = this.current;
    if (from === to) {
      return;
    }
    this.current = to;
    const change: StateChange = { ...extra, from, to, cause };
    this.log("state", `${from} → ${to} (${cause})`);
    this.events.emit("state", change);
  }

  private async attempt(refreshToken: boolean): Promise<void> {
    const generation = ++this.generation;
    this.attemptCount++;
    this.log("connect", `attempt ${this.attemptCount}`);
    // Covers the token fetch too: a provider that hangs must not leave the client stuck in "connecting".
    this.handshakeTimer.start(this.options.handshakeTimeoutMs ?? 10_000, () => this.giveUp("handshake timeout"));
    let token: string | undefined;
    if (this.options.tokenProvider) {
      try {
        token = await this.options.tokenProvider({ forceRefresh: refreshToken });
      } catch (error) {
        if (generation === this.generation) {
          this.log("error", `token provider failed: ${String(error)}`);
          this.giveUp("no token");
        }
        return;
      }
      if (generation !== this.generation) {
        return;
      }
    }
    // An empty token means "none" (a provider with nothing to give, e.g. auth off): no ?token= at all.
    this.currentToken = token === "" ? undefined : token;
    const base = this.options.socketBase?.() ?? socketBaseFromLocation(location);
    const url = buildSocketUrl(base, this.options.userId, this.options.since?.(), this.currentToken);
    // Callbacks of an abandoned socket (late close, stray message) are dropped here, in one place.
    const ifLive = <A extends unknown[]>(handle: (...args: A) => void) => (...args: A): void => {
      if (generation === this.generation) {
        handle(...args);
      }
    };
    try {
      this.socket = (this.options.socketFactory ?? browserSocketFactory)(url, {
        open: ifLive(() => this.log("open", "socket open, waiting for welcome")),
        message: ifLive((data: string | ArrayBuffer) => this.onData(generation, data)),
        close: ifLive((code: number, reason: string) => this.onServerClose(code, reason)),
        error: ifLive(() => this.log("error", "socket error")),
      });
    } catch (error) {
      // The constructor throws for a malformed URL or a blocked scheme: treat it like a failed attempt.
      this.log("error", `cannot open socket: ${String(error)}`);
      this.giveUp("socket not created");
    }
  }

  private onData(generation: number, data: string | ArrayBuffer): void {
    this.lastHeardMs = Date.now();
    this.armLiveness();
    if (data instanceof ArrayBuffer) {
      this.events.emit("binary", data);
      return;
    }
    const parsed = parseServerFrame(data);
    if (!parsed.ok) {
      this.log("error", `unreadable frame: ${parsed.problem}`);
      return;
    }
    const frame = parsed.frame;
    if (frame.type === "welcome") {
      this.onWelcome(generation, frame);
    } else if (frame.type === "ping") {
      this.lastPingMs = this.lastHeardMs;
      this.log("ping", "server ping");
    }
    this.events.emit("frame", frame);
  }

  private onWelcome(generation: number, welcome: WelcomeFrame): void {
    this.handshakeTimer.clear();
    this.heartbeatMs = welcome.heartbeatMs;
    this.serverGraceMs = welcome.heartbeatTimeoutMs;
    this.notBeforeMs = 0;
    this.log("welcome", `connection ${welcome.connectionId}, heartbeat ${welcome.heartbeatMs} ms`);
    this.events.emit("welcome", welcome);
    if (generation !== this.generation) {
      return; // a welcome listener closed or restarted the connection
    }
    this.setState("open", "welcome");
    this.armLiveness();
    // A connection that drops right after opening is as bad as one that never opened: keep backing off.
    this.uptimeTimer.start(this.options.minUptimeMs ?? 5_000, () => {
      this.retryAttempt = 0;
    });
    if (this.currentToken !== undefined) {
      this.refresher?.schedule(this.currentToken);
    }
  }

  private livenessDeadlineMs(): number {
    return this.heartbeatMs + (this.options.pingGraceMs ?? this.serverGraceMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS);
  }

  private armLiveness(): void {
    if (this.current === "open") {
      const deadlineMs = this.livenessDeadlineMs();
      this.livenessTimer.start(deadlineMs, () => this.giveUp(`nothing heard for ${deadlineMs} ms`));
    }
  }

  private onServerClose(code: number, reason: string): void {
    this.releaseSocket();
    this.lastCloseRecord = { code, reason, at: Date.now(), byClient: false };
    const decision = decideOnClose(code, reason);
    this.log("close", `${code} ${reason || decision.description}`);
    if (decision.action === "stop") {
      this.stopListeningToEnvironment();
      this.setState("closed", decision.description, { code, reason });
      return;
    }
    this.scheduleRetry(`closed ${code}`, decision.minDelayMs, decision.refreshToken, { code, reason });
  }

  /** The client's own verdict that this socket is no use (timeouts): drop it without waiting for its close. */
  private giveUp(why: string): void {
    this.abandonSocket(why);
    this.lastCloseRecord = { code: 1000, reason: why, at: Date.now(), byClient: true };
    this.log("close", `closed by client: ${why}`);
    this.scheduleRetry(why, 0, false, {});
  }

  private scheduleRetry(cause: string, minDelayMs: number, refreshToken: boolean, extra: Partial<StateChange>): void {
    const delayMs = Math.max(minDelayMs, nextDelayMs(this.retryAttempt, this.options.backoff ?? defaultBackoff, this.options.random ?? Math.random));
    this.retryAttempt++;
    this.notBeforeMs = Date.now() + minDelayMs;
    this.retryAtMs = Date.now() + delayMs;
    this.retryTimer.start(delayMs, () => void this.attempt(refreshToken));
    this.log("retry", `next attempt in ${delayMs} ms`); // after the timer: listeners read nextAttemptAt
    this.setState("reconnecting", cause, { ...extra, delayMs });
  }

  private abandonSocket(why: string): void {
    const socket = this.socket;
    this.releaseSocket();
    try {
      socket?.close(1000, why);
    } catch {
      // Closing a socket that never connected may throw in some browsers; it is gone either way.
    }
  }

  private releaseSocket(): void {
    this.generation++;
    this.socket = undefined;
    this.handshakeTimer.clear();
    this.livenessTimer.clear();
    this.uptimeTimer.clear();
    this.refresher?.cancel();
  }

  private listenToEnvironment(): void {
    this.stopListeningToEnvironment();
    const env = this.options.environment ?? browserEnvironment();
    const wake = (why: string) => {
      this.log(why, "");
      // Only while waiting out a backoff: an attempt in flight is left alone, and a server's retry-after is kept.
      if (this.current === "reconnecting" && this.retryTimer.pending && Date.now() >= this.notBeforeMs) {
        this.retryTimer.clear();
        void this.attempt(false);
      }
    };
    this.detachEnvironment = listenForWakeups(env, {
      online: () => wake("online"),
      offline: () => this.log("offline", ""),
      visible: () => {
        // Background tabs have their timers throttled: check the liveness deadline by the clock.
        if (this.current === "open" && Date.now() - this.lastHeardMs > this.livenessDeadlineMs()) {
          this.giveUp("nothing heard while hidden");
        }
        wake("visible");
      },
    });
  }

  private stopListeningToEnvironment(): void {
    this.detachEnvironment?.();
    this.detachEnvironment = undefined;
  }

  private log(event: string, detail: string): void {
    this.events.emit("log", { at: Date.now(), event, detail });
  }
}
