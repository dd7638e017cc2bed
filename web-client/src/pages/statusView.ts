import type { MatchbookClient } from "../client.js";
import type { ConnectionState } from "../connectionTypes.js";
import { statusText } from "./labels.js";

/** The status indicator only listens: it mirrors the connection's state, never decides it. */
export function showStatus(indicator: HTMLElement, state: ConnectionState, detail = ""): void {
  indicator.dataset.state = state;
  indicator.textContent = statusText(state);
  indicator.title = detail;
}

export function bindStatus(indicator: HTMLElement, client: MatchbookClient): () => void {
  showStatus(indicator, client.state);
  return client.on("state", (change) => {
    const retry = change.delayMs === undefined ? "" : `, next attempt in ${Math.ceil(change.delayMs / 1000)} s`;
    showStatus(indicator, change.to, `${change.cause}${retry}`);
  });
}
