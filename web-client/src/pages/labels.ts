import type { ClientError } from "../client.js";
import type { CloseRecord, ConnectionState } from "../connectionTypes.js";

/** The words a user reads for each connection state. */
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
    return "never";
  }
  const seconds = Math.max(0, Math.floor((nowMs - thenMs) / 1000));
  return seconds < 120 ? `${seconds} s ago` : `${Math.floor(seconds / 60)} min ago`;
}

export function closeText(record: CloseRecord | undefined): string {
  if (!record) {
    return "none";
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
