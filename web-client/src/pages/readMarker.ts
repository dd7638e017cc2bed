import type { ChatMessage } from "../protocol.js";

/** What the marker needs of the client: who I am, and the best-effort `read` frame (false when it could not go). */
export interface ReadSink {
  readonly userId: string;
  markRead(id: string): boolean;
}

/** The newest message from one sender not yet marked read; `seq` is my stream's (absent: arrival order decides). */
interface Newest {
  id: string;
  seq: number | undefined;
}

/**
 * Sends `read` for messages addressed to me once the page is visible, coalesced: `read` is cumulative within the
 * conversation (docs/protocol.md, Client to server: it marks `id` and every earlier message from the same sender), so
 * at most one frame per sender per `delayMs` names the newest message from that sender, never one per message. A user
 * coming back to hundreds of unread messages sends one frame per conversation, far below the server's frame rate
 * limit (4029). Messages that arrive while the tab is hidden, or while disconnected, wait until both are fine again.
 */
export class ReadMarker {
  /** Per sender, the newest message seen and not yet marked read. */
  private readonly pending = new Map<string, Newest>();
  /** Per sender, the highest seq marked read: an older message arriving later (a replay, a history page) adds nothing. */
  private readonly marked = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: ReadSink, private readonly isVisible: () => boolean,
              private readonly delayMs = 250) {}

  /** A message shown on the page (live, replayed or from history); only messages to me from others count. */
  arrived(message: ChatMessage): void {
    if (message.broadcast || message.to !== this.client.userId || message.from === this.client.userId) {
      return;
    }
    const seq = message.seq;
    const marked = this.marked.get(message.from);
    if (seq !== undefined && marked !== undefined && seq <= marked) {
      return;
    }
    const known = this.pending.get(message.from);
    if (known?.seq !== undefined && seq !== undefined && seq < known.seq) {
      return;
    }
    this.pending.set(message.from, { id: message.id, seq });
    this.flush();
  }

  /** Sends what waits within `delayMs` (the page became visible, the connection opened); one timer at a time. */
  flush(): void {
    if (this.timer !== undefined || this.pending.size === 0) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, this.delayMs);
  }

  /** For when the page switches user. */
  dispose(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.pending.clear();
  }

  private send(): void {
    if (!this.isVisible()) {
      return;
    }
    for (const [from, newest] of [...this.pending]) {
      if (!this.client.markRead(newest.id)) {
        return; // disconnected: the next open flushes again
      }
      this.pending.delete(from);
      if (newest.seq !== undefined) {
        this.marked.set(from, Math.max(newest.seq, this.marked.get(from) ?? 0));
      }
    }
  }
}
