import type { MatchbookClient } from "../client.js";
import { byId, showError } from "./dom.js";
import { EventLog } from "./eventLog.js";
import { agoText, closeText, stoppedText } from "./labels.js";
import { createClient, pageParams, rememberUser } from "./session.js";
import { StatsView } from "./statsView.js";
import { bindStatus, showStatus } from "./statusView.js";

const ui = {
  login: byId("login", HTMLFormElement),
  userId: byId("user-id", HTMLInputElement),
  status: byId("status", HTMLElement),
  error: byId("error", HTMLElement),
  reconnect: byId("reconnect", HTMLButtonElement),
  attempts: byId("attempts", HTMLElement),
  lastPing: byId("last-ping", HTMLElement),
  lastClose: byId("last-close", HTMLElement),
  lastSeq: byId("last-seq", HTMLElement),
  replayed: byId("replayed", HTMLElement),
  gaps: byId("gaps", HTMLElement),
  stats: byId("stats", HTMLElement),
  log: byId("log", HTMLElement),
};

const log = new EventLog(ui.log);
let client: MatchbookClient | undefined;
let unbind: (() => void)[] = [];

/** Copies the client's counters into the panel; cheap, so it runs on every event and once a second. */
function render(): void {
  const d = client?.diagnostics();
  ui.attempts.textContent = String(d?.attempts ?? 0);
  ui.lastPing.textContent = agoText(d?.lastPingAt, Date.now());
  ui.lastClose.textContent = closeText(d?.lastClose);
  ui.lastSeq.textContent = d?.lastSeq === undefined ? "none" : String(d.lastSeq);
  ui.replayed.textContent = String(d?.replayed ?? 0);
  ui.gaps.textContent = String(d?.gaps ?? 0);
}

function signIn(userId: string): void {
  if (userId === "") {
    showError(ui.error, "Enter a user id.", "hint");
    return;
  }
  showError(ui.error, "");
  if (client?.userId === userId) {
    client.reconnectNow();
    return;
  }
  unbind.forEach((stop) => stop());
  client?.close();
  rememberUser(userId);
  const next = createClient(userId, pageParams().token);
  client = next;
  unbind = [
    bindStatus(ui.status, next),
    next.on("log", (entry) => {
      log.add(entry);
      render();
    }),
    next.on("error", (error) => {
      if (error.fatal) {
        showError(ui.error, stoppedText(error));
      }
    }),
  ];
  next.connect();
  render();
}

ui.login.addEventListener("submit", (event) => {
  event.preventDefault();
  signIn(ui.userId.value.trim());
});

ui.reconnect.addEventListener("click", () => {
  if (client) {
    showError(ui.error, "");
    client.reconnectNow();
  } else {
    signIn(ui.userId.value.trim());
  }
});

new StatsView(ui.stats, () => client?.token);
setInterval(render, 1_000);
showStatus(ui.status, "closed");
render();

const params = pageParams();
if (params.id !== "") {
  ui.userId.value = params.id;
  signIn(params.id);
}
