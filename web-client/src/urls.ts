/**
 * Where the server is. Recomputed on every attempt: the resume cursor and the token change between attempts,
 * and the page may have been served from another host than last time (never a hard-coded host).
 */
export function socketBaseFromLocation(location: Pick<Location, "protocol" | "host">): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}`;
}

export function httpBaseFromLocation(location: Pick<Location, "origin">): string {
  return location.origin;
}

export function buildSocketUrl(base: string, userId: string, since: number | undefined, token: string | undefined): string {
  const params = new URLSearchParams({ id: userId });
  if (since !== undefined) {
    params.set("since", String(since));
  }
  if (token !== undefined) {
    params.set("token", token);
  }
  return `${base.replace(/\/+$/, "")}/ws?${params.toString()}`;
}
