/** Close codes of the wire contract (PROTOCOL.md, "Close codes"), and the one place that decides what each means. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  abnormal: 1006,
  invalidPayload: 1007,
  originNotAllowed: 1008,
  tooBig: 1009,
  internalError: 1011,
  badRequest: 4000,
  tokenInvalid: 4001,
  wrongUser: 4003,
  tooSlow: 4008,
  rateLimited: 4029,
  closedByOperator: 4030,
} as const;

export type CloseDecision =
  | { action: "stop"; description: string }
  | { action: "reconnect"; refreshToken: boolean; minDelayMs: number; description: string };

const descriptions: Readonly<Record<number, string>> = {
  1000: "closed normally",
  1001: "server going away",
  1002: "protocol error: this client sent a frame the server refuses",
  1006: "connection lost",
  1007: "this client sent text that is not valid UTF-8",
  1008: "origin not allowed",
  1009: "message too big",
  1011: "server error",
  4000: "bad request (user id or resume cursor refused)",
  4001: "token missing, invalid or expired",
  4003: "token is for another user",
  4008: "too slow: the server's outbox overflowed",
  4029: "rate limited",
  4030: "closed by an operator",
};

/**
 * Reconnecting cannot fix these: the same request would be refused again (1008, 4000, 4003), the client itself is
 * broken (1002, 1007), or a person decided it should stay closed (1000, 4030 from the operator console).
 */
const stopCodes: ReadonlySet<number> = new Set([
  CloseCode.normal,
  CloseCode.protocolError,
  CloseCode.invalidPayload,
  CloseCode.originNotAllowed,
  CloseCode.closedByOperator,
  CloseCode.badRequest,
  CloseCode.wrongUser,
]);

export function describeClose(code: number): string {
  return descriptions[code] ?? `closed with code ${code}`;
}

/** Reads the server's hint `retry-after-ms=N` from a close reason; 0 when there is none. */
export function retryAfterMs(reason: string): number {
  const match = /(?:^|[\s;,])retry-after-ms=(\d+)/.exec(reason);
  return match ? Number(match[1]) : 0;
}

/**
 * What to do after the server (or the network) closed the socket. Every other code, including ones this
 * version does not know, is treated as transient: a client that gives up on an unknown code stays dead
 * after a server upgrade, while one that retries with backoff costs the server little.
 */
export function decideOnClose(code: number, reason: string): CloseDecision {
  const description = describeClose(code);
  if (stopCodes.has(code)) {
    return { action: "stop", description };
  }
  return {
    action: "reconnect",
    refreshToken: code === CloseCode.tokenInvalid,
    minDelayMs: retryAfterMs(reason),
    description,
  };
}
