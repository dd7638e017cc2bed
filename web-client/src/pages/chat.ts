import type { MatchbookClient } from "../client.js";
import { byId, clearHint, showError } from "./dom.js";
import { stoppedText } from "./labels.js";
import { MessageList, type OwnMessageView } from "./messageList.js";
import { ReadMarker } from "./readMarker.js";
import { createClient, pageParams, rememberUser } from "./session.js";
import { bindStatus, showStatus } from "./statusView.js";
import { TypingIndicator, TypingNotifier } from "./typingView.js";

const ui = {
  login: byId("login", HTMLFormElement),
  userId: byId("user-id", HTMLInputElement),
  status: byId("status", HTMLElement),
  error: byId("error", HTMLElement),
  messages: byId("messages", HTMLElement),
  typing: byId("typing", HTMLElement),
  composer: byId("composer", HTMLFormElement),
  to: byId("to", HTMLInputElement),
  text: byId("text", HTMLInputElement),
  file: byId("file", HTMLInputElement),
  sendFile: byId("send-file", HTMLButtonElement),
};

const pageVisible = () => document.visibilityState === "visible";

/** Everything tied to one signed-in user; replaced when the user id changes. */
class ChatSession {
  readonly client: MatchbookClient;
  private readonly list: MessageList;
  private readonly typing = new TypingIndicator((text) => {
    ui.typing.textContent = text;
    ui.typing.hidden = text === "";
  });
  private readonly notifier: TypingNotifier;
  private readonly reads: ReadMarker;
  private readonly stopListening: (() => void)[];

  constructor(readonly userId: string, token: string) {
    this.client = createClient(userId, token);
    this.list = new MessageList(ui.messages, userId);
    this.notifier = new TypingNotifier((to, state) => void this.client.typing(to, state));
    this.reads = new ReadMarker(this.client, pageVisible);
    const client = this.client;
    const onVisibility = () => this.reads.flush();
    document.addEventListener("visibilitychange", onVisibility);
    this.stopListening = [
      () => document.removeEventListener("visibilitychange", onVisibility),
      bindStatus(ui.status, client),
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
    const url = this.list.objectUrl(bytes, file.type);
    const view = this.list.addMine({ to, channel: "chat", file: { name: file.name, size: file.size, url } });
    const contentType = file.type || "application/octet-stream";
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

function signIn(userId: string): void {
  if (userId === "") {
    showError(ui.error, "Enter your user id.", "hint");
    return;
  }
  showError(ui.error, "");
  if (session?.userId === userId) {
    if (session.client.state === "closed") {
      session.client.connect();
    }
    return;
  }
  session?.stop();
  ui.messages.replaceChildren();
  rememberUser(userId);
  session = new ChatSession(userId, pageParams().token);
}

/** The recipient, or undefined after telling the user what is missing. */
function recipient(): string | undefined {
  const to = ui.to.value.trim();
  if (!session) {
    showError(ui.error, "Connect first.", "hint");
    return undefined;
  }
  if (to === "") {
    showError(ui.error, "Enter a recipient in To.", "hint");
    ui.to.focus();
    return undefined;
  }
  clearHint(ui.error);
  return to;
}

ui.login.addEventListener("submit", (event) => {
  event.preventDefault();
  signIn(ui.userId.value.trim());
});

ui.composer.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = ui.text.value;
  const to = text.trim() === "" ? undefined : recipient();
  if (session && to !== undefined) {
    session.sendText(to, text);
    ui.text.value = "";
  }
});

ui.text.addEventListener("input", () => session?.keystroke(ui.to.value.trim()));

ui.sendFile.addEventListener("click", () => {
  const file = ui.file.files?.[0];
  const to = recipient();
  if (!file) {
    showError(ui.error, "Choose a file first.", "hint");
  } else if (session && to !== undefined) {
    void session.sendFile(to, file);
    ui.file.value = "";
  }
});

const params = pageParams();
ui.to.value = params.to;
showStatus(ui.status, "closed");
if (params.id !== "") {
  ui.userId.value = params.id;
  signIn(params.id);
}
