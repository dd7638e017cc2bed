import type { MatchbookClient } from "../client.js";
import type { ChatMessage } from "../protocol.js";
import { ClientConfigSource } from "./clientConfig.js";
import { byId, clearHint, showError } from "./dom.js";
import { text as words, offlineCountdown, stoppedText } from "./labels.js";
import { MessageList, type OwnMessageView } from "./messageList.js";
import { OfflineBanner } from "./offlineBanner.js";
import { ReadMarker } from "./readMarker.js";
import { ConversationHistory } from "./conversationHistory.js";
import { ConversationList } from "./conversationList.js";
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
  loadOlder: byId("load-older", HTMLButtonElement),
  layout: byId("layout", HTMLElement),
  conversationList: byId("conversation-list", HTMLElement),
  noConversations: byId("no-conversations", HTMLElement),
  toList: byId("to-list", HTMLButtonElement),
  block: byId("block", HTMLButtonElement),
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
  private history: ConversationHistory | undefined;
  private readonly conversations: ConversationList;

  constructor(readonly userId: string, token: string) {
    this.client = createClient(userId, token, config, { shareTabs: true });
    const failed = (error: unknown) =>
      showError(ui.error, words.editFailed(error instanceof Error ? error.message : String(error)));
    this.list = new MessageList(ui.messages, userId, {
      edit: (id, text) => void this.client.edit(id, text).catch(failed),
      remove: (id) => void this.client.delete(id).catch(failed),
    });
    this.conversations = new ConversationList(ui.conversationList, userId, (other) => this.choose(other));
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
        this.conversations.arrived(message);
        ui.noConversations.hidden = true;
      }),
      client.on("receipt", (receipt) => this.list.applyReceipt(receipt)),
      client.on("update", (update) => {
        this.list.applyUpdate(update);
        this.conversations.updated(update);
      }),
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
          void this.refreshConversations();
          void config.load(); // the limits, if the server was down when the page loaded
        }
      }),
    ];
    client.connect();
  }

  sendText(to: string, text: string): void {
    const view = this.list.addMine({ to, channel: "chat", text });
    this.notifier.stop();
    this.track(view, this.client.send(to, text), { to, text });
  }

  async sendFile(to: string, file: File): Promise<void> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const contentType = file.type || "application/octet-stream";
    const url = this.list.objectUrl(bytes, contentType);
    const view = this.list.addMine({ to, channel: "chat", file: { name: file.name, size: file.size, contentType, url } });
    this.track(view, this.client.sendFile(to, { name: file.name, contentType, bytes }),
               { to, file: { name: file.name, size: file.size, contentType } });
  }

  /** The server's conversation list (unread counts, last messages), merged with what arrived live meanwhile. */
  async refreshConversations(): Promise<void> {
    try {
      const entries = await this.client.conversations(200);
      this.conversations.load(entries);
      ui.noConversations.hidden = entries.length > 0 || ui.conversationList.childElementCount > 0;
    } catch (error: unknown) {
      showError(ui.error, words.historyFailed(error instanceof Error ? error.message : String(error)));
    }
  }

  /** A conversation picked in the list: only its messages show, and the composer writes to that person. */
  choose(other: string): void {
    ui.to.value = other;
    rememberParams({ to: other });
    updateLinks();
    this.conversations.select(other);
    this.list.showOnly(other);
    ui.layout.dataset.view = "chat";
    this.openConversation(other);
    ui.text.focus();
  }

  /**
   * Shows the conversation with `other`: its newest page from the server (so a reload shows both people's messages),
   * older pages on "Load older" or on scrolling to the top. The list keeps what it shows (messages from others stay,
   * none is shown twice): one list for all conversations until the page has a conversation list.
   */
  openConversation(other: string): void {
    const client = this.client;
    this.history = other === "" ? undefined
      : new ConversationHistory(other, (name, query) => client.history(name, query));
    ui.loadOlder.hidden = true;
    void this.loadOlder(true);
    void this.showBlock(other);
  }

  /** The header's Block / Unblock button for `other` (docs/protocol.md, Blocking), "Unblock" while I block them. */
  private async showBlock(other: string): Promise<void> {
    ui.block.hidden = true;
    if (other === "") {
      return;
    }
    try {
      const blocked = await this.client.blocked();
      if (ui.to.value.trim() === other) {
        renderBlock(other, blocked.includes(other));
      }
    } catch (error: unknown) {
      showError(ui.error, words.blockFailed(error instanceof Error ? error.message : String(error)));
    }
  }

  async toggleBlock(): Promise<void> {
    const other = ui.block.dataset.with ?? "";
    const block = ui.block.dataset.blocked !== "true";
    try {
      await (block ? this.client.block(other) : this.client.unblock(other));
      renderBlock(other, block);
    } catch (error: unknown) {
      showError(ui.error, words.blockFailed(error instanceof Error ? error.message : String(error)));
    }
  }

  async loadOlder(newest = false): Promise<void> {
    const history = this.history;
    if (!history) {
      return;
    }
    try {
      const page = await history.older();
      if (!page || history !== this.history) {
        return;
      }
      const before = ui.messages.scrollHeight - ui.messages.scrollTop;
      this.list.prepend(page.messages);
      // Shown now: the newest message from the other person among them is read (one coalesced, cumulative frame).
      page.messages.forEach((message) => this.reads.arrived(message));
      // The button first: showing or hiding it changes the list's height, which the scroll position must allow for.
      ui.loadOlder.hidden = !history.hasMore;
      // Newest page: show the bottom; an older page: keep what the reader was looking at in place.
      ui.messages.scrollTop = newest ? ui.messages.scrollHeight : ui.messages.scrollHeight - before;
    } catch (error: unknown) {
      showError(ui.error, words.historyFailed(error instanceof Error ? error.message : String(error)));
    }
  }

  editLast(): boolean {
    return this.list.editLast();
  }

  keystroke(to: string): void {
    this.notifier.keystroke(to);
  }

  stop(): void {
    this.notifier.stop();
    this.stopListening.forEach((stop) => stop());
    this.typing.dispose();
    this.reads.dispose();
    this.client.close();
    this.list.dispose();
  }

  /**
   * Follows one send; once acked it is also this conversation's last message in the list (the sending tab may get no
   * sender copy of its own send from the client, which matches copies to pending sends).
   */
  private track(view: OwnMessageView, sent: Promise<{ id: string }>,
                what: Pick<ChatMessage, "to" | "text" | "file">): void {
    sent.then(
      (ack) => {
        view.acked(ack.id);
        this.conversations.arrived({
          type: "message", id: ack.id, channel: "chat", from: this.userId, sentAt: new Date().toISOString(),
          broadcast: false, ...what,
        });
        ui.noConversations.hidden = true;
      },
      (error: unknown) => view.failed(error instanceof Error ? error.message : String(error)),
    );
  }
}

function renderBlock(other: string, blocked: boolean): void {
  ui.block.dataset.with = other;
  ui.block.textContent = blocked ? words.unblock(other) : words.block(other);
  ui.block.dataset.blocked = String(blocked);
  ui.block.hidden = false;
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
  session.openConversation(ui.to.value.trim());
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

// Up in an empty message field edits my newest message, as in most chat apps; Escape in the editor cancels.
ui.text.addEventListener("keydown", (event) => {
  if (event.key === "ArrowUp" && ui.text.value === "" && session?.editLast()) {
    event.preventDefault();
  }
});

ui.to.addEventListener("change", () => {
  const to = ui.to.value.trim();
  if (to !== pageParams().to) {
    session?.openConversation(to);
  }
  rememberParams({ to });
  updateLinks();
});

ui.loadOlder.textContent = words.loadOlder;
ui.block.addEventListener("click", () => void session?.toggleBlock());
ui.toList.addEventListener("click", () => {
  ui.layout.dataset.view = "list";
  ui.conversationList.querySelector<HTMLButtonElement>("button")?.focus();
});
ui.loadOlder.addEventListener("click", () => void session?.loadOlder());
ui.messages.addEventListener("scroll", () => {
  if (ui.messages.scrollTop < 20 && !ui.loadOlder.hidden) {
    void session?.loadOlder();
  }
});
// The list's box changes size when the Block button, the offline banner, the typing line or a phone's keyboard come
// and go; a reader at the newest message stays there rather than losing it under the composer. Judged with the height
// the list had before (a resize moves neither the content nor scrollTop), not by a scroll event that may already see
// the new height.
let listHeight = ui.messages.clientHeight;
new ResizeObserver(() => {
  const before = listHeight;
  listHeight = ui.messages.clientHeight;
  if (ui.messages.scrollHeight - ui.messages.scrollTop - before < 40) {
    ui.messages.scrollTop = ui.messages.scrollHeight;
  }
}).observe(ui.messages);

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
