/**
 * What sharing one connection between the tabs of a browser needs from it: Web Locks to elect one tab, and a
 * BroadcastChannel to pass frames and sends between tabs. Behind these small interfaces so the election can be tested
 * with fakes (test/fakes.ts), and so a browser without either API simply does not share.
 */
export interface TabLocks {
  /**
   * `navigator.locks.request(name, {signal}, callback)`: runs `callback` once this tab holds the lock, and holds it
   * until the promise the callback returns settles (or the tab goes away); rejects with an AbortError when `signal`
   * aborts while still waiting.
   */
  request(name: string, options: { signal: AbortSignal }, callback: () => Promise<void>): Promise<unknown>;
}

/** The slice of a BroadcastChannel used: messages go to every other tab on the same name, never back to the sender. */
export interface TabChannel {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: MessageEvent<unknown>) => void): void;
  close(): void;
}

export interface TabSharing {
  locks: TabLocks;
  openChannel(name: string): TabChannel;
  /** Called when this tab is about to go away (`pagehide`), so the leader can tell the others at once. */
  onLeave(listener: () => void): () => void;
}

/** The browser's Web Locks and BroadcastChannel, or undefined where either is missing (each tab connects alone). */
export function browserTabSharing(): TabSharing | undefined {
  if (typeof navigator === "undefined" || !("locks" in navigator) || typeof BroadcastChannel === "undefined") {
    return undefined;
  }
  const locks = navigator.locks;
  return {
    locks: { request: (name, options, callback) => locks.request(name, options, callback) },
    openChannel: (name) => new BroadcastChannel(name),
    onLeave: (listener) => {
      window.addEventListener("pagehide", listener);
      return () => window.removeEventListener("pagehide", listener);
    },
  };
}
