import type { MatchbookClient } from "../client.js";
import { ClientConfigSource } from "./clientConfig.js";
import { byId, showError } from "./dom.js";
import { EventLog } from "./eventLog.js";
import type { CloseRecord } from "../connectionTypes.js";
import { agoText, closeText, hasRetryHint, nextAttemptText, retryHintText, stoppedText, text } from "./labels.js";
import { createClient, pageLink, pageParams, rememberParams } from "./session.js";
import { StatsView } from "./statsView.js";
import { bindStatus, everySecond, showStatus } from "./statusView.js";

const ui = {
  login: byId("login", HTMLFormElement),
  userId: byId("user-id", HTMLInputElement),
  me: byId("me", HTMLElement),
  status: byId("status", HTMLElement),
  toChat: byId("to-chat", HTMLAnchorElement),
  error: byId("error", HTMLElement),
  reconnect: byId("reconnect", HTMLButtonElement),
  nextAttempt: byId("next-attempt", HTMLElement),
  retryHint: byId("retry-hint", HTMLElement),
  attempts: byId("attempts", HTMLElement),
  lastPing: byId("last-ping", HTMLElement),
  lastClose: byId("last-close", HTMLElement),
  lastSeq: byId("last-seq", HTMLElement),
  replayed: byId("replayed", HTMLElement),
  gaps: byId("gaps", HTMLElement),
  stats: byId("stats", HTMLElement),
  statsAge: byId("stats-age", HTMLElement),
  log: byId("log", HTMLElement),
};

const config = new ClientConfigSource();
const log = new EventLog(ui.log);
let client: MatchbookClient | undefined;
let unbind: (() => void)[] = [];
/** The last close that carried a retry hint: later failed attempts close without one, and must not hide it. */
let lastHinted: CloseRecord | undefined;

/** Copies the client's counters into the panel; cheap, so it runs on every event and once a second. */
function render(): void {
  const d = client?.diagnostics();
  const now = Date.now();
  ui.nextAttempt.textContent = nextAttemptText(d?.state ?? "closed", d?.nextAttemptAt, now);
  if (hasRetryHint(d?.lastClose)) {
    lastHinted = d?.lastClose;
  }
  ui.retryHint.textContent = retryHintText(lastHinted);
  ui.attempts.textContent = String(d?.attempts ?? 0);
  ui.lastPing.textContent = agoText(d?.lastPingAt, now);
  ui.lastClose.textContent = closeText(d?.lastClose);
  ui.lastSeq.textContent = d?.lastSeq === undefined ? text.none : String(d.lastSeq);
  ui.replayed.textContent = String(d?.replayed ?? 0);
  ui.gaps.textContent = String(d?.gaps ?? 0);
  stats.renderAge(now);
}

function signIn(userId: string): void {
  if (userId === "") {
    showError(ui.error, text.enterUserId, "hint");
    return;
  }
  showError(ui.error, "");
  if (client?.userId === userId) {
    client.reconnectNow();
    return;
  }
  unbind.forEach((stop) => stop());
  client?.close();
  lastHinted = undefined;
  rememberParams({ id: userId });
  ui.me.textContent = userId;
  ui.me.hidden = false;
  ui.login.hidden = true;
  ui.toChat.href = pageLink("./", pageParams());
  // Its own connection, never shared with the chat tabs: the panel shows this connection's life, and never confirms.
  const next = createClient(userId, pageParams().token, config, { readOnly: true });
  client = next;
  unbind = [
    bindStatus(ui.status, next, everySecond),
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

const stats = new StatsView(ui.stats, ui.statsAge, () => client?.token, async () => {
  const known = await config.load();
  if (!known) {
    return text.serverUnreachable;
  }
  return known.authRequired && client?.token === undefined ? text.waitingForToken : "";
});
everySecond(render);
showStatus(ui.status, { state: "closed" });
render();

const params = pageParams();
ui.toChat.href = pageLink("./", params);
if (params.id !== "") {
  ui.userId.value = params.id;
  signIn(params.id);
}
