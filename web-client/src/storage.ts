import type { CursorStore } from "./recovery.js";

/** The tab's sessionStorage (the cursor is per tab), or memory where storage is blocked. */
export function tabStorage(): CursorStore {
  try {
    if (typeof sessionStorage !== "undefined") {
      return sessionStorage;
    }
  } catch {
    // Storage access can throw (sandboxed frames, privacy modes): fall through.
  }
  const memory = new Map<string, string>();
  return { getItem: (key) => memory.get(key) ?? null, setItem: (key, value) => void memory.set(key, value) };
}
