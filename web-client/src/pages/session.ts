import { MatchbookClient } from "../client.js";
import { browserTabSharing } from "../tabSharing.js";
import type { ClientConfigSource } from "./clientConfig.js";

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

/** Keeps `?id=` (and `?to=`) in the address bar, so a reload comes back as the same user in the same chat. */
export function rememberParams(params: Partial<PageParams>): void {
  const query = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(params)) {
    if (value) {
      query.set(key, value);
    } else {
      query.delete(key);
    }
  }
  history.replaceState(null, "", `${location.pathname}?${query.toString()}`);
}

/** A link to the other page that keeps who I am and who I talk to (and the token, when the page was given one). */
export function pageLink(path: string, params: PageParams): string {
  const query = new URLSearchParams();
  for (const key of ["id", "to", "token"] as const) {
    if (params[key] !== "") {
      query.set(key, params[key]);
    }
  }
  const search = query.toString();
  return search === "" ? path : `${path}?${search}`;
}

export interface ClientChoices {
  /** Share one connection with this user's other tabs (the chat page). */
  shareTabs?: boolean;
  /** Never confirm or mark read (the diagnostics panel). */
  readOnly?: boolean;
}

/**
 * A client for this page's server. The token comes from `?token=` when the page was opened with one; otherwise, when
 * the server's client config says it hands them out, from its DEV-ONLY `/dev/token`; otherwise there is none (auth
 * off). A page embedding the client in a real app passes a provider that asks its own backend instead.
 */
export function createClient(userId: string, token: string, config: ClientConfigSource,
                             choices: ClientChoices = {}): MatchbookClient {
  return new MatchbookClient({
    userId,
    tokenProvider: tokenSource(userId, token, config),
    readOnly: choices.readOnly,
    tabs: choices.shareTabs ? browserTabSharing() : undefined,
  });
}

/**
 * Where this page's tokens come from (for the socket and for its own HTTP calls): `?token=` when given, else the
 * DEV-ONLY `/dev/token` when the server's client config hands them out, else none ("" = auth off).
 */
export function tokenSource(userId: string, token: string, config: ClientConfigSource): () => Promise<string> {
  return token !== "" ? async () => token : async () => {
    const known = await config.load();
    return known?.devTokens ? (await devToken(userId)) ?? "" : "";
  };
}

/**
 * DEV ONLY: a short-lived token from the server's dev endpoint, or undefined when it cannot be reached (the socket
 * attempt that follows then fails, or is refused with 4001, and the usual backoff applies).
 */
async function devToken(userId: string): Promise<string | undefined> {
  try {
    const response = await fetch(`dev/token?id=${encodeURIComponent(userId)}`, { cache: "no-store" });
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
