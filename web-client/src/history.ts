import { isRecord, optNumber } from "./json.js";
import { type ChatMessage, messageFromRecord } from "./protocol.js";

/** One page of `GET /api/users/{id}/messages?since=&limit=` (PROTOCOL.md, "Endpoints"). */
export interface HistoryPage {
  messages: ChatMessage[];
  lastSeq: number;
  complete: boolean;
}

export type HistoryFetcher = (since: number, limit: number) => Promise<HistoryPage>;

export interface HistorySource {
  httpBase: () => string;
  userId: string;
  token: () => string | undefined;
  fetchImpl?: typeof fetch;
}

export function httpHistory(source: HistorySource): HistoryFetcher {
  return async (since, limit) => {
    const url = `${source.httpBase().replace(/\/+$/, "")}/api/users/${encodeURIComponent(source.userId)}/messages`
      + `?since=${since}&limit=${limit}`;
    const token = source.token();
    const headers: Record<string, string> = { Accept: "application/json" };
    if (token !== undefined) {
      headers.Authorization = `Bearer ${token}`;
    }
    const response = await (source.fetchImpl ?? fetch)(url, { headers });
    if (!response.ok) {
      throw new Error(`history request failed: HTTP ${response.status}`);
    }
    return parseHistoryPage(await response.json());
  };
}

export function parseHistoryPage(body: unknown): HistoryPage {
  if (!isRecord(body) || !Array.isArray(body.messages)) {
    throw new Error("history response has no messages list");
  }
  const messages: ChatMessage[] = [];
  for (const entry of body.messages) {
    const message = isRecord(entry) ? messageFromRecord(entry) : undefined;
    if (message) {
      messages.push(message);
    }
  }
  const lastSeq = optNumber(body, "lastSeq") ?? messages.at(-1)?.seq ?? 0;
  return { messages, lastSeq, complete: body.complete !== false };
}
