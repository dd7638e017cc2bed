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
 * A client for this page's server. The token comes from `?token=` when the page was opened with one; otherwise
 * from the server's DEV-ONLY `/dev/token` endpoint, which exists only when the server runs with
 * `matchbook.auth.dev-tokens=true` (where it is absent, auth is off or the page needs `?token=`). A page embedding
 * the client in a real app passes a provider that asks its own backend instead.
 */
export function createClient(userId: string, token: string): MatchbookClient {
  return new MatchbookClient({
    userId,
    tokenProvider: token !== "" ? async () => token : async () => (await devToken(userId)) ?? "",
  });
}

/**
 * DEV ONLY: a short-lived token from the server's dev endpoint, or undefined when the server has none or cannot be
 * reached (the socket attempt that follows then fails, or is refused with 4001, and the usual backoff applies).
 */
async function devToken(userId: string): Promise<string | undefined> {
  try {
    const response = await fetch(`/dev/token?id=${encodeURIComponent(userId)}`, { cache: "no-store" });
    if (!response.ok) {
      return undefined;
    }
    const body: unknown = await response.json();
    if (typeof body === "object" && body !== null && "token" in body && typeof body.token === "string") {
      return body.token;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
