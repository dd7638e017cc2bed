import { isRecord, optNumber, optString } from "./json.js";
import { type ChatMessage, messageFromRecord } from "./protocol.js";

/** One entry of `GET /api/users/{id}/conversations` (docs/protocol.md 1.1, "Conversations"). */
export interface ConversationSummary {
  /** The other person. */
  with: string;
  /** The most recent message, in its latest version. */
  last?: ChatMessage;
  /** Messages from `with` after this user's last `read` in the conversation. */
  unread: number;
  /** True when this user blocks `with` (never whether `with` blocks this user). */
  blocked: boolean;
}

/** One page of `GET /api/users/{id}/conversations/{with}/messages?before=&limit=` (docs/protocol.md 1.1). */
export interface ConversationPage {
  /** Oldest first, each in its latest version; `seq` is this user's stream seq. */
  messages: ChatMessage[];
  /** Whether the server retains older messages of the conversation. */
  more: boolean;
}

export interface HistoryQuery {
  /** Only messages with a seq below this (this user's stream); absent: the newest. */
  before?: number;
  /** 1 to 200; the server's default is 50. */
  limit?: number;
}

/**
 * An HTTP call was refused or got no answer. `code` is the `error` field of the server's JSON body (docs/protocol.md:
 * `{"error", "message"}`), `http_<status>` when it had none, or `unreachable` (status 0) when no answer came.
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export interface ApiSource {
  httpBase: () => string;
  userId: string;
  /** The bearer token, if the server has auth on. */
  token: () => Promise<string | undefined>;
  fetchImpl?: typeof fetch;
}

/**
 * The user's HTTP endpoints of docs/protocol.md 1.1 ("Conversations", "Blocking"): the conversation list, pages of one
 * conversation's history, and blocks. Every call rejects with an `ApiError` when it does not succeed.
 */
export class UserApi {
  constructor(private readonly source: ApiSource) {}

  /** Most recent activity first; `limit` 1 to 200 (the server's default 50). */
  async conversations(limit?: number): Promise<ConversationSummary[]> {
    const body = await this.call("GET", "/conversations", limit === undefined ? {} : { limit });
    const list = isRecord(body) && Array.isArray(body.conversations) ? body.conversations : [];
    const result: ConversationSummary[] = [];
    for (const entry of list) {
      const other = isRecord(entry) ? optString(entry, "with") : undefined;
      if (isRecord(entry) && other !== undefined) {
        const last = isRecord(entry.last) ? messageFromRecord(entry.last) : undefined;
        result.push({
          with: other,
          ...(last ? { last } : {}),
          unread: optNumber(entry, "unread") ?? 0,
          blocked: entry.blocked === true,
        });
      }
    }
    return result;
  }

  /** The newest page of the conversation with `other`, or the page before `query.before`. */
  async history(other: string, query: HistoryQuery = {}): Promise<ConversationPage> {
    const params: Record<string, number> = {};
    if (query.before !== undefined) {
      params.before = query.before;
    }
    if (query.limit !== undefined) {
      params.limit = query.limit;
    }
    const body = await this.call("GET", `/conversations/${encodeURIComponent(other)}/messages`, params);
    const list = isRecord(body) && Array.isArray(body.messages) ? body.messages : [];
    const messages: ChatMessage[] = [];
    for (const entry of list) {
      const message = isRecord(entry) ? messageFromRecord(entry) : undefined;
      if (message) {
        messages.push(message);
      }
    }
    return { messages, more: isRecord(body) && body.more === true };
  }

  /** Messages between the two are refused both ways from now on (`blocked`); stored history stays. */
  async block(other: string): Promise<void> {
    await this.call("PUT", `/blocks/${encodeURIComponent(other)}`);
  }

  async unblock(other: string): Promise<void> {
    await this.call("DELETE", `/blocks/${encodeURIComponent(other)}`);
  }

  /** Whom this user blocks. */
  async blocked(): Promise<string[]> {
    const body = await this.call("GET", "/blocks");
    const list = isRecord(body) && Array.isArray(body.blocked) ? body.blocked : [];
    return list.filter((id): id is string => typeof id === "string");
  }

  private async call(method: string, path: string, query: Record<string, number> = {}): Promise<unknown> {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    const search = params.size > 0 ? `?${params.toString()}` : "";
    const url = `${this.source.httpBase().replace(/\/+$/, "")}/api/users/${encodeURIComponent(this.source.userId)}`
      + `${path}${search}`;
    const headers: Record<string, string> = { Accept: "application/json" };
    const token = await this.source.token();
    if (token !== undefined && token !== "") {
      headers.Authorization = `Bearer ${token}`;
    }
    let response: Response;
    try {
      // no-store: a list or page read a moment ago must not stand in for the server's answer now.
      response = await (this.source.fetchImpl ?? fetch)(url, { method, headers, cache: "no-store" });
    } catch (error) {
      throw new ApiError(0, "unreachable", `${method} ${url}: ${String(error)}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const code = isRecord(body) ? optString(body, "error") : undefined;
      const message = isRecord(body) ? optString(body, "message") : undefined;
      throw new ApiError(response.status, code ?? `http_${response.status}`, message ?? `HTTP ${response.status}`);
    }
    return body;
  }
}
