import type { HistoryQuery, ConversationPage } from "./conversations.js";
import type { Listener } from "./emitter.js";
import { type AckFrame, type ChatMessage, type UpdateFrame, applyUpdate } from "./protocol.js";

/** A send of this view not yet matched with its message: shown as the local echo until its sender copy arrives. */
export interface PendingMessage {
  /** This view's own number for it (stable while it is shown). */
  localId: number;
  text?: string;
  data?: unknown;
  status: "sending" | "failed";
  /** The server's id, once the ack came. */
  id?: string;
  /** Why it failed: the `SendError`'s code (`blocked`, `idempotency_key_reused`, `timeout`, ...). */
  errorCode?: string;
}

/** What the view needs of the client (MatchbookClient has all of it). */
export interface ConversationSource {
  readonly userId: string;
  on(name: "message", listener: Listener<ChatMessage>): () => void;
  on(name: "update", listener: Listener<UpdateFrame>): () => void;
  send(to: string, content: string | { text?: string; data?: unknown }): Promise<AckFrame>;
  history(other: string, query?: HistoryQuery): Promise<ConversationPage>;
}

/**
 * What a chat screen shows of one conversation (docs/protocol.md 1.1, "Conversations"): the messages of this user and
 * `with`, each once, in its latest version, in seq order; older pages on demand (`loadOlder`); new messages of both
 * people as they arrive (this user's own as sender copies, from any tab or device) and updates applied in place (a
 * delete leaves the message as `deleted`, without content, as the server's history shows it).
 *
 * Sends made through `send` show at once as `pending()` echoes; an echo disappears when the message with its ack's
 * id is held, whichever of the ack and the sender copy comes first, so a message is never shown twice.
 */
export class ConversationView {
  private readonly byId = new Map<string, ChatMessage>();
  private readonly updates = new Map<string, UpdateFrame>();
  private readonly echoes: PendingMessage[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: (() => void)[];
  private oldest: number | undefined;
  private moreOlder = true;
  private counter = 0;

  /** The other person. */
  readonly with: string;

  constructor(private readonly client: ConversationSource, other: string) {
    this.with = other;
    this.unsubscribe = [
      client.on("message", (message) => this.onMessage(message)),
      client.on("update", (update) => this.onUpdate(update)),
    ];
  }

  /** Held messages, oldest first by seq. */
  messages(): ChatMessage[] {
    return [...this.byId.values()].sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity));
  }

  /** Sends of this view whose message is not held yet (sending, or failed), in the order they were made. */
  pending(): PendingMessage[] {
    return this.echoes.map((echo) => ({ ...echo }));
  }

  /** Whether the server retains older messages than the oldest held (true until a page says otherwise). */
  get hasMore(): boolean { return this.moreOlder; }

  /** Runs after every change of `messages()` or `pending()`. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Loads the page before the oldest held message (the newest page the first time) and merges it. */
  async loadOlder(limit?: number): Promise<ConversationPage> {
    const page = await this.client.history(this.with, {
      ...(this.oldest === undefined ? {} : { before: this.oldest }),
      ...(limit === undefined ? {} : { limit }),
    });
    for (const message of page.messages) {
      this.put(message);
      if (message.seq !== undefined) {
        this.oldest = Math.min(this.oldest ?? message.seq, message.seq);
      }
    }
    this.moreOlder = page.more && page.messages.length > 0;
    this.changed();
    return page;
  }

  /** Sends to `with` and shows it as pending until its message is held. Rejects as the client's send does. */
  send(content: string | { text?: string; data?: unknown }): Promise<AckFrame> {
    const body = typeof content === "string" ? { text: content } : content;
    const echo: PendingMessage = { localId: ++this.counter, ...body, status: "sending" };
    this.echoes.push(echo);
    this.changed();
    const sent = this.client.send(this.with, body);
    sent.then(
      (ack) => {
        echo.id = ack.id;
        if (this.byId.has(ack.id)) {
          this.dropEcho(echo);
        }
        this.changed();
      },
      (error: unknown) => {
        echo.status = "failed";
        echo.errorCode = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "failed";
        this.changed();
      },
    );
    return sent;
  }

  /** Forgets a failed echo (the user dismissed it). */
  dismiss(localId: number): void {
    const echo = this.echoes.find((e) => e.localId === localId && e.status === "failed");
    if (echo) {
      this.dropEcho(echo);
      this.changed();
    }
  }

  close(): void {
    this.unsubscribe.forEach((off) => off());
    this.listeners.clear();
  }

  private ours(message: ChatMessage): boolean {
    const self = this.client.userId;
    return !message.broadcast && ((message.from === self && message.to === this.with)
      || (message.from === this.with && message.to === self));
  }

  private onMessage(message: ChatMessage): void {
    if (!this.ours(message)) {
      return;
    }
    this.put(message);
    const echo = this.echoes.find((e) => e.id === message.id);
    if (echo) {
      this.dropEcho(echo);
    }
    this.changed();
  }

  private onUpdate(update: UpdateFrame): void {
    if (this.updates.get(update.id)?.action !== "delete") {
      this.updates.set(update.id, update);
    }
    const held = this.byId.get(update.id);
    if (held) {
      this.byId.set(update.id, applyUpdate(held, update));
      this.changed();
    }
  }

  /** A message seen again (a page overlapping live ones) keeps the later of the two versions. */
  private put(message: ChatMessage): void {
    const held = this.byId.get(message.id);
    const keep = held && later(held, message) ? held : message;
    const update = this.updates.get(message.id);
    this.byId.set(message.id, update ? applyUpdate(keep, update) : keep);
  }

  private dropEcho(echo: PendingMessage): void {
    const index = this.echoes.indexOf(echo);
    if (index >= 0) {
      this.echoes.splice(index, 1);
    }
  }

  private changed(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        console.error("conversation view listener failed", error);
      }
    }
  }
}

/** Deleted is final; otherwise the version edited last wins (an unedited one is the oldest). */
function later(a: ChatMessage, b: ChatMessage): boolean {
  if (a.deleted || b.deleted) {
    return a.deleted === true;
  }
  return a.editedAt !== undefined && (b.editedAt === undefined || a.editedAt >= b.editedAt);
}
