/** Every string the console shows for a figure, in one place. */

export function durationText(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) {
    return `${s} s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)} min ${s % 60} s`;
  }
  const h = Math.floor(s / 3600);
  return h < 48 ? `${h} h ${Math.floor((s % 3600) / 60)} min` : `${Math.floor(h / 24)} days`;
}

export function numberText(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) {
    return "none";
  }
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

export function msText(value: number | null | undefined): string {
  return value === null || value === undefined ? "no traffic" : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

export function refusedText(status: number): string {
  return status === 401
    ? "Refused (401): this console needs an admin token. Paste one in the Admin token field."
    : status === 403
      ? "Refused (403): this token is not an admin or service token."
      : `The console's API failed (${status}).`;
}

/** The latest value of a column, skipping seconds where nothing was measured. */
export function latest(column: (number | null)[] | undefined): number | null {
  if (!column) {
    return null;
  }
  for (let i = column.length - 1; i >= 0; i--) {
    const v = column[i];
    if (v !== null && v !== undefined) {
      return v;
    }
  }
  return null;
}

/** The last value of a column, or null when that second measured nothing. */
export function last(column: (number | null)[] | undefined): number | null {
  return column && column.length > 0 ? (column[column.length - 1] ?? null) : null;
}

/** How many events a per-second rate column holds (each second's rate is that second's count), nulls as none. */
export function windowCount(column: (number | null)[] | undefined): number {
  return Math.round((column ?? []).reduce<number>((sum, v) => sum + (v ?? 0), 0));
}

/**
 * Events by cause over the seconds shown, for a tile's second line: "3 in the last 2 min 5 s: per address 1,
 * request head 2", or "none in the last 15 min 0 s". Causes with no event are left out.
 */
export function causesText(causes: [string, (number | null)[] | undefined][], secondsShown: number): string {
  const counted = causes.map(([label, column]) => [label, windowCount(column)] as const).filter(([, n]) => n > 0);
  const total = counted.reduce((sum, [, n]) => sum + n, 0);
  const window = `in the last ${durationText(secondsShown * 1000)}`;
  return total === 0 ? `none ${window}` : `${total} ${window}: ${counted.map(([l, n]) => `${l} ${n}`).join(", ")}`;
}
