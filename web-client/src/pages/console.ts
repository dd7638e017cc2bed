import {
  ApiError,
  type Columns,
  type ConnectionRow,
  disconnect,
  disconnectUser,
  fetchConnections,
  fetchSeries,
  fetchStatus,
  type NodeRow,
  savedToken,
  saveToken,
} from "./consoleApi.js";
import { createCharts } from "./consoleCharts.js";
import { mergeColumns } from "./consoleSeries.js";
import { causesText, durationText, last, latest, msText, numberText, refusedText } from "./consoleText.js";
import { byId, element, showError } from "./dom.js";

/** The operator console (`/console`): nodes, live charts and connections over the console's API. */

const SERIES_EVERY_MS = 1_000;
/**
 * A new connection must show within two seconds (the console's promise, README "Operator console"): a two-second poll
 * left no room for the request and the redraw themselves, so the list is asked for every second.
 */
const CONNECTIONS_EVERY_MS = 1_000;
const WINDOW_SECONDS = 15 * 60;
/** Seconds asked again on every poll: a node may close a second after the others did. */
const OVERLAP_SECONDS = 3;
const LIST_LIMIT = 200;

const ui = {
  tokenForm: byId("token-form", HTMLFormElement),
  token: byId("token", HTMLInputElement),
  tokenForget: byId("token-forget", HTMLButtonElement),
  tokenHelp: byId("token-help", HTMLElement),
  apiState: byId("api-state", HTMLElement),
  openWarning: byId("open-warning", HTMLElement),
  error: byId("error", HTMLElement),
  aggregation: byId("aggregation", HTMLElement),
  nodes: byId("nodes", HTMLElement),
  now: byId("now", HTMLElement),
  charts: byId("charts", HTMLElement),
  search: byId("search", HTMLFormElement),
  searchUser: byId("search-user", HTMLInputElement),
  disconnectUser: byId("disconnect-user", HTMLButtonElement),
  summary: byId("connections-summary", HTMLElement),
  connections: byId("connections", HTMLElement),
};

let token = savedToken();
let cluster: Columns = {};
let searchedUser = "";
const drawCharts = createCharts(ui.charts);

function setApiState(state: "open" | "refused" | "connecting", text: string): void {
  ui.apiState.dataset.state = state;
  ui.apiState.textContent = text;
}

/** Every failed call lands here: a refusal says how to give a token, anything else says what failed. */
function failed(error: unknown): void {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
    setApiState("refused", "Refused");
    ui.tokenHelp.hidden = false;
    showError(ui.error, refusedText(error.status));
    return;
  }
  setApiState("connecting", "Server unreachable");
  showError(ui.error, `The console's API failed: ${error instanceof Error ? error.message : String(error)}`);
}

function succeeded(): void {
  if (ui.apiState.dataset.state !== "open") {
    setApiState("open", "Live");
    showError(ui.error, "");
  }
}

function renderNodes(nodes: NodeRow[]): void {
  ui.nodes.replaceChildren(
    ...nodes.map((n) => {
      const row = element("tr", "");
      const health = element("td", "health", n.healthy ? "healthy" : "store unavailable");
      health.dataset.healthy = String(n.healthy);
      row.append(
        element("td", "id", n.node),
        health,
        element("td", "", durationText(n.uptimeMs)),
        element("td", "", numberText(last(n.series.connections))),
        element("td", "", numberText(last(n.series.users))),
        element("td", "", numberText(last(n.series.messagesIn))),
        element("td", "", numberText(last(n.series.messagesOut))),
        element("td", "", numberText(latest(n.series.deliveryP99Ms), 2)),
      );
      return row;
    }),
  );
}

function renderNow(nodeCount: number): void {
  const refusals = ["refusedAdmission", "rateLimited", "refusedOrigin", "refusedToken"]
    .map((k) => last(cluster[k]) ?? 0)
    .reduce((a, b) => a + b, 0);
  const sum = (keys: string[]): number => keys.map((k) => last(cluster[k]) ?? 0).reduce((a, b) => a + b, 0);
  const shown = cluster.t?.length ?? 0;
  const tcpRefusals: [string, (number | null)[] | undefined][] = [
    ["node cap", cluster.tcpRefusedFull],
    ["per address", cluster.tcpRefusedPerAddress],
  ];
  const tcpTimeouts: [string, (number | null)[] | undefined][] = [
    ["request head", cluster.tcpHeaderTimeouts],
    ["request body", cluster.tcpBodyTimeouts],
    ["keep-alive", cluster.tcpIdleTimeouts],
  ];
  // [field, term, value now, optional second line]
  const facts: [string, string, string, string?][] = [
    ["nodes", "Nodes", String(nodeCount)],
    ["connections", "Connections", numberText(last(cluster.connections))],
    ["users", "Users", numberText(last(cluster.users))],
    ["messagesIn", "Messages in", `${numberText(last(cluster.messagesIn))} /s`],
    ["messagesOut", "Messages out", `${numberText(last(cluster.messagesOut))} /s`],
    ["deliveryP50Ms", "Delivery p50 (last measured)", msText(latest(cluster.deliveryP50Ms))],
    ["deliveryP99Ms", "Delivery p99 (last measured)", msText(latest(cluster.deliveryP99Ms))],
    ["commitMs", "Store commit (last measured)", msText(latest(cluster.commitMs))],
    ["slowConsumers", "Slow-consumer cuts", `${numberText(last(cluster.slowConsumers))} /s`],
    ["refusals", "Refusals", `${numberText(refusals)} /s`],
    ["sseSharePercent", "SSE fallback share", `${numberText(last(cluster.sseSharePercent))} %`],
    ["tcpOpen", "TCP connections", numberText(last(cluster.tcpOpen))],
    [
      "tcpRefusals",
      "TCP refusals",
      `${numberText(sum(["tcpRefusedFull", "tcpRefusedPerAddress"]))} /s`,
      causesText(tcpRefusals, shown),
    ],
    [
      "tcpTimeouts",
      "TCP timeouts",
      `${numberText(sum(["tcpHeaderTimeouts", "tcpBodyTimeouts", "tcpIdleTimeouts"]))} /s`,
      causesText(tcpTimeouts, shown),
    ],
  ];
  ui.now.replaceChildren(
    ...facts.map(([field, term, value, detail]) => {
      // A <div> around each pair is allowed in <dl> (HTML's "div wrapping name-value groups"): one tile per figure.
      const tile = element("div", "");
      const dd = element("dd", "", value);
      dd.dataset.field = field;
      tile.append(element("dt", "", term), dd);
      if (detail !== undefined) {
        const more = element("dd", "detail", detail);
        more.dataset.field = `${field}Detail`;
        tile.append(more);
      }
      return tile;
    }),
  );
}

async function pollSeries(): Promise<void> {
  const lastSecond = last(cluster.t) ?? 0;
  const after = lastSecond === 0 ? 0 : lastSecond - OVERLAP_SECONDS;
  try {
    const answer = await fetchSeries(token, after);
    cluster = mergeColumns(cluster, answer.cluster, after, WINDOW_SECONDS);
    drawCharts(cluster);
    renderNodes(answer.nodes);
    renderNow(answer.nodes.length);
    succeeded();
  } catch (error) {
    failed(error);
  }
}

function connectionRow(c: ConnectionRow): HTMLElement {
  const row = element("tr", "");
  row.dataset.connectionId = c.connectionId;
  const button = element("button", "", "Disconnect");
  button.type = "button";
  button.setAttribute("aria-label", `Disconnect connection ${c.connectionId} of ${c.user}`);
  button.addEventListener("click", () => {
    button.disabled = true;
    disconnect(token, c.connectionId)
      .then(() => {
        row.remove();
        void pollConnections();
      })
      .catch((error: unknown) => {
        button.disabled = false;
        if (error instanceof ApiError && error.status === 404) {
          showError(ui.error, `Connection ${c.connectionId} had already closed.`, "hint");
          row.remove();
          return;
        }
        failed(error);
      });
  });
  const action = element("td", "");
  action.append(button);
  row.append(
    element("td", "id", c.connectionId),
    element("td", "", c.user),
    element("td", "id", c.node),
    element("td", "", c.transport === "sse" ? "SSE" : "WebSocket"),
    element("td", "", durationText(c.ageMs)),
    element("td", "", String(c.outboxDepth)),
    action,
  );
  return row;
}

async function pollConnections(): Promise<void> {
  try {
    const { rows, total } = await fetchConnections(token, searchedUser, LIST_LIMIT);
    ui.connections.replaceChildren(...rows.map(connectionRow));
    const whose = searchedUser === "" ? "" : ` of ${searchedUser}`;
    ui.summary.textContent =
      total === rows.length
        ? `${total} open connection${total === 1 ? "" : "s"}${whose}`
        : `${total} open connections${whose}, newest ${rows.length} shown`;
    succeeded();
  } catch (error) {
    failed(error);
  }
}

async function loadStatus(): Promise<void> {
  try {
    const status = await fetchStatus(token);
    ui.openWarning.hidden = status.auth;
    ui.tokenHelp.hidden = !status.auth || token !== undefined;
    ui.tokenForm.hidden = !status.auth;
    ui.aggregation.textContent = `(${status.aggregation}; answering: ${status.node})`;
    succeeded();
  } catch (error) {
    failed(error);
  }
}

function restart(): void {
  cluster = {};
  void loadStatus().then(() => Promise.all([pollSeries(), pollConnections()]));
}

ui.tokenForm.addEventListener("submit", (event) => {
  event.preventDefault();
  token = ui.token.value.trim() || undefined;
  saveToken(token);
  ui.token.value = "";
  restart();
});
ui.tokenForget.addEventListener("click", () => {
  token = undefined;
  saveToken(undefined);
  restart();
});
ui.search.addEventListener("submit", (event) => {
  event.preventDefault();
  searchedUser = ui.searchUser.value.trim();
  ui.disconnectUser.disabled = searchedUser === "";
  void pollConnections();
});
ui.disconnectUser.addEventListener("click", () => {
  const user = searchedUser;
  if (user === "") {
    return;
  }
  disconnectUser(token, user)
    .then(() => pollConnections())
    .catch(failed);
});

restart();
setInterval(() => void pollSeries(), SERIES_EVERY_MS);
setInterval(() => void pollConnections(), CONNECTIONS_EVERY_MS);
