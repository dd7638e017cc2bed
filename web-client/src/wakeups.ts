import type { Environment } from "./socket.js";

export interface WakeupHandlers {
  online(): void;
  offline(): void;
  visible(): void;
}

/** Subscribes to the browser's hints that a retry may succeed now; returns the unsubscribe function. */
export function listenForWakeups(env: Environment, handlers: WakeupHandlers): () => void {
  const onOnline = () => handlers.online();
  const onOffline = () => handlers.offline();
  const onVisibility = () => {
    if (env.visibility?.isVisible()) {
      handlers.visible();
    }
  };
  env.network?.addEventListener("online", onOnline);
  env.network?.addEventListener("offline", onOffline);
  env.visibility?.target.addEventListener("visibilitychange", onVisibility);
  return () => {
    env.network?.removeEventListener("online", onOnline);
    env.network?.removeEventListener("offline", onOffline);
    env.visibility?.target.removeEventListener("visibilitychange", onVisibility);
  };
}
