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
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Sends waiting for their `ack`, matched by `ref`.
 *
 * Across reconnects: a send made while not connected waits here and is written, in order, when the next
 * connection opens. A send that was written but not acked when its connection dropped is rejected with
 * `connection-lost` and NOT written again: the server may have stored it before the drop, and the protocol
 * has no idempotency key, so resending could deliver it twice. The caller shows it as unconfirmed and the
 * user decides. Every send is also rejected after `timeoutMs` (queued ones are then never written).
 */
export class PendingSends {
  private readonly pending = new Map<string, PendingSend>();
  private counter = 0;

  constructor(
    private readonly write: (frame: ClientFrame | ArrayBuffer) => boolean,
    private readonly timeoutMs = 15_000,
  ) {}

  nextRef(): string {
    this.counter++;
    return `${Date.now().toString(36)}-${this.counter}`;
  }

  get size(): number {
    return this.pending.size;
  }

  submit(ref: string, frame: ClientFrame | ArrayBuffer, canWriteNow: boolean): Promise<AckFrame> {
    return new Promise<AckFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(ref)?.reject(new SendError("timeout", `no ack within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const entry: PendingSend = { ref, frame, written: false, resolve, reject, timer };
      this.pending.set(ref, entry);
      if (canWriteNow) {
        entry.written = this.write(frame);
      }
    });
  }

  /** On open: writes the queued sends in the order they were made. */
  flush(): void {
    for (const entry of this.pending.values()) {
      if (!entry.written) {
        entry.written = this.write(entry.frame);
        if (!entry.written) {
          return;
        }
      }
    }
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

  connectionLost(): void {
    for (const entry of [...this.pending.values()]) {
      if (entry.written) {
        this.settle(entry.ref)?.reject(new SendError("connection-lost", "connection lost before the server confirmed"));
      }
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
