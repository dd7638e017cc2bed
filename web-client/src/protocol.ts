import { type JsonRecord, isRecord, optNumber, optString, parseJsonRecord } from "./json.js";

/** Frames of docs/protocol.md ("Frames"), as this client reads them. Unknown fields are ignored. */

export interface FileAttachment {
  name: string;
  contentType: string;
  size: number;
  /** Absent only when a history entry came without (or with an unreadable) base64 `payload`. */
  bytes?: Uint8Array;
}

export interface ChatMessage {
  type: "message";
  id: string;
  /** Absent on broadcasts: they are live only, never numbered or stored. */
  seq?: number;
  channel: string;
  from: string;
  to: string;
  text?: string;
  data?: unknown;
  sentAt: string;
  broadcast: boolean;
  file?: FileAttachment;
  /** (1.1) Edited by its author since it was sent ("Edit and delete"); `editedAt` says when. */
  edited?: boolean;
  editedAt?: string;
  /** (1.1) Deleted by its author: `text`, `data` and `file` are gone. */
  deleted?: boolean;
}

export type UpdateAction = "edit" | "delete";

/**
 * (1.1) An earlier message was edited or deleted (docs/protocol.md, the `update` frame, "Edit and delete"). It has its
 * own `seq` in the user's stream, so it is ordered, deduplicated and confirmed like a message.
 */
export interface UpdateFrame {
  type: "update";
  seq: number;
  /** The message it changes. */
  id: string;
  action: UpdateAction;
  from: string;
  to: string;
  /** The new text and/or data of an edit. */
  text?: string;
  data?: unknown;
  at: string;
}

export interface ReplayInfo {
  from?: number;
  to?: number;
  complete: boolean;
}

export interface WelcomeFrame {
  type: "welcome";
  id: string;
  connectionId: string;
  heartbeatMs: number;
  /**
   * How long after a ping this server waits for an answer before it closes (this server's extra field; README
   * "Protocol in brief"). Absent when the server does not send it.
   */
  heartbeatTimeoutMs?: number;
  lastSeq?: number;
  replay?: ReplayInfo;
}

export interface AckFrame {
  type: "ack";
  ref: string;
  id: string;
  seq?: number;
}

export type ReceiptStatus = "delivered" | "read";

export interface ReceiptFrame {
  type: "receipt";
  id: string;
  status: ReceiptStatus;
  by: string;
  at: string;
}

export type TypingState = "start" | "stop";

export interface TypingFrame {
  type: "typing";
  from: string;
  state: TypingState;
}

export interface PingFrame {
  type: "ping";
}

export interface ErrorFrame {
  type: "error";
  code: string;
  message: string;
  ref?: string;
}

export type ServerFrame =
  | WelcomeFrame | ChatMessage | UpdateFrame | AckFrame | ReceiptFrame | TypingFrame | PingFrame | ErrorFrame;

/** What a user's stream holds, numbered by `seq`: messages and (1.1) updates. */
export type StreamEntry = ChatMessage | UpdateFrame;

export type ParseResult = { ok: true; frame: ServerFrame } | { ok: false; problem: string };

export type ClientFrame =
  | { type: "send"; ref: string; key: string; to: string; channel: string; text?: string; data?: unknown }
  | { type: "edit"; ref: string; id: string; text?: string; data?: unknown }
  | { type: "delete"; ref: string; id: string }
  | { type: "received"; seq: number }
  | { type: "read"; id: string }
  | { type: "typing"; to: string; state: TypingState }
  | { type: "subscribe"; channels: string[] }
  | { type: "auth"; token: string };

export function encodeFrame(frame: ClientFrame): string {
  return JSON.stringify(frame);
}

export function parseServerFrame(text: string): ParseResult {
  const record = parseJsonRecord(text);
  if (!record) {
    return { ok: false, problem: "not a JSON object" };
  }
  const frame = frameFromRecord(record);
  return frame ? { ok: true, frame } : { ok: false, problem: `unusable frame of type ${String(record.type)}` };
}

function frameFromRecord(r: JsonRecord): ServerFrame | undefined {
  switch (r.type) {
    case "welcome":
      return welcomeFrom(r);
    case "message":
      return messageFromRecord(r);
    case "update":
      return updateFromRecord(r);
    case "ack": {
      const ref = optString(r, "ref");
      const id = optString(r, "id");
      return ref !== undefined && id !== undefined ? { type: "ack", ref, id, seq: optNumber(r, "seq") } : undefined;
    }
    case "receipt": {
      const id = optString(r, "id");
      const status = r.status === "delivered" || r.status === "read" ? r.status : undefined;
      return id !== undefined && status
        ? { type: "receipt", id, status, by: optString(r, "by") ?? "", at: optString(r, "at") ?? "" }
        : undefined;
    }
    case "typing": {
      const from = optString(r, "from");
      const state = r.state === "start" || r.state === "stop" ? r.state : undefined;
      return from !== undefined && state ? { type: "typing", from, state } : undefined;
    }
    case "ping":
      return { type: "ping" };
    case "error":
      return {
        type: "error",
        code: optString(r, "code") ?? "unknown",
        message: optString(r, "message") ?? "",
        ref: optString(r, "ref"),
      };
    default:
      return undefined;
  }
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}

function welcomeFrom(r: JsonRecord): WelcomeFrame | undefined {
  const heartbeatMs = optNumber(r, "heartbeatMs");
  if (heartbeatMs === undefined || heartbeatMs <= 0) {
    return undefined;
  }
  const replay = isRecord(r.replay)
    ? { from: optNumber(r.replay, "from"), to: optNumber(r.replay, "to"), complete: r.replay.complete !== false }
    : undefined;
  return {
    type: "welcome",
    id: optString(r, "id") ?? "",
    connectionId: optString(r, "connectionId") ?? "",
    heartbeatMs,
    heartbeatTimeoutMs: positive(optNumber(r, "heartbeatTimeoutMs")),
    lastSeq: optNumber(r, "lastSeq"),
    replay,
  };
}

/** Reads a message object: a `message` frame, a history entry, or the header of a binary frame. */
export function messageFromRecord(r: JsonRecord, file?: FileAttachment): ChatMessage | undefined {
  const id = optString(r, "id");
  const from = optString(r, "from");
  if (id === undefined || from === undefined) {
    return undefined;
  }
  const attachment = file ?? attachmentFrom(r);
  return {
    type: "message",
    id,
    seq: optNumber(r, "seq"),
    channel: optString(r, "channel") ?? "chat",
    from,
    to: optString(r, "to") ?? "",
    text: optString(r, "text"),
    data: r.data,
    sentAt: optString(r, "sentAt") ?? "",
    broadcast: r.broadcast === true,
    ...(attachment ? { file: attachment } : {}),
    ...(r.edited === true ? { edited: true, editedAt: optString(r, "editedAt") } : {}),
    ...(r.deleted === true ? { deleted: true } : {}),
  };
}

/** Reads an `update` frame (or an update entry of a history page); undefined without seq, id or a known action. */
export function updateFromRecord(r: JsonRecord): UpdateFrame | undefined {
  const seq = optNumber(r, "seq");
  const id = optString(r, "id");
  const action = r.action === "edit" || r.action === "delete" ? r.action : undefined;
  if (seq === undefined || id === undefined || action === undefined) {
    return undefined;
  }
  return {
    type: "update",
    seq,
    id,
    action,
    from: optString(r, "from") ?? "",
    to: optString(r, "to") ?? "",
    ...(optString(r, "text") === undefined ? {} : { text: optString(r, "text") }),
    ...(r.data === undefined ? {} : { data: r.data }),
    at: optString(r, "at") ?? "",
  };
}

/**
 * The message as the update leaves it (docs/protocol.md "Edit and delete"): an edit replaces the text and/or data it
 * carries and marks it edited; a delete removes text, data and file and marks it deleted. An update of another
 * message, or an edit of a deleted one or older than this version, gives the message back unchanged.
 */
export function applyUpdate(message: ChatMessage, update: UpdateFrame): ChatMessage {
  if (update.id !== message.id || message.deleted) {
    return message;
  }
  if (update.action === "delete") {
    const deleted: ChatMessage = { ...message, deleted: true };
    delete deleted.text;
    delete deleted.data;
    delete deleted.file;
    return deleted;
  }
  if (message.editedAt !== undefined && update.at < message.editedAt) {
    return message;
  }
  return {
    ...message,
    ...(update.text === undefined ? {} : { text: update.text }),
    ...(update.data === undefined ? {} : { data: update.data }),
    edited: true,
    editedAt: update.at,
  };
}

function attachmentFrom(r: JsonRecord): FileAttachment | undefined {
  const name = optString(r, "name");
  if (name === undefined) {
    return undefined;
  }
  const payload = optString(r, "payload");
  return {
    name,
    contentType: optString(r, "contentType") ?? "application/octet-stream",
    size: optNumber(r, "size") ?? 0,
    ...(payload === undefined ? {} : { bytes: base64Bytes(payload) }),
  };
}

/** The history API carries a binary message's payload as base64 in `payload`. */
function base64Bytes(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
