import type { TypingState } from "../protocol.js";
import { typingText } from "./labels.js";
import { Timer } from "../timer.js";

/**
 * Who is typing to me, as the words `#typing` shows ("" hides it). A `start` without a `stop` (a closed
 * tab, a lost frame) expires after `silenceMs`.
 */
export class TypingIndicator {
  private readonly typers = new Map<string, Timer>();

  constructor(private readonly show: (text: string) => void, private readonly silenceMs = 5_000) {
    this.render();
  }

  update(from: string, state: TypingState): void {
    if (state === "start") {
      const timer = this.typers.get(from) ?? new Timer();
      this.typers.set(from, timer);
      timer.start(this.silenceMs, () => this.update(from, "stop"));
    } else {
      this.typers.get(from)?.clear();
      this.typers.delete(from);
    }
    this.render();
  }

  dispose(): void {
    this.typers.forEach((timer) => timer.clear());
    this.typers.clear();
    this.render();
  }

  private render(): void {
    this.show(typingText([...this.typers.keys()]));
  }
}

/**
 * Tells the recipient I am typing: `start` on the first keystroke (repeated every `repeatMs` while typing
 * goes on, so the other side's silence timeout does not hide it), `stop` after `idleMs` without a keystroke
 * or when the message is sent.
 */
export class TypingNotifier {
  private readonly idle = new Timer();
  private target: string | undefined;
  private lastStartMs = 0;

  constructor(
    private readonly send: (to: string, state: TypingState) => void,
    private readonly idleMs = 3_000,
    private readonly repeatMs = 3_000,
  ) {}

  keystroke(to: string): void {
    if (to === "") {
      return;
    }
    if (this.target !== undefined && this.target !== to) {
      this.stop();
    }
    const now = Date.now();
    if (this.target === undefined || now - this.lastStartMs >= this.repeatMs) {
      this.send(to, "start");
      this.lastStartMs = now;
    }
    this.target = to;
    this.idle.start(this.idleMs, () => this.stop());
  }

  stop(): void {
    this.idle.clear();
    if (this.target !== undefined) {
      this.send(this.target, "stop");
      this.target = undefined;
    }
  }
}
