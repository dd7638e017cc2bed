import type { AckFrame, ClientFrame, ErrorFrame } from "./protocol.js";

export class SendError extends Error {
  override readonly name = "SendError";
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

interface PendingSend {
  ref: string;
  frame: ClientFrame | ArrayBuffer;
  written: boolean;
  resolve(ack: AckFrame): void;
  reject(error: SendError): void;
  /** Runs only while the frame is written on an open connection. */
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * A new idempotency key (docs/protocol.md 1.1, "Idempotent sends": 1 to 64 of `A-Z a-z 0-9 . _ : -`): 128 random bits
 * as 32 hex digits. Random, not counted, so two tabs, devices or page loads never share one. `getRandomValues`
 * rather than `randomUUID`, which browsers offer only on https and localhost.
 */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Frames waiting for their `ack` (`send`, `edit`, `delete`), matched by `ref`.
 *
 * Across reconnects (docs/protocol.md 1.1, "Idempotent sends"): every send carries a `key` of its own. A frame made
 * while not connected waits here and is written, in order, when the next connection opens; one that was written
 * but not answered when its connection dropped is written again, unchanged (same `ref`, same `key`), on the next
 * connection. The server stores a key once and answers a repeat with the first ack, so the message exists once
 * however often the connection drops. Frames wait for a connection as long as the client lives; once written, one
 * with no answer within `timeoutMs` is rejected with `timeout` and not written again. An `error` answer rejects
 * with the server's code (`idempotency_key_reused`, `blocked`, `not_found`, `edit_window_closed`, ...).
 */
export class PendingSends {
  private readonly pending = new Map<string, PendingSend>();
  private counter = 0;

  constructor(
    private readonly write: (frame: ClientFrame | ArrayBuffer) => boolean,
    private readonly timeoutMs = 15_000,
  ) {}

  /** Random per instance, so tabs sharing one connection (each sees every ack) never take each other's answers. */
  private readonly refPrefix = newKey().slice(0, 6);

  nextRef(): string {
    this.counter++;
    return `${this.refPrefix}-${Date.now().toString(36)}-${this.counter}`;
  }

  get size(): number {
    return this.pending.size;
  }

  submit(ref: string, frame: ClientFrame | ArrayBuffer, canWriteNow: boolean): Promise<AckFrame> {
    return new Promise<AckFrame>((resolve, reject) => {
      const entry: PendingSend = { ref, frame, written: false, resolve, reject, timer: undefined };
      this.pending.set(ref, entry);
      if (canWriteNow) {
        this.writeEntry(entry);
      }
    });
  }

  /** On open: writes what waits (queued, or written on a connection that dropped) in the order it was made. */
  flush(): void {
    for (const entry of this.pending.values()) {
      if (!entry.written && !this.writeEntry(entry)) {
        return;
      }
    }
  }

  private writeEntry(entry: PendingSend): boolean {
    entry.written = this.write(entry.frame);
    if (entry.written) {
      entry.timer = setTimeout(() => {
        this.settle(entry.ref)?.reject(new SendError("timeout", `no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    }
    return entry.written;
  }

  onAck(ack: AckFrame): boolean {
    const entry = this.settle(ack.ref);
    entry?.resolve(ack);
    return entry !== undefined;
  }

  onError(error: ErrorFrame): boolean {
    const entry = error.ref === undefined ? undefined : this.settle(error.ref);
    entry?.reject(new SendError(error.code, error.message || error.code));
    return entry !== undefined;
  }

  /**
   * One frame never reached a socket (the leader tab sharing its connection could not write it): it waits, like the
   * frames of a dropped connection, and is written on the next open one. Its state change carries the flush.
   */
  unwritten(ref: string): void {
    const entry = this.pending.get(ref);
    if (entry) {
      entry.written = false;
      clearTimeout(entry.timer);
      entry.timer = undefined;
    }
  }

  /** The connection dropped: what it carried unanswered is written again on the next one, with the same key. */
  connectionLost(): void {
    for (const entry of this.pending.values()) {
      entry.written = false;
      clearTimeout(entry.timer);
      entry.timer = undefined;
    }
  }

  rejectAll(reason: string): void {
    for (const ref of [...this.pending.keys()]) {
      this.settle(ref)?.reject(new SendError("closed", reason));
    }
  }

  private settle(ref: string): PendingSend | undefined {
    const entry = this.pending.get(ref);
    if (entry) {
      clearTimeout(entry.timer);
      this.pending.delete(ref);
    }
    return entry;
  }
}
