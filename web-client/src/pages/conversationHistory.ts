import type { ChatMessage } from "../protocol.js";

/** One page of a conversation: oldest first, and whether older messages are retained. */
export interface HistoryPage {
  messages: ChatMessage[];
  more: boolean;
}

/**
 * Pages of one conversation from `GET /api/users/{me}/conversations/{with}/messages?before=&limit=` (docs/protocol.md,
 * Conversations): the newest first, then older ones, each page's `before` being the oldest seq seen so far.
 */
export class ConversationHistory {
  private before: number | undefined;
  private more = true;
  private loading = false;

  constructor(
    private readonly me: string,
    readonly other: string,
    private readonly token: () => Promise<string>,
    private readonly limit = 50,
  ) {}

  get hasMore(): boolean {
    return this.more;
  }

  /** The next older page, or undefined when there is none or one is already on its way. Throws with the server's words. */
  async older(): Promise<HistoryPage | undefined> {
    if (!this.more || this.loading) {
      return undefined;
    }
    this.loading = true;
    try {
      const query = new URLSearchParams({ limit: String(this.limit) });
      if (this.before !== undefined) {
        query.set("before", String(this.before));
      }
      const url = `api/users/${encodeURIComponent(this.me)}/conversations/${encodeURIComponent(this.other)}`
        + `/messages?${query.toString()}`;
      const page = await getJson<HistoryPage>(url, this.token);
      const seqs = page.messages.map((message) => message.seq).filter((seq): seq is number => seq !== undefined);
      if (seqs.length > 0) {
        this.before = Math.min(...seqs);
      }
      this.more = page.more && seqs.length > 0;
      return page;
    } finally {
      this.loading = false;
    }
  }
}

/** One entry of `GET /api/users/{id}/conversations` (docs/protocol.md, Conversations). */
export interface ConversationSummary {
  with: string;
  last?: ChatMessage;
  unread: number;
  blocked: boolean;
}

/** My conversations, most recent activity first. Throws with the server's words. */
export async function loadConversations(me: string, token: () => Promise<string>): Promise<ConversationSummary[]> {
  const body = await getJson<{ conversations: ConversationSummary[] }>(
    `api/users/${encodeURIComponent(me)}/conversations?limit=200`, token);
  return body.conversations;
}

/** Whom I block: `GET /api/users/{me}/blocks` (docs/protocol.md, Blocking). */
export async function loadBlocked(me: string, token: () => Promise<string>): Promise<string[]> {
  return (await getJson<{ blocked: string[] }>(`api/users/${encodeURIComponent(me)}/blocks`, token)).blocked;
}

/** Blocks (`PUT`) or unblocks (`DELETE`) `other`; both answer 204. Throws with the server's words. */
export async function setBlocked(me: string, other: string, blocked: boolean,
                                 token: () => Promise<string>): Promise<void> {
  const bearer = await token();
  const response = await fetch(`api/users/${encodeURIComponent(me)}/blocks/${encodeURIComponent(other)}`, {
    method: blocked ? "PUT" : "DELETE",
    headers: bearer === "" ? {} : { Authorization: `Bearer ${bearer}` },
  });
  if (!response.ok) {
    throw new Error(errorMessage(await response.json().catch(() => undefined), response.status));
  }
}

/** A GET of this server's API with the page's token; a refusal throws with the server's `message`. */
async function getJson<T>(url: string, token: () => Promise<string>): Promise<T> {
  const bearer = await token();
  const response = await fetch(url, {
    cache: "no-store",
    headers: bearer === "" ? {} : { Authorization: `Bearer ${bearer}` },
  });
  const body: unknown = await response.json();
  if (!response.ok) {
    throw new Error(errorMessage(body, response.status));
  }
  return body as T;
}

function errorMessage(body: unknown, status: number): string {
  if (typeof body === "object" && body !== null && "message" in body && typeof body.message === "string") {
    return body.message;
  }
  return `HTTP ${status}`;
}
