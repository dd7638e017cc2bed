import type { ClientError } from "../client.js";
import { describeClose, retryAfterMs } from "../closeCodes.js";
import type { CloseRecord, ConnectionState, StateChange } from "../connectionTypes.js";

/**
 * Every word the pages show that is not in their HTML: one place to read, reword or translate. Functions take what
 * they need and a `nowMs`, so they are pure and tested as such (test/pageText.test.ts).
 */
export const text = {
  enterUserId: "Enter your user id.",
  enterRecipient: "Enter a recipient in To.",
  connectFirst: "Connect first.",
  chooseFile: "Choose a file first.",
  needsToken: "This server needs a sign-in token: open the page with ?token=… from your app.",
  signedInAs: (id: string) => `Signed in as ${id}`,
  toWhom: (id: string) => `To ${id}`,
  loadOlder: "Load older messages",
  unread: (count: number) => (count === 1 ? "1 unread message" : `${count} unread messages`),
  youSaid: (body: string) => `You: ${body}`,
  conversations: "Conversations",
  noConversations: "No conversations yet. Write to someone in To.",
  backToList: "Conversations",
  edit: "Edit",
  delete: "Delete",
  editLabel: "Edit message",
  save: "Save",
  cancel: "Cancel",
  edited: "edited",
  messageDeleted: "Message deleted",
  editFailed: (why: string) => `Could not change the message: ${why}`,
  block: (id: string) => `Block ${id}`,
  unblock: (id: string) => `Unblock ${id}`,
  blockFailed: (why: string) => `Could not change the block: ${why}`,
  historyFailed: (why: string) => `Could not load the conversation: ${why}`,
  offlineHeadline: "You are offline. Messages you send wait and go out when the connection is back.",
  retryNow: "Retry now",
  never: "never",
  none: "none",
  stale: "stale",
  today: "Today",
  yesterday: "Yesterday",
  file: "file",
  notSent: "Not sent",
  attachFile: "Attach file",
  serverUnreachable: "server unreachable",
  waitingForToken: "waiting for a sign-in token",
} as const;

/** The words a user reads for each connection state, without the countdown. */
export function statusText(state: ConnectionState): string {
  switch (state) {
    case "connecting":
      return "Connecting…";
    case "open":
      return "Connected";
    case "reconnecting":
      return "Reconnecting…";
    case "closed":
      return "Disconnected";
  }
}

/** Whole seconds left until `atMs`, never below 0 (rounded up: "in 1 s" until the moment itself). */
export function secondsUntil(atMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((atMs - nowMs) / 1000));
}

/** The status pill, and its accessible name: the state in words, with the countdown while a retry waits. */
export function statusWords(state: ConnectionState, nextAttemptAt: number | undefined, nowMs: number): string {
  if (state === "reconnecting" && nextAttemptAt !== undefined) {
    return `Reconnecting in ${secondsUntil(nextAttemptAt, nowMs)} s`;
  }
  return statusText(state);
}

/** The pill's tooltip: why it is in this state, in words (never a protocol word like "welcome"). */
export function statusDetail(state: ConnectionState, last: StateChange | undefined, nextAttemptAt: number | undefined,
                             nowMs: number): string {
  if (state === "open") {
    return "Connected: messages arrive as they are sent";
  }
  const why = last?.code !== undefined
    ? `closed ${last.code}: ${last.reason || describeClose(last.code)}`
    : last?.cause ?? "";
  if (state === "reconnecting") {
    const when = nextAttemptAt === undefined ? "trying now" : `next attempt in ${secondsUntil(nextAttemptAt, nowMs)} s`;
    return why === "" ? when : `${why}; ${when}`;
  }
  return why;
}

/** The offline banner's countdown line. */
export function offlineCountdown(nextAttemptAt: number | undefined, nowMs: number): string {
  return nextAttemptAt === undefined
    ? "Trying to connect now…"
    : `Next attempt in ${secondsUntil(nextAttemptAt, nowMs)} s.`;
}

/** The panel's "Next attempt" line. */
export function nextAttemptText(state: ConnectionState, nextAttemptAt: number | undefined, nowMs: number): string {
  switch (state) {
    case "open":
      return "none: connected";
    case "closed":
      return "none: stopped";
    case "connecting":
      return "now: connecting";
    case "reconnecting":
      return nextAttemptAt === undefined ? "now: attempt in flight" : `in ${secondsUntil(nextAttemptAt, nowMs)} s`;
  }
}

/** Whether a close carried the server's reconnect hint (`retry-after-ms=N` in its reason). */
export function hasRetryHint(record: CloseRecord | undefined): boolean {
  return record !== undefined && !record.byClient && retryAfterMs(record.reason) > 0;
}

/** The latest reconnect hint the server gave, with the close that carried it and when. */
export function retryHintText(record: CloseRecord | undefined): string {
  if (!record || !hasRetryHint(record)) {
    return text.none;
  }
  const at = new Date(record.at).toLocaleTimeString("en-GB");
  return `wait at least ${durationText(retryAfterMs(record.reason))} (from close ${record.code} at ${at})`;
}

export function typingText(names: readonly string[]): string {
  if (names.length === 0) {
    return "";
  }
  if (names.length === 1) {
    return `${names[0]} is typing…`;
  }
  if (names.length === 2) {
    return `${names[0]} and ${names[1]} are typing…`;
  }
  return `${names[0]}, ${names[1]} and ${names.length - 2} more are typing…`;
}

export function agoText(thenMs: number | undefined, nowMs: number): string {
  if (thenMs === undefined) {
    return text.never;
  }
  const seconds = Math.max(0, Math.floor((nowMs - thenMs) / 1000));
  return seconds < 120 ? `${seconds} s ago` : `${Math.floor(seconds / 60)} min ago`;
}

/** The age of the stats: "updated 3 s ago", or marked stale in words once they stopped coming. */
export function statsAgeText(updatedAt: number | undefined, stale: boolean, problem: string, nowMs: number): string {
  if (updatedAt === undefined) {
    return problem === "" ? "not loaded yet" : `unavailable (${problem})`;
  }
  const age = `updated ${agoText(updatedAt, nowMs)}`;
  return stale ? `${text.stale}: ${age}${problem === "" ? "" : ` (${problem})`}` : age;
}

export function closeText(record: CloseRecord | undefined): string {
  if (!record) {
    return text.none;
  }
  const reason = record.reason || "no reason given";
  return record.byClient ? `closed by this client: ${reason}` : `${record.code} ${reason}`;
}

/** Why the client stopped, for the error area. */
export function stoppedText(error: ClientError): string {
  return `Stopped: ${error.message} (${error.code})`;
}

export function sizeText(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }
  const kib = bytes / 1024;
  return kib < 1024 ? `${kib.toFixed(1)} KB` : `${(kib / 1024).toFixed(1)} MB`;
}

/** A duration for people: "45 s", "2 min 5 s", "2 h 5 min", "3 d 4 h"; below a second, "0.3 s". */
export function durationText(ms: number): string {
  if (ms < 1000) {
    return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  }
  const s = Math.floor(ms / 1000);
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
  if (d > 0) {
    return `${d} d ${h} h`;
  }
  if (h > 0) {
    return `${h} h ${m} min`;
  }
  return m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

/** One `/api/stats` field as people read it: durations and byte counts in units, counts grouped. */
export function statValueText(field: string, value: unknown): string {
  if (typeof value === "number") {
    if (/Ms$/.test(field)) {
      return durationText(value);
    }
    if (/Bytes$/.test(field)) {
      return sizeText(value);
    }
    return value.toLocaleString("en");
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A stats field name as a label: "messagesIn" → "messages in", "uptimeMs" → "uptime", "tcp.open" → "tcp: open". */
export function statLabel(field: string): string {
  return field.replace(/(Ms|Bytes)$/, "").replace(/([a-z])([A-Z])/g, "$1 $2").replace(".", ": ").toLowerCase();
}

/** Refused before sending: the text frame would pass the server's limit (the server would close with 1009). */
export function textTooBigText(bytes: number, maxBytes: number): string {
  return `This message is ${sizeText(bytes)}, over the limit of ${sizeText(maxBytes)}. Shorten it, or send it as a file. Nothing was sent.`;
}

export function fileTooBigText(name: string, bytes: number, maxBytes: number): string {
  return `${name} is ${sizeText(bytes)}, over the limit of ${sizeText(maxBytes)} for files. Nothing was sent.`;
}

/** What the hidden text of a tick says (the mark itself is aria-hidden). */
export function tickWords(status: "sending" | "sent" | "delivered" | "read" | "failed"): string {
  switch (status) {
    case "sending":
      return "Sending";
    case "sent":
      return "Sent";
    case "delivered":
      return "Delivered";
    case "read":
      return "Read";
    case "failed":
      return text.notSent;
  }
}

/** A day separator: "Today", "Yesterday", or the date in words. */
export function dayText(day: Date, now: Date): string {
  const startOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((startOf(now) - startOf(day)) / 86_400_000);
  if (days === 0) {
    return text.today;
  }
  if (days === 1) {
    return text.yesterday;
  }
  return day.toLocaleDateString("en-GB", {
    weekday: "long", day: "numeric", month: "long", ...(day.getFullYear() === now.getFullYear() ? {} : { year: "numeric" }),
  });
}

/** A message's time as shown ("14:05") and in full for its tooltip. */
export function timeText(date: Date): { short: string; full: string } {
  return {
    short: date.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" }),
    full: date.toLocaleString("en-GB", { dateStyle: "full", timeStyle: "medium" }),
  };
}
