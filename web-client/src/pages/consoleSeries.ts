import type { Columns } from "./consoleApi.js";

/**
 * Appends the seconds after `afterSecond` to the charted window, replacing what the window held from then on (the
 * poll asks a few seconds again, since a node may close a second after the others), and keeps `windowSeconds`.
 */
export function mergeColumns(into: Columns, fresh: Columns, afterSecond: number, windowSeconds: number): Columns {
  const t = into.t ?? [];
  let keep = t.findIndex((s) => s !== null && s > afterSecond);
  if (keep < 0) {
    keep = t.length;
  }
  const newest = fresh.t && fresh.t.length > 0 ? (fresh.t[fresh.t.length - 1] ?? 0) : 0;
  const out: Columns = {};
  for (const key of Object.keys(fresh)) {
    out[key] = [...(into[key] ?? t.map(() => null)).slice(0, keep), ...(fresh[key] ?? [])];
  }
  const times = out.t ?? [];
  const start = times.findIndex((s) => s !== null && s > newest - windowSeconds);
  if (start > 0) {
    for (const key of Object.keys(out)) {
      out[key] = (out[key] ?? []).slice(start);
    }
  }
  return out;
}
