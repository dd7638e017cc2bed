import type { MatchbookClient } from "../client.js";
import type { ChatMessage } from "../protocol.js";

/**
 * Sends `read` for messages addressed to me once the page is visible. Messages that arrive while the tab is
 * hidden, or while disconnected, wait until both are fine again.
 */
export class ReadMarker {
  private readonly unread = new Set<string>();

  constructor(private readonly client: MatchbookClient, private readonly isVisible: () => boolean) {}

  arrived(message: ChatMessage): void {
    if (message.broadcast || message.to !== this.client.userId) {
      return;
    }
    this.unread.add(message.id);
    this.flush();
  }

  flush(): void {
    if (!this.isVisible()) {
      return;
    }
    for (const id of [...this.unread]) {
      if (!this.client.markRead(id)) {
        return;
      }
      this.unread.delete(id);
    }
  }
}
