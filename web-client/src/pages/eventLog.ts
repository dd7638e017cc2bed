import type { LogEntry } from "../connectionTypes.js";
import { element } from "./dom.js";

/** `#log`: one `li` per event, oldest first, bounded so a long-open panel does not grow without end. */
export class EventLog {
  constructor(private readonly list: HTMLElement, private readonly maxEntries = 500) {}

  add(entry: LogEntry): void {
    const item = element("li", "log-entry");
    item.dataset.event = entry.event;
    const time = element("time", "", new Date(entry.at).toISOString().slice(11, 23));
    time.dateTime = new Date(entry.at).toISOString();
    item.append(time, " ", element("span", "event", entry.event));
    if (entry.detail !== "") {
      item.append(" ", element("span", "detail", entry.detail));
    }
    const atBottom = this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
    this.list.append(item);
    while (this.list.childElementCount > this.maxEntries) {
      this.list.firstElementChild?.remove();
    }
    if (atBottom) {
      this.list.scrollTop = this.list.scrollHeight;
    }
  }
}
