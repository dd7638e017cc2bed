import { isRecord, optNumber, optString, type JsonRecord } from "../json.js";

/** One connection as `GET /api/admin/connections` lists it (PROTOCOL.md "Operator console"). */
export interface ConnectionRow {
  connectionId: string;
  user: string;
  node: string;
  openedAt: string;
  transport: string;
  ageMs: number;
  outboxDepth: number;
}

/** Columns of one series: `t` in epoch seconds, then one array per figure, `null` where nothing was measured. */
export type Columns = Record<string, (number | null)[]>;

export interface NodeRow {
  node: string;
  healthy: boolean;
  uptimeMs: number;
  series: Columns;
}

export interface SeriesAnswer {
  nodes: NodeRow[];
  cluster: Columns;
}

export interface Status {
  auth: boolean;
  node: string;
  aggregation: string;
}

/** The API refused the call: 401/403 (token), or anything else with the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = "matchbook.console.token";

/** The admin token, kept in this tab's sessionStorage only. */
export function savedToken(): string | undefined {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function saveToken(token: string | undefined): void {
  try {
    if (token === undefined || token === "") {
      sessionStorage.removeItem(TOKEN_KEY);
    } else {
      sessionStorage.setItem(TOKEN_KEY, token);
    }
  } catch {
    // Storage blocked: the token lives as long as the page.
  }
}

async function call(method: string, path: string, token: string | undefined): Promise<unknown> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (token !== undefined && token !== "") {
    headers.Authorization = `Bearer ${token}`;
  }
  const response = await fetch(new URL(path, location.origin), { method, headers, cache: "no-store" });
  if (response.status === 204) {
    return undefined;
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = isRecord(body) ? (optString(body, "message") ?? "") : "";
    throw new ApiError(response.status, message || `HTTP ${response.status}`);
  }
  return body;
}

function columns(value: unknown): Columns {
  const out: Columns = {};
  if (isRecord(value)) {
    for (const [name, array] of Object.entries(value)) {
      if (Array.isArray(array)) {
        out[name] = array.map((v) => (typeof v === "number" ? v : null));
      }
    }
  }
  return out;
}

function connectionRow(value: unknown): ConnectionRow | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  const id = optString(value, "connectionId");
  const user = optString(value, "user");
  if (id === undefined || user === undefined) {
    return undefined;
  }
  return {
    connectionId: id,
    user,
    node: optString(value, "node") ?? "",
    openedAt: optString(value, "openedAt") ?? "",
    transport: optString(value, "transport") ?? "",
    ageMs: optNumber(value, "ageMs") ?? 0,
    outboxDepth: optNumber(value, "outboxDepth") ?? 0,
  };
}

export async function fetchStatus(token: string | undefined): Promise<Status> {
  const body = await call("GET", "api/admin/status", token);
  const r: JsonRecord = isRecord(body) ? body : {};
  return { auth: r.auth === true, node: optString(r, "node") ?? "", aggregation: optString(r, "aggregation") ?? "" };
}

export async function fetchSeries(token: string | undefined, afterSecond: number): Promise<SeriesAnswer> {
  const body = await call("GET", `api/admin/series?after=${Math.max(0, Math.floor(afterSecond))}`, token);
  const r: JsonRecord = isRecord(body) ? body : {};
  const nodes = Array.isArray(r.nodes) ? r.nodes : [];
  return {
    cluster: columns(r.cluster),
    nodes: nodes.filter(isRecord).map((n) => ({
      node: optString(n, "node") ?? "?",
      healthy: n.healthy === true,
      uptimeMs: optNumber(n, "uptimeMs") ?? 0,
      series: columns(n.series),
    })),
  };
}

export async function fetchConnections(
  token: string | undefined,
  user: string,
  limit: number,
): Promise<{ rows: ConnectionRow[]; total: number }> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (user !== "") {
    query.set("user", user);
  }
  const body = await call("GET", `api/admin/connections?${query.toString()}`, token);
  const r: JsonRecord = isRecord(body) ? body : {};
  const list = Array.isArray(r.connections) ? r.connections : [];
  return {
    rows: list.map(connectionRow).filter((c): c is ConnectionRow => c !== undefined),
    total: optNumber(r, "total") ?? 0,
  };
}

export async function disconnect(token: string | undefined, connectionId: string): Promise<void> {
  await call("DELETE", `api/admin/connections/${encodeURIComponent(connectionId)}`, token);
}

export async function disconnectUser(token: string | undefined, user: string): Promise<void> {
  await call("DELETE", `api/admin/users/${encodeURIComponent(user)}/connections`, token);
}
