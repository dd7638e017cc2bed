import type { ConversationPage, HistoryQuery } from "../conversations.js";

/** What the pager needs of the client: `MatchbookClient.history` (the library's `UserApi`). */
export type HistorySource = (other: string, query: HistoryQuery) => Promise<ConversationPage>;

/**
 * The pages of one conversation as the chat page scrolls up (docs/protocol.md 1.1, "Conversations"): the newest page
 * first, then each older one with `before` = the oldest seq seen so far, one request at a time. The HTTP call, its
 * token and its errors (`ApiError`) are the client library's.
 */
export class ConversationHistory {
  private before: number | undefined;
  private more = true;
  private loading = false;

  constructor(readonly other: string, private readonly history: HistorySource, private readonly limit = 50) {}

  /** Whether the server said it retains older messages than the oldest page loaded (true before the first page). */
  get hasMore(): boolean {
    return this.more;
  }

  /** The next older page (oldest first), or undefined when there is none or one is already on its way. */
  async older(): Promise<ConversationPage | undefined> {
    if (!this.more || this.loading) {
      return undefined;
    }
    this.loading = true;
    try {
      const page = await this.history(this.other, {
        limit: this.limit,
        ...(this.before === undefined ? {} : { before: this.before }),
      });
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
