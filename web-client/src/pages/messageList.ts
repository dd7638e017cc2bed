import type { ChatMessage, ReceiptFrame, UpdateFrame } from "../protocol.js";
import { dayKey, separatorsBefore } from "./days.js";
import { element } from "./dom.js";
import { dayText, sizeText, text, tickWords, timeText } from "./labels.js";
import { readThrough } from "./readThrough.js";

/** What the Edit and Delete buttons on my own messages do (docs/protocol.md, Edit and delete). */
export interface MessageActions {
  edit(id: string, text: string): void;
  remove(id: string): void;
}

export type TickStatus = "sending" | "sent" | "delivered" | "read" | "failed";

const rank: Record<TickStatus, number> = { sending: 0, sent: 1, delivered: 2, read: 3, failed: -1 };
/** The marks differ in shape, not only in colour (read is a filled badge in style.css); screen readers get words. */
const tickMark: Record<TickStatus, string> = { sending: "◷", sent: "✓", delivered: "✓✓", read: "✓✓", failed: "!" };

export interface OwnMessage {
  to: string;
  channel: string;
  text?: string;
  file?: { name: string; size: number; contentType: string; url: string };
}

/** What the page shows for one of my messages until its ack, receipts or failure arrive. */
export interface OwnMessageView {
  /**
   * The server's ack. Its seq is the recipient's (docs/protocol.md, Conversations), not a place in this list, which
   * is ordered by this user's own stream: the bubble keeps no data-seq.
   */
  acked(id: string): void;
  failed(why: string): void;
}

/**
 * The `#messages` list: one `li.message` per message, a `li.day` separator where the day changes. Every piece of user
 * data is set with textContent or as an attribute value.
 */
export class MessageList {
  private readonly mine = new Map<string, HTMLElement>();
  /** Every message shown, by id: a sender copy or a replayed frame of one already shown is not drawn again. */
  private readonly shown = new Map<string, HTMLElement>();
  /** Receipts that overtook their ack or sender copy: applied once the message is shown with its id. */
  private readonly early = new Map<string, ReceiptFrame>();
  private readonly objectUrls: string[] = [];
  /** The day of the lowest message shown: a live message of another day gets a separator above it. */
  private lastShownDay: string | undefined;
  /** The person whose conversation is shown; "" shows every message. */
  private only = "";

  constructor(private readonly list: HTMLElement, private readonly me: string,
              private readonly actions?: MessageActions) {}

  /**
   * A `message` frame. My own messages come back as sender copies with the id of their ack (docs/protocol.md,
   * Conversations): one this page sent is already drawn and is skipped; one sent from my other devices or tabs is
   * drawn as mine, with a tick that receipts advance.
   */
  addIncoming(message: ChatMessage): void {
    if (!message.broadcast && this.shown.has(message.id)) {
      return;
    }
    const item = this.render(message);
    const later = message.seq === undefined ? undefined : this.firstAfter(message.seq);
    if (later) {
      // Older than something already shown: a replay that comes in after the conversation's newest page was drawn.
      later.before(item);
      this.layoutDays();
    } else {
      this.append(item, parseDate(message.sentAt));
    }
    this.applyEarly(message.id);
  }

  /**
   * The first message shown with a seq above `seq`, or undefined when none is (the usual case, checked first from the
   * bottom). Every entry of this list is from one stream (this user's: messages received and sender copies), so seq
   * order is the order the conversation happened in.
   */
  private firstAfter(seq: number): HTMLElement | undefined {
    const items = [...this.list.querySelectorAll<HTMLElement>(":scope > li.message[data-seq]")];
    if (Number(items.at(-1)?.dataset.seq ?? 0) <= seq) {
      return undefined;
    }
    return items.find((item) => Number(item.dataset.seq) > seq);
  }

  /**
   * Older messages of a conversation (a history page, oldest first) put above what is shown, each before the first
   * message with a higher seq (so a page never lands below a later message, whatever arrived first); those already
   * shown (a replay got there first) are skipped. Returns how many were added.
   */
  prepend(messages: readonly ChatMessage[]): number {
    const fresh = messages.filter((message) => !this.shown.has(message.id));
    const block = document.createDocumentFragment();
    let anchor: HTMLElement | undefined;
    // Before the first later message; with none shown, below everything (a newest page opened after older replays).
    const flush = () => {
      if (anchor) {
        anchor.before(block);
      } else {
        this.list.append(block);
      }
    };
    for (const message of fresh) {
      const next = message.seq === undefined ? anchor : this.firstAfter(message.seq);
      if (next !== anchor) {
        flush();
        anchor = next;
      }
      block.append(this.render(message));
    }
    flush();
    this.layoutDays();
    fresh.forEach((message) => this.applyEarly(message.id));
    return fresh.length;
  }

  /**
   * Puts the day separators where the messages shown now need them (days.ts): after a page of history went on top,
   * or another conversation was chosen, or a message left. Rows of hidden conversations get none.
   */
  private layoutDays(): void {
    this.list.querySelectorAll(":scope > li.day").forEach((separator) => separator.remove());
    const items = [...this.list.querySelectorAll<HTMLElement>(":scope > li.message")];
    const rows = items.map((item) => ({ day: item.dataset.day, hidden: item.hidden !== false }));
    for (const index of separatorsBefore(rows)) {
      const item = items[index];
      const day = item?.dataset.day;
      if (item && day) {
        item.before(daySeparator(day));
      }
    }
    this.lastShownDay = [...rows].reverse().find((row) => !row.hidden && row.day !== undefined)?.day;
  }

  /**
   * One message as a list item. My own messages (sender copies, docs/protocol.md Conversations, or history) are
   * drawn on my side with a tick that receipts advance; this page's own sends are skipped before this by their id.
   */
  private render(message: ChatMessage): HTMLLIElement {
    const mine = message.from === this.me && !message.broadcast;
    const classes = `message${mine ? " mine" : ""}${message.file ? " file" : ""}`;
    const item = this.item(classes, message.from, message.channel);
    item.dataset.id = message.id;
    if (message.seq !== undefined) {
      item.dataset.seq = String(message.seq);
    }
    if (message.broadcast) {
      item.classList.add("broadcast");
    } else {
      this.shown.set(message.id, item);
    }
    if (mine) {
      item.dataset.to = message.to;
    }
    if (!message.broadcast) {
      this.belongsTo(item, mine ? message.to : message.from);
    }
    const sent = parseDate(message.sentAt);
    if (sent) {
      item.dataset.day = dayKey(sent);
    }
    item.append(this.meta(mine ? text.toWhom(message.to) : message.from, message.channel, sent));
    if (message.file) {
      const file = message.file;
      const url = file.bytes ? this.objectUrl(file.bytes, file.contentType) : undefined;
      item.append(this.fileBody(file.name, file.size, file.contentType, url));
    } else if (message.deleted) {
      item.append(deletedBody());
    } else {
      const body = message.text ?? (message.data === undefined ? "" : JSON.stringify(message.data));
      item.append(element("span", "body", body));
    }
    if (message.edited && !message.deleted) {
      markEdited(item);
    }
    if (mine) {
      const tick = element("span", "tick");
      item.append(tick);
      setTick(tick, "sent");
      this.mine.set(message.id, tick);
      if (!message.deleted && !message.file && message.text !== undefined) {
        this.addActions(item, message.id);
      }
    }
    return item;
  }

  addMine(message: OwnMessage): OwnMessageView {
    const item = this.item(message.file ? "message mine file" : "message mine", this.me, message.channel);
    item.dataset.to = message.to;
    this.belongsTo(item, message.to);
    const now = new Date();
    item.dataset.day = dayKey(now);
    item.append(this.meta(text.toWhom(message.to), message.channel, now));
    item.append(message.file
      ? this.fileBody(message.file.name, message.file.size, message.file.contentType, message.file.url)
      : element("span", "body", message.text ?? ""));
    const tick = element("span", "tick");
    item.append(tick);
    setTick(tick, "sending");
    this.append(item, now);
    return {
      acked: (id) => {
        const copy = this.shown.get(id);
        if (copy && copy !== item) {
          // The sender copy overtook the ack and is drawn already: keep it, drop this bubble.
          item.remove();
          this.layoutDays();
          const copyTick = copy.querySelector<HTMLElement>(".tick");
          if (copyTick) {
            advance(copyTick, "sent");
          }
          return;
        }
        this.shown.set(id, item);
        item.dataset.id = id;
        if (message.text !== undefined && !message.file) {
          this.addActions(item, id);
        }
        this.mine.set(id, tick);
        advance(tick, "sent");
        this.applyEarly(id);
      },
      failed: (why) => setTick(tick, "failed", why),
    };
  }

  /** An `update` frame: the message shows its latest version, "edited" or "Message deleted", on every page. */
  applyUpdate(update: UpdateFrame): void {
    const item = this.shown.get(update.id);
    if (!item || item.dataset.deleted === "true") {
      return;
    }
    if (update.action === "delete") {
      item.dataset.deleted = "true";
      item.querySelector(".body")?.replaceWith(deletedBody());
      item.querySelector(".actions")?.remove();
      item.querySelector(".edited")?.remove();
      item.querySelector(".preview")?.remove();
      return;
    }
    const body = item.querySelector(".body");
    if (body && update.text !== undefined) {
      body.textContent = update.text;
    }
    markEdited(item);
  }

  /** Edit and Delete buttons on one of my text messages; Edit swaps the text for a field with Save and Cancel. */
  private addActions(item: HTMLElement, id: string): void {
    if (!this.actions || item.querySelector(".actions")) {
      return;
    }
    const actions = this.actions;
    const bar = element("span", "actions");
    const edit = element("button", "edit", text.edit);
    edit.type = "button";
    const remove = element("button", "delete", text.delete);
    remove.type = "button";
    edit.addEventListener("click", () => {
      const body = item.querySelector<HTMLElement>(".body");
      if (!body || item.querySelector(".edit-form")) {
        return;
      }
      const form = element("form", "edit-form");
      const label = element("label", "visually-hidden", text.editLabel);
      const field = element("input", "edit-text");
      field.id = `edit-${id}`;
      label.htmlFor = field.id;
      field.value = body.textContent ?? "";
      const save = element("button", "", text.save);
      save.type = "submit";
      const cancel = element("button", "", text.cancel);
      cancel.type = "button";
      form.append(label, field, save, cancel);
      const close = () => {
        form.remove();
        body.hidden = false;
        edit.focus();
      };
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        if (field.value !== body.textContent && field.value.trim() !== "") {
          actions.edit(id, field.value);
        }
        close();
      });
      cancel.addEventListener("click", close);
      form.addEventListener("keydown", (event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          close();
        }
      });
      body.hidden = true;
      body.after(form);
      field.focus();
    });
    remove.addEventListener("click", () => actions.remove(id));
    bar.append(edit, remove);
    item.append(bar);
  }

  /**
   * Opens the editor on my newest editable message shown (the Up key in an empty composer, as in most chat apps);
   * false when there is none.
   */
  editLast(): boolean {
    const edits = [...this.list.querySelectorAll<HTMLButtonElement>(".message.mine .actions .edit")]
      .filter((button) => !button.closest<HTMLElement>(".message")?.hidden);
    const last = edits.at(-1);
    last?.click();
    return last !== undefined;
  }

  /** Shows only the conversation with `other` ("" = every message); the others stay, hidden, for when they are chosen. */
  showOnly(other: string): void {
    this.only = other;
    for (const item of this.list.querySelectorAll<HTMLElement>(".message[data-with]")) {
      item.hidden = other !== "" && item.dataset.with !== other;
    }
    this.layoutDays();
  }

  private belongsTo(item: HTMLElement, other: string): void {
    item.dataset.with = other;
    item.hidden = this.only !== "" && other !== this.only;
  }

  /**
   * A `receipt` frame. `read` is cumulative (docs/protocol.md, Client to server): the message named and every earlier
   * one of mine to the same person show as read, ticks and screen-reader words. A receipt for a message not shown yet
   * waits for it (an ack or sender copy it overtook).
   */
  applyReceipt(receipt: ReceiptFrame): void {
    const tick = this.mine.get(receipt.id);
    if (!tick) {
      const known = this.early.get(receipt.id);
      if (!known || rank[receipt.status] > rank[known.status]) {
        this.early.set(receipt.id, receipt);
      }
      return;
    }
    if (receipt.status !== "read") {
      advance(tick, receipt.status);
      return;
    }
    const mine = [...this.list.querySelectorAll<HTMLElement>(":scope > li.message.mine")]
      .filter((item) => item.dataset.with === receipt.by)
      .map((item) => ({ id: item.dataset.id, item }));
    const covered = readThrough(mine, receipt.id);
    if (covered.length === 0) {
      advance(tick, "read"); // drawn outside the list's order (cannot happen today): at least the one named
    }
    for (const entry of covered) {
      const coveredTick = entry.id === undefined ? undefined : this.mine.get(entry.id);
      if (coveredTick) {
        advance(coveredTick, "read");
      }
    }
  }

  /** A receipt that came before the message `id` was shown with its id, applied now that it is. */
  private applyEarly(id: string): void {
    const early = this.early.get(id);
    if (early) {
      this.early.delete(id);
      this.applyReceipt(early);
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

  private meta(who: string, channel: string, sent: Date | undefined): HTMLElement {
    const meta = element("span", "meta");
    meta.append(element("span", "from", who));
    if (sent) {
      const shown = timeText(sent);
      const time = element("time", "", shown.short);
      time.dateTime = sent.toISOString();
      time.title = shown.full;
      meta.append(" ", time);
    }
    if (channel !== "chat") {
      meta.append(" ", element("span", "channel", `#${channel}`));
    }
    return meta;
  }

  private fileBody(name: string, size: number, contentType: string, url: string | undefined): HTMLElement {
    const body = element("span", "body");
    if (url && contentType.startsWith("image/")) {
      const preview = element("img", "preview");
      preview.src = url;
      preview.alt = name;
      preview.decoding = "async";
      body.append(preview);
    }
    if (url) {
      const link = element("a", "file-link", name);
      link.href = url;
      link.download = name;
      body.append(link);
    } else {
      body.append(element("span", "file-name", name || text.file));
    }
    body.append(" ", element("span", "size", `(${sizeText(size)})`));
    return body;
  }

  /**
   * Adds a day separator above a shown message when its day differs from the lowest one shown (a message of a hidden
   * conversation gets its separator when that conversation is chosen), and follows new messages only if the reader
   * was already at the bottom (not while they scroll back).
   */
  private append(item: HTMLElement, at: Date | undefined): void {
    const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
    if (at && item.hidden === false && dayKey(at) !== this.lastShownDay) {
      this.lastShownDay = dayKey(at);
      this.list.append(daySeparator(this.lastShownDay));
    }
    this.list.append(item);
    if (atBottom) {
      this.list.scrollTop = this.list.scrollHeight;
    }
  }
}

const tickStatus = new WeakMap<HTMLElement, TickStatus>();

function setTick(tick: HTMLElement, status: TickStatus, why = ""): void {
  tickStatus.set(tick, status);
  tick.dataset.status = status;
  const words = why === "" ? tickWords(status) : `${tickWords(status)}: ${why}`;
  const mark = element("span", "tick-mark", tickMark[status]);
  mark.setAttribute("aria-hidden", "true");
  const spoken = element("span", status === "failed" ? "tick-words" : "visually-hidden", words);
  tick.replaceChildren(mark, spoken);
  tick.title = words;
}

/** Receipts can arrive late or twice: a tick never goes back (read stays read). */
function advance(tick: HTMLElement, status: TickStatus): void {
  const current = tickStatus.get(tick);
  if (current === undefined || current === "failed" || rank[status] > rank[current]) {
    setTick(tick, status);
  }
}

function deletedBody(): HTMLElement {
  return element("span", "body deleted", text.messageDeleted);
}

function markEdited(item: HTMLElement): void {
  if (!item.querySelector(".edited")) {
    item.querySelector(".meta")?.append(" ", element("span", "edited", text.edited));
  }
}

/** The separator of a day (`YYYY-MM-DD`, local): "Today", "Yesterday", "Friday 27 November". */
function daySeparator(day: string): HTMLLIElement {
  const [year, month, date] = day.split("-").map(Number);
  const separator = element("li", "day");
  const label = element("time", "", dayText(new Date(year ?? 0, (month ?? 1) - 1, date ?? 1), new Date()));
  label.dateTime = day;
  separator.append(label);
  return separator;
}

function parseDate(iso: string): Date | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
