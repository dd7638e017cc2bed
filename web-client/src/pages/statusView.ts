import type { MatchbookClient } from "../client.js";
import type { ConnectionState, StateChange } from "../connectionTypes.js";
import { element } from "./dom.js";
import { statusDetail, statusText, statusWords } from "./labels.js";

/** What the pill shows at one moment. */
export interface StatusLook {
  state: ConnectionState;
  last?: StateChange;
  nextAttemptAt?: number;
}

/**
 * The status pill only listens: it mirrors the connection's state, never decides it. Its words, its accessible name
 * (`aria-label`, the same words) and its tooltip are recomputed from the state and the scheduled retry time, so a
 * countdown is true at every tick.
 */
export function showStatus(indicator: HTMLElement, look: StatusLook, nowMs = Date.now()): void {
  const words = statusWords(look.state, look.nextAttemptAt, nowMs);
  const stateWords = statusText(look.state).replace(/…$/, "");
  indicator.dataset.state = look.state;
  if (indicator.textContent !== words) {
    // The live region announces the state once; the ticking seconds are shown but not read out every second.
    const spoken = words.startsWith(stateWords) ? stateWords : words;
    const ticking = element("span", "", words.slice(spoken.length));
    ticking.setAttribute("aria-hidden", "true");
    indicator.replaceChildren(spoken, ticking);
  }
  indicator.setAttribute("aria-label", words);
  indicator.title = statusDetail(look.state, look.last, look.nextAttemptAt, nowMs);
}

/** Keeps the pill in step with a client: at every state change and once a second (the countdown). */
export function bindStatus(indicator: HTMLElement, client: MatchbookClient, tick: (render: () => void) => () => void): () => void {
  let last: StateChange | undefined;
  const render = () => showStatus(indicator, { state: client.state, last, nextAttemptAt: client.nextAttemptAt });
  render();
  const stopTicking = tick(render);
  const stopListening = [
    client.on("state", (change) => {
      last = change;
      render();
    }),
    client.on("log", render), // a new retry scheduled while already reconnecting changes no state
  ];
  return () => {
    stopTicking();
    stopListening.forEach((stop) => stop());
  };
}

/** Runs `render` every second (a countdown's step). */
export function everySecond(render: () => void): () => void {
  const timer = setInterval(render, 1_000);
  return () => clearInterval(timer);
}
