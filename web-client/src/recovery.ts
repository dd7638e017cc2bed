import type { HistoryFetcher } from "./history.js";
import type { StreamEntry, WelcomeFrame } from "./protocol.js";
import { Timer } from "./timer.js";

export type MessageSource = "live" | "replay" | "resync";

export interface RecoveryHooks {
  /** A message or (1.1) an update, once each, in seq order. */
  deliver(entry: StreamEntry, source: MessageSource): void;
  /** Sends `{"type":"received","seq":N}`; may do nothing while disconnected (the next welcome confirms again). */
  confirm(seq: number): void;
  fetchPage: HistoryFetcher;
  log(event: string, detail: string): void;
  /** Resync gave up: messages between `afterSeq` and the next delivered one may be missing. */
  lost(afterSeq: number, error: unknown): void;
}

export type CursorStore = Pick<Storage, "getItem" | "setItem">;

export interface RecoveryOptions {
  pageSize?: number;
  confirmDelayMs?: number;
  resyncRetriesMs?: readonly number[];
}

/**
 * Exactly-once, in-order delivery on top of at-least-once frames (docs/protocol.md, "Replay"): remembers the last
 * contiguous seq (per user, in the tab's sessionStorage), drops duplicates, and on a gap or an incomplete
 * replay fetches the missing range over HTTP while holding back what arrives meanwhile. Since 1.1 the stream
 * holds updates (edits, deletes) beside messages, each with its own seq: they go through here the same way.
 */
export class Recovery {
  private cursor: number | undefined;
  private replayUpTo = 0;
  private resyncing = false;
  private held: StreamEntry[] = [];
  private readonly confirmTimer = new Timer();
  private readonly resyncTimer = new Timer();
  private gapCount = 0;
  private replayedCount = 0;

  constructor(
    private readonly store: CursorStore,
    private readonly key: string,
    private readonly hooks: RecoveryHooks,
    private readonly options: RecoveryOptions = {},
  ) {
    const stored = Number.parseInt(store.getItem(key) ?? "", 10);
    this.cursor = Number.isSafeInteger(stored) && stored >= 0 ? stored : undefined;
  }

  /** The `since` of the next connect: undefined on a fresh tab, so the server picks the starting point. */
  get lastSeq(): number | undefined { return this.cursor; }
  get gaps(): number { return this.gapCount; }
  get replayed(): number { return this.replayedCount; }

  onWelcome(welcome: WelcomeFrame): void {
    this.replayUpTo = welcome.replay?.to ?? 0;
    if (this.cursor !== undefined && welcome.lastSeq !== undefined && welcome.lastSeq < this.cursor) {
      // The server numbers from 1 again (its store was wiped) and replays all it holds from replay.from:
      // restart our cursor just before that, or its messages would all look like duplicates.
      this.hooks.log("reset", `server's last seq ${welcome.lastSeq} is below ours (${this.cursor})`);
      const from = welcome.replay?.from;
      this.setCursor(from !== undefined && from >= 1 ? from - 1 : 0);
    }
    if (this.cursor === undefined) {
      const from = welcome.replay?.from;
      const start = from !== undefined && from >= 1 ? from - 1 : welcome.lastSeq;
      if (start !== undefined) {
        this.setCursor(start);
      }
    }
    if (welcome.replay && !welcome.replay.complete) {
      this.gapCount++;
      this.hooks.log("gap", `replay incomplete after seq ${this.cursor ?? 0}`);
      this.startResync();
    }
    this.scheduleConfirm();
  }

  /** A message or an update, live or replayed. */
  onMessage(message: StreamEntry): void {
    if (message.seq === undefined) {
      this.hooks.deliver(message, "live"); // broadcasts are never numbered
    } else if (this.resyncing) {
      this.held.push(message);
    } else {
      this.accept(message, message.seq, false);
    }
  }

  private accept(message: StreamEntry, seq: number, tolerateJump: boolean): void {
    const cursor = this.cursor;
    if (cursor !== undefined && seq <= cursor) {
      this.hooks.log("duplicate", `seq ${seq} already seen (last ${cursor})`);
      return;
    }
    if (cursor !== undefined && seq > cursor + 1) {
      if (!tolerateJump) {
        this.gapCount++;
        this.hooks.log("gap", `expected seq ${cursor + 1}, got ${seq}`);
        this.held.push(message);
        this.startResync();
        return;
      }
      this.hooks.log("lost", `seq ${cursor + 1}..${seq - 1} are no longer retained`);
    }
    this.setCursor(seq);
    const source = seq <= this.replayUpTo ? "replay" : "live";
    if (source === "replay") {
      this.replayedCount++;
    }
    this.hooks.deliver(message, source);
    this.scheduleConfirm();
  }

  private startResync(attempt = 0): void {
    if (this.resyncing && attempt === 0) {
      return;
    }
    this.resyncing = true;
    this.resync().then(
      () => this.finishResync(),
      (error: unknown) => {
        const retries = this.options.resyncRetriesMs ?? [1_000, 2_000, 4_000];
        const delayMs = retries[attempt];
        if (delayMs === undefined) {
          // Holding messages back for ever would freeze the conversation: show what we have and say so.
          this.hooks.lost(this.cursor ?? 0, error);
          this.finishResync();
          return;
        }
        this.hooks.log("error", `resync failed (${String(error)}), retrying in ${delayMs} ms`);
        this.resyncTimer.start(delayMs, () => this.startResync(attempt + 1));
      },
    );
  }

  private async resync(): Promise<void> {
    const pageSize = this.options.pageSize ?? 100;
    for (;;) {
      const since = this.cursor ?? 0;
      this.hooks.log("resync", `fetching after seq ${since}`);
      const page = await this.hooks.fetchPage(since, pageSize);
      for (const message of page.messages) {
        if (message.seq !== undefined && message.seq > (this.cursor ?? 0)) {
          // History starts where it starts: a first seq above since + 1 means the rest expired.
          if (this.cursor !== undefined && message.seq > this.cursor + 1) {
            this.hooks.log("lost", `seq ${this.cursor + 1}..${message.seq - 1} are no longer retained`);
          }
          this.setCursor(message.seq);
          this.replayedCount++;
          this.hooks.deliver(message, "resync");
        }
      }
      const advanced = (this.cursor ?? 0) > since;
      if (!advanced || (this.cursor ?? 0) >= page.lastSeq) {
        return;
      }
    }
  }

  private finishResync(): void {
    this.resyncing = false;
    const held = this.held;
    this.held = [];
    // Whatever is still beyond the cursor after a full resync is not retained anywhere: accept the jump.
    for (const message of held) {
      if (message.seq !== undefined) {
        this.accept(message, message.seq, true);
      }
    }
    this.scheduleConfirm();
  }

  private setCursor(seq: number): void {
    this.cursor = seq;
    this.store.setItem(this.key, String(seq));
  }

  /** At most one `received` per delay, even under a steady stream (a restarting debounce would never fire). */
  private scheduleConfirm(): void {
    if (this.confirmTimer.pending) {
      return;
    }
    this.confirmTimer.start(this.options.confirmDelayMs ?? 200, () => {
      if (this.cursor !== undefined && this.cursor > 0 && !this.resyncing) {
        this.hooks.confirm(this.cursor);
      }
    });
  }

  /** For when the client is closed for good. */
  dispose(): void {
    this.confirmTimer.clear();
    this.resyncTimer.clear();
  }
}
