import { optNumber, parseJsonRecord } from "./json.js";

/**
 * The expiry of a JWT in epoch milliseconds, read without verifying the signature: the client only needs
 * to know when to fetch a fresh token; the server is the one that checks it.
 */
export function jwtExpiryMs(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) {
    return undefined;
  }
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
    const binary = atob(padded);
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const record = parseJsonRecord(json);
    const exp = record ? optNumber(record, "exp") : undefined;
    return exp === undefined ? undefined : exp * 1000;
  } catch {
    return undefined;
  }
}
