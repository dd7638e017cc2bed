import type { ChatMessage, ReceiptFrame } from "../protocol.js";
import { element } from "./dom.js";
import { sizeText } from "./labels.js";

export type TickStatus = "sending" | "sent" | "delivered" | "read" | "failed";

const rank: Record<TickStatus, number> = { sending: 0, sent: 1, delivered: 2, read: 3, failed: -1 };
const tickMark: Record<TickStatus, string> = { sending: "…", sent: "✓", delivered: "✓✓", read: "✓✓", failed: "!" };

export interface OwnMessage {
  to: string;
  channel: string;
  text?: string;
  file?: { name: string; size: number; url: string };
}

/** What the page shows for one of my messages until its ack, receipts or failure arrive. */
export interface OwnMessageView {
  acked(id: string, seq: number | undefined): void;
  failed(why: string): void;
}

/** The `#messages` list. Every piece of user data is set with textContent or as an attribute value. */
export class MessageList {
  private readonly mine = new Map<string, HTMLElement>();
  /** Receipts that overtook their ack: applied once the ack names the message. */
  private readonly early = new Map<string, TickStatus>();
  private readonly objectUrls: string[] = [];

  constructor(private readonly list: HTMLElement, private readonly me: string) {}

  addIncoming(message: ChatMessage): void {
    const item = this.item(message.file ? "message file" : "message", message.from, message.channel);
    item.dataset.id = message.id;
    if (message.seq !== undefined) {
      item.dataset.seq = String(message.seq);
    }
    if (message.broadcast) {
      item.classList.add("broadcast");
    }
    item.append(this.meta(message.from, message.channel, message.sentAt));
    if (message.file) {
      const url = message.file.bytes ? this.objectUrl(message.file.bytes, message.file.contentType) : undefined;
      item.append(this.fileBody(message.file.name, message.file.size, url));
    } else {
      const text = message.text ?? (message.data === undefined ? "" : JSON.stringify(message.data));
      item.append(element("span", "body", text));
    }
    this.append(item);
  }

  addMine(message: OwnMessage): OwnMessageView {
    const item = this.item(message.file ? "message mine file" : "message mine", this.me, message.channel);
    item.dataset.to = message.to;
    item.append(this.meta(`to ${message.to}`, message.channel, new Date().toISOString()));
    item.append(message.file
      ? this.fileBody(message.file.name, message.file.size, message.file.url)
      : element("span", "body", message.text ?? ""));
    const tick = element("span", "tick");
    item.append(tick);
    setTick(tick, "sending");
    this.append(item);
    return {
      acked: (id, seq) => {
        item.dataset.id = id;
        if (seq !== undefined) {
          item.dataset.seq = String(seq);
        }
        this.mine.set(id, tick);
        advance(tick, "sent");
        const early = this.early.get(id);
        if (early) {
          this.early.delete(id);
          advance(tick, early);
        }
      },
      failed: (why) => {
        setTick(tick, "failed");
        tick.title = why;
      },
    };
  }

  applyReceipt(receipt: ReceiptFrame): void {
    const tick = this.mine.get(receipt.id);
    if (tick) {
      advance(tick, receipt.status);
    } else {
      this.early.set(receipt.id, receipt.status);
    }
  }

  /** Frees the downloads' memory when the page switches user. */
  dispose(): void {
    this.objectUrls.forEach((url) => URL.revokeObjectURL(url));
  }

  objectUrl(bytes: Uint8Array, contentType: string): string {
    const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: contentType }));
    this.objectUrls.push(url);
    return url;
  }

  private item(className: string, from: string, channel: string): HTMLLIElement {
    const item = element("li", className);
    item.dataset.from = from;
    item.dataset.channel = channel;
    return item;
  }

  private meta(who: string, channel: string, sentAt: string): HTMLElement {
    const meta = element("span", "meta");
    meta.append(element("span", "from", who));
    const time = element("time", "", formatTime(sentAt));
    time.dateTime = sentAt;
    meta.append(" ", time);
    if (channel !== "chat") {
      meta.append(" ", element("span", "channel", `#${channel}`));
    }
    return meta;
  }

  private fileBody(name: string, size: number, url: string | undefined): HTMLElement {
    const body = element("span", "body");
    if (url) {
      const link = element("a", "file-link", name);
      link.href = url;
      link.download = name;
      body.append(link);
    } else {
      body.append(element("span", "file-name", name));
    }
    body.append(" ", element("span", "size", `(${sizeText(size)})`));
    return body;
  }

  /** Follows new messages only if the reader was already at the bottom (not while they scroll back). */
  private append(item: HTMLElement): void {
    const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
    this.list.append(item);
    if (atBottom) {
      this.list.scrollTop = this.list.scrollHeight;
    }
  }
}

const tickStatus = new WeakMap<HTMLElement, TickStatus>();

function setTick(tick: HTMLElement, status: TickStatus): void {
  tickStatus.set(tick, status);
  tick.dataset.status = status;
  tick.textContent = tickMark[status];
  tick.title = status;
}

/** Receipts can arrive late or twice: a tick never goes back (read stays read). */
function advance(tick: HTMLElement, status: TickStatus): void {
  const current = tickStatus.get(tick);
  if (current === undefined || current === "failed" || rank[status] > rank[current]) {
    setTick(tick, status);
  }
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}
