import { isRecord } from "../json.js";
import { element } from "./dom.js";

/** `#stats`: every field of `GET /api/stats`, one `dt`/`dd` pair each, refreshed by polling. */
export class StatsView {
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly area: HTMLElement,
    private readonly token: () => string | undefined,
    intervalMs = 2_000,
  ) {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    const headers: Record<string, string> = { Accept: "application/json" };
    const token = this.token();
    if (token !== undefined) {
      headers.Authorization = `Bearer ${token}`;
    }
    try {
      const response = await fetch(new URL("api/stats", location.origin), { headers, cache: "no-store" });
      if (!response.ok) {
        throw new Error(`HTTP ${response.status}`);
      }
      const body: unknown = await response.json();
      if (!isRecord(body)) {
        throw new Error("not a JSON object");
      }
      this.render(body);
    } catch (error) {
      this.area.dataset.error = "true";
      this.area.title = `stats unavailable: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private render(stats: Record<string, unknown>): void {
    const rows: HTMLElement[] = [];
    for (const [name, value] of Object.entries(stats)) {
      const term = element("dt", "", name);
      const description = element("dd", "", typeof value === "string" ? value : JSON.stringify(value));
      description.dataset.field = name;
      rows.push(term, description);
    }
    this.area.replaceChildren(...rows);
    delete this.area.dataset.error;
    this.area.title = "";
  }
}
