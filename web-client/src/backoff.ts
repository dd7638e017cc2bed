export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 500, capMs: 30_000 };

/**
 * Full jitter: a uniformly random delay below an exponentially growing ceiling. Spreading the retries over
 * the whole window keeps a server that dropped everyone at once from being hit by everyone at once again.
 * `attempt` counts from 0; `random` returns [0, 1) like Math.random.
 */
export function nextDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  // 2^attempt overflows to Infinity past ~1024; min() with the cap keeps that harmless.
  const ceilingMs = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceilingMs);
}
