import { isRecord } from "../json.js";
import { element } from "./dom.js";
import { statLabel, statValueText, statsAgeText, text } from "./labels.js";

/**
 * `#stats`: every field of `GET /api/stats`, one `dt`/`dd` pair each (`dd[data-field]`, the raw value in
 * `data-value`, people's units in the text), polled every `intervalMs`; `#stats-age` says how old they are, and once a
 * poll fails or they are older than two polls, says in words that they are stale (`#stats[data-stale]`).
 */
export class StatsView {
  private readonly timer: ReturnType<typeof setInterval>;
  private updatedAt: number | undefined;
  private problem = "";

  constructor(
    private readonly area: HTMLElement,
    private readonly age: HTMLElement,
    private readonly token: () => string | undefined,
    /** Why a request would fail now (server unreachable, auth on and no token yet), or "": then none is made. */
    private readonly cannotAsk: () => Promise<string>,
    private readonly intervalMs = 2_000,
  ) {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Re-renders the age line; the page calls it every second. */
  renderAge(nowMs = Date.now()): void {
    const stale = this.updatedAt !== undefined && (this.problem !== "" || nowMs - this.updatedAt > 2 * this.intervalMs + 500);
    if (stale) {
      this.area.dataset.stale = "true";
    } else {
      delete this.area.dataset.stale;
    }
    this.age.textContent = statsAgeText(this.updatedAt, stale, this.problem, nowMs);
  }

  private async refresh(): Promise<void> {
    const problem = await this.cannotAsk();
    if (problem !== "") {
      this.problem = problem;
      this.renderAge();
      return;
    }
    const headers: Record<string, string> = { Accept: "application/json" };
    const token = this.token();
    if (token !== undefined) {
      headers.Authorization = `Bearer ${token}`;
    }
    try {
      const response = await fetch("api/stats", { headers, cache: "no-store" });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      const body: unknown = await response.json();
      if (!isRecord(body)) {
        throw new Error("not a JSON object");
      }
      this.render(body);
      this.updatedAt = Date.now();
      this.problem = "";
    } catch (error) {
      this.problem = error instanceof TypeError ? text.serverUnreachable : error instanceof Error ? error.message : String(error);
    }
    this.renderAge();
  }

  private render(stats: Record<string, unknown>): void {
    const rows: HTMLElement[] = [];
    // A group ("tcp": {...}, a cluster's sums) shows as its fields, named "group.field".
    const fields = Object.entries(stats).flatMap(([name, value]) => isRecord(value)
      ? Object.entries(value).map(([inner, innerValue]): [string, unknown] => [`${name}.${inner}`, innerValue])
      : [[name, value] as [string, unknown]]);
    for (const [name, value] of fields) {
      if (isRecord(value)) {
        continue;
      }
      const term = element("dt", "", statLabel(name));
      const description = element("dd", "", statValueText(name, value));
      description.dataset.field = name;
      description.dataset.value = typeof value === "string" ? value : JSON.stringify(value);
      rows.push(term, description);
    }
    this.area.replaceChildren(...rows);
  }
}
