import type { MatchbookClient } from "../client.js";
import { ClientConfigSource } from "./clientConfig.js";
import { byId, clearHint, showError } from "./dom.js";
import { text as words, offlineCountdown, stoppedText } from "./labels.js";
import { MessageList, type OwnMessageView } from "./messageList.js";
import { OfflineBanner } from "./offlineBanner.js";
import { ReadMarker } from "./readMarker.js";
import { createClient, pageLink, pageParams, rememberParams } from "./session.js";
import { fileProblem, textProblem } from "./sizeCheck.js";
import { bindStatus, everySecond, showStatus } from "./statusView.js";
import { TypingIndicator, TypingNotifier } from "./typingView.js";

const ui = {
  login: byId("login", HTMLFormElement),
  userId: byId("user-id", HTMLInputElement),
  me: byId("me", HTMLElement),
  status: byId("status", HTMLElement),
  toAdmin: byId("to-admin", HTMLAnchorElement),
  offline: byId("offline", HTMLElement),
  offlineText: byId("offline-text", HTMLElement),
  offlineCountdown: byId("offline-countdown", HTMLElement),
  retryNow: byId("retry-now", HTMLButtonElement),
  error: byId("error", HTMLElement),
  messages: byId("messages", HTMLElement),
  typing: byId("typing", HTMLElement),
  composer: byId("composer", HTMLFormElement),
  composerError: byId("composer-error", HTMLElement),
  to: byId("to", HTMLInputElement),
  text: byId("text", HTMLInputElement),
  file: byId("file", HTMLInputElement),
  fileLabel: byId("file-label", HTMLLabelElement),
  sendFile: byId("send-file", HTMLButtonElement),
};

const config = new ClientConfigSource();
const pageVisible = () => document.visibilityState === "visible";

/** Everything tied to one signed-in user; replaced when the user id changes. */
class ChatSession {
  readonly client: MatchbookClient;
  private readonly list: MessageList;
  private readonly typing = new TypingIndicator((shown) => {
    ui.typing.textContent = shown;
    ui.typing.hidden = shown === "";
  });
  private readonly notifier: TypingNotifier;
  private readonly reads: ReadMarker;
  private readonly stopListening: (() => void)[];

  constructor(readonly userId: string, token: string) {
    this.client = createClient(userId, token, config, { shareTabs: true });
    this.list = new MessageList(ui.messages, userId);
    this.notifier = new TypingNotifier((to, state) => void this.client.typing(to, state));
    this.reads = new ReadMarker(this.client, pageVisible);
    const client = this.client;
    const onVisibility = () => this.reads.flush();
    document.addEventListener("visibilitychange", onVisibility);
    const banner = new OfflineBanner(ui.offline, client, (nowMs) => {
      ui.offlineText.textContent = words.offlineHeadline;
      ui.offlineCountdown.textContent = offlineCountdown(client.nextAttemptAt, nowMs);
    });
    // For people and tests looking at a tab: does this tab hold the connection, or borrow another tab's?
    const showRole = () => void (ui.status.dataset.tab = client.tabRole);
    this.stopListening = [
      () => document.removeEventListener("visibilitychange", onVisibility),
      client.on("state", showRole),
      bindStatus(ui.status, client, everySecond),
      banner.bind(everySecond),
      client.on("message", (message) => {
        this.typing.update(message.from, "stop");
        this.list.addIncoming(message);
        this.reads.arrived(message);
      }),
      client.on("receipt", (receipt) => this.list.applyReceipt(receipt)),
      client.on("typing", (typing) => this.typing.update(typing.from, typing.state)),
      client.on("error", (error) => {
        if (error.fatal) {
          showError(ui.error, stoppedText(error));
        } else if (error.ref === undefined) {
          showError(ui.error, error.message);
        }
      }),
      client.on("state", (change) => {
        if (change.to === "open") {
          this.reads.flush();
          void config.load(); // the limits, if the server was down when the page loaded
        }
      }),
    ];
    client.connect();
  }

  sendText(to: string, text: string): void {
    const view = this.list.addMine({ to, channel: "chat", text });
    this.notifier.stop();
    this.track(view, this.client.send(to, text));
  }

  async sendFile(to: string, file: File): Promise<void> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const contentType = file.type || "application/octet-stream";
    const url = this.list.objectUrl(bytes, contentType);
    const view = this.list.addMine({ to, channel: "chat", file: { name: file.name, size: file.size, contentType, url } });
    this.track(view, this.client.sendFile(to, { name: file.name, contentType, bytes }));
  }

  keystroke(to: string): void {
    this.notifier.keystroke(to);
  }

  stop(): void {
    this.notifier.stop();
    this.stopListening.forEach((stop) => stop());
    this.typing.dispose();
    this.client.close();
    this.list.dispose();
  }

  private track(view: OwnMessageView, sent: Promise<{ id: string; seq?: number }>): void {
    sent.then(
      (ack) => view.acked(ack.id, ack.seq),
      (error: unknown) => view.failed(error instanceof Error ? error.message : String(error)),
    );
  }
}

let session: ChatSession | undefined;

async function signIn(userId: string): Promise<void> {
  if (userId === "") {
    showError(ui.error, words.enterUserId, "hint");
    return;
  }
  showError(ui.error, "");
  if (session?.userId === userId) {
    if (session.client.state === "closed") {
      session.client.connect();
    }
    return;
  }
  const token = pageParams().token;
  const known = await config.load();
  if (token === "" && known?.authRequired && !known.devTokens) {
    showError(ui.error, words.needsToken);
    return;
  }
  session?.stop();
  ui.messages.replaceChildren();
  rememberParams({ id: userId });
  ui.me.textContent = userId;
  ui.me.title = words.signedInAs(userId);
  ui.me.hidden = false;
  ui.login.hidden = true;
  updateLinks();
  session = new ChatSession(userId, token);
}

/** The link to the panel keeps who I am and who I talk to. */
function updateLinks(): void {
  const params = { ...pageParams(), to: ui.to.value.trim() };
  ui.toAdmin.href = pageLink("admin", params);
}

function showComposerProblem(problem: string): void {
  ui.composerError.textContent = problem;
  ui.composerError.hidden = problem === "";
  ui.text.setAttribute("aria-invalid", String(problem !== ""));
}

/** The recipient, or undefined after telling the user what is missing. */
function recipient(): string | undefined {
  const to = ui.to.value.trim();
  if (!session) {
    showError(ui.error, words.connectFirst, "hint");
    return undefined;
  }
  if (to === "") {
    showError(ui.error, words.enterRecipient, "hint");
    ui.to.focus();
    return undefined;
  }
  clearHint(ui.error);
  return to;
}

ui.login.addEventListener("submit", (event) => {
  event.preventDefault();
  void signIn(ui.userId.value.trim());
});

ui.composer.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = ui.text.value;
  const to = text.trim() === "" ? undefined : recipient();
  if (!session || to === undefined) {
    return;
  }
  // Checked here, not by the server: an oversize frame would cost the socket (1009) and everything in flight on it.
  const problem = textProblem(to, text, config.current.maxTextBytes);
  showComposerProblem(problem);
  if (problem === "") {
    session.sendText(to, text);
    ui.text.value = "";
  }
});

ui.text.addEventListener("input", () => {
  if (!ui.composerError.hidden) {
    showComposerProblem("");
  }
  session?.keystroke(ui.to.value.trim());
});

ui.to.addEventListener("change", () => {
  rememberParams({ to: ui.to.value.trim() });
  updateLinks();
});

ui.sendFile.addEventListener("click", () => {
  const file = ui.file.files?.[0];
  const to = recipient();
  if (!file) {
    showError(ui.error, words.chooseFile, "hint");
    return;
  }
  if (!session || to === undefined) {
    return;
  }
  const problem = fileProblem(file.name, file.size, config.current.maxBinaryBytes);
  showComposerProblem(problem);
  if (problem === "") {
    void session.sendFile(to, file);
    ui.file.value = "";
    showChosenFile();
  }
});

/** The attach button names the chosen file, so the user sees what "Send file" will send. */
function showChosenFile(): void {
  const name = ui.file.files?.[0]?.name;
  ui.fileLabel.textContent = name ?? words.attachFile;
  ui.fileLabel.title = name ?? "";
}

ui.file.addEventListener("change", showChosenFile);

ui.retryNow.addEventListener("click", () => session?.client.reconnectNow());

const params = pageParams();
ui.to.value = params.to;
updateLinks();
showStatus(ui.status, { state: "closed" });
if (params.id !== "") {
  ui.userId.value = params.id;
  void signIn(params.id);
}
