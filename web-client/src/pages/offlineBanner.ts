import type { MatchbookClient } from "../client.js";

/**
 * The offline banner: shown while the connection waits to come back (state "reconnecting"), with its countdown
 * re-rendered every second from the connection's scheduled retry time. It only listens; "Retry now" is wired by the
 * page to `client.reconnectNow()`.
 */
export class OfflineBanner {
  constructor(
    private readonly banner: HTMLElement,
    private readonly client: MatchbookClient,
    private readonly renderText: (nowMs: number) => void,
  ) {}

  bind(tick: (render: () => void) => () => void): () => void {
    const render = () => this.render();
    render();
    const stops = [tick(render), this.client.on("state", render), this.client.on("log", render)];
    return () => {
      stops.forEach((stop) => stop());
      this.banner.hidden = true;
    };
  }

  private render(): void {
    const offline = this.client.state === "reconnecting";
    if (offline) {
      this.renderText(Date.now());
    }
    this.banner.hidden = !offline;
  }
}
