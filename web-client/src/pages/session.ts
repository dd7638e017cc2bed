import { MatchbookClient } from "../client.js";

export interface PageParams {
  id: string;
  to: string;
  token: string;
}

/** `?id=alice&to=bob&token=...`: what the page was opened with. */
export function pageParams(): PageParams {
  const query = new URLSearchParams(location.search);
  return { id: query.get("id") ?? "", to: query.get("to") ?? "", token: query.get("token") ?? "" };
}

/** Keeps `?id=` in the address bar, so a reload reconnects as the same user. */
export function rememberUser(id: string): void {
  const query = new URLSearchParams(location.search);
  query.set("id", id);
  history.replaceState(null, "", `${location.pathname}?${query.toString()}`);
}

/**
 * A client for this page's server. With auth on, the token comes from `?token=`; a page embedding the client
 * in a real app passes a provider that asks its backend instead.
 */
export function createClient(userId: string, token: string): MatchbookClient {
  return new MatchbookClient({
    userId,
    tokenProvider: token === "" ? undefined : async () => token,
  });
}
