import { isRecord, optNumber } from "./json.js";
import { type StreamEntry, messageFromRecord, updateFromRecord } from "./protocol.js";

/**
 * One page of `GET /api/users/{id}/messages?since=&limit=` (docs/protocol.md, "Endpoints"): messages, and (1.1) updates
 * should the server list them as `"type": "update"` entries.
 */
export interface HistoryPage {
  /** Messages and updates, oldest first (the endpoint's field name, though it may hold updates). */
  messages: StreamEntry[];
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
  const entries: StreamEntry[] = [];
  for (const entry of body.messages) {
    if (!isRecord(entry)) {
      continue;
    }
    const read = entry.type === "update" ? updateFromRecord(entry) : messageFromRecord(entry);
    if (read) {
      entries.push(read);
    }
  }
  const lastSeq = optNumber(body, "lastSeq") ?? entries.at(-1)?.seq ?? 0;
  return { messages: entries, lastSeq, complete: body.complete !== false };
}
