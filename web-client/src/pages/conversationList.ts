import { applyUpdate, type ChatMessage, type UpdateFrame } from "../protocol.js";
import type { ConversationSummary } from "../conversations.js";
import { element } from "./dom.js";
import { text as words } from "./labels.js";

/**
 * The conversation list (`#conversation-list`): one button per person, most recent activity first, with the last
 * message (in its latest version: edited text, or "Message deleted") and an unread badge; loaded from the server,
 * then kept fresh from live `message` and `update` frames.
 */
export class ConversationList {
  private entries: ConversationSummary[] = [];
  private current = "";
  /**
   * The latest update seen per message id: a list read from the server before an edit or delete, but answered after
   * it, would otherwise bring the old text back. `applyUpdate` ignores an edit older than the version it is given.
   */
  private readonly updates = new Map<string, UpdateFrame>();

  constructor(
    private readonly list: HTMLElement,
    private readonly me: string,
    private readonly onOpen: (other: string) => void,
  ) {
    // Arrow keys, Home and End move between the people (Tab leaves the list); Enter or Space opens one.
    list.addEventListener("keydown", (event) => {
      const buttons = [...list.querySelectorAll<HTMLButtonElement>("button.conversation-open")];
      const at = buttons.findIndex((button) => button === document.activeElement);
      const next = at < 0 ? -1 : ({ ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: buttons.length - 1 } as
        Record<string, number | undefined>)[event.key];
      const target = next === undefined || next < 0 ? undefined : buttons[next];
      if (target) {
        event.preventDefault();
        target.focus();
      }
    });
  }

  /** The server's list; live messages already counted here are kept (the newer of the two wins). */
  load(entries: readonly ConversationSummary[]): void {
    const live = new Map(this.entries.map((entry) => [entry.with, entry]));
    this.entries = entries.map((entry) => {
      const seen = live.get(entry.with);
      const newer = seen?.last && entry.last && (seen.last.seq ?? 0) > (entry.last.seq ?? 0) ? seen : entry;
      const latest = newer.last ? { ...newer, last: this.latest(newer.last) } : newer;
      return entry.with === this.current ? { ...latest, unread: 0 } : latest;
    });
    for (const entry of live.values()) {
      if (!this.entries.some((known) => known.with === entry.with)) {
        this.entries.push(entry);
      }
    }
    this.entries.sort((a, b) => sentAt(b) - sentAt(a));
    this.render();
  }

  /** A live message (mine from any device, or someone's to me) moves its conversation to the top. */
  arrived(message: ChatMessage): void {
    if (message.broadcast) {
      return;
    }
    const other = message.from === this.me ? message.to : message.from;
    const known = this.entries.find((entry) => entry.with === other);
    const entry = known ?? { with: other, unread: 0, blocked: false };
    entry.last = this.latest(message);
    if (message.from !== this.me && other !== this.current) {
      entry.unread += 1;
    }
    this.entries = [entry, ...this.entries.filter((each) => each !== entry)];
    this.render();
  }

  /** An edit or delete of a conversation's last message shows in its line. */
  updated(update: UpdateFrame): void {
    const known = this.updates.get(update.id);
    if (!known || known.action !== "delete") {
      this.updates.delete(update.id); // re-inserted last: the map keeps the newest ids, and only so many
      this.updates.set(update.id, update);
      if (this.updates.size > rememberedUpdates) {
        this.updates.delete(this.updates.keys().next().value ?? "");
      }
    }
    const entry = this.entries.find((each) => each.last?.id === update.id);
    if (entry?.last) {
      entry.last = applyUpdate(entry.last, update);
      this.render();
    }
  }

  /** The message with the latest update this list saw applied (a delete stays a delete). */
  private latest(message: ChatMessage): ChatMessage {
    const update = this.updates.get(message.id);
    return update ? applyUpdate(message, update) : message;
  }

  /** Marks `other` as the open conversation (read: no badge). */
  select(other: string): void {
    this.current = other;
    const entry = this.entries.find((each) => each.with === other);
    if (entry) {
      entry.unread = 0;
    }
    this.render();
  }

  private render(): void {
    // Redrawn on every live message: whoever the keyboard focus was on keeps it, wherever their line moved.
    const focused = document.activeElement instanceof HTMLElement && this.list.contains(document.activeElement)
      ? document.activeElement.dataset.with : undefined;
    this.list.replaceChildren(...this.entries.map((entry) => {
      const item = element("li", "conversation");
      const button = element("button", "conversation-open");
      button.type = "button";
      button.dataset.with = entry.with;
      if (entry.with === this.current) {
        button.setAttribute("aria-current", "true");
      }
      const name = element("span", "conversation-with", entry.with);
      const last = element("span", "conversation-last", lastText(entry, this.me));
      button.append(name);
      if (entry.unread > 0) {
        const badge = element("span", "unread", String(entry.unread));
        badge.setAttribute("aria-hidden", "true");
        button.append(" ", badge, element("span", "visually-hidden", words.unread(entry.unread)));
      }
      button.append(last);
      button.addEventListener("click", () => this.onOpen(entry.with));
      item.append(button);
      return item;
    }));
    if (focused !== undefined) {
      this.list.querySelector<HTMLButtonElement>(`button[data-with="${CSS.escape(focused)}"]`)?.focus();
    }
  }
}

/** Updates remembered for lists read later: far more than a screen of conversations' last messages. */
const rememberedUpdates = 500;

function lastText(entry: ConversationSummary, me: string): string {
  const last = entry.last;
  if (!last) {
    return "";
  }
  const body = last.deleted ? words.messageDeleted : last.file ? last.file.name : last.text ?? "";
  return last.from === me ? words.youSaid(body) : body;
}

function sentAt(entry: ConversationSummary): number {
  const at = entry.last ? Date.parse(entry.last.sentAt) : 0;
  return Number.isNaN(at) ? 0 : at;
}
