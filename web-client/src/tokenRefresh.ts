import { jwtExpiryMs } from "./jwt.js";
import { Timer } from "./timer.js";

/**
 * Fetches a fresh token shortly before the current one expires and hands it over (the connection sends it
 * as an `auth` frame). If no fresh token comes, the server closes with 4001 at expiry and the reconnect asks
 * the provider again, so a failure here is only reported.
 */
export class TokenRefresher {
  private readonly timer = new Timer();
  /** Bumped by schedule and cancel, so a refresh that resolves after either is ignored. */
  private epoch = 0;

  constructor(
    private readonly provider: () => Promise<string>,
    private readonly aheadMs: number,
    private readonly onToken: (token: string) => void,
    private readonly onFailure: (error: unknown) => void,
  ) {}

  /** Plans the refresh for `token`; does nothing for a token without `exp`. */
  schedule(token: string): void {
    const epoch = ++this.epoch;
    const expiresAtMs = jwtExpiryMs(token);
    if (expiresAtMs === undefined) {
      this.timer.clear();
      return;
    }
    // At least a second, so a provider that keeps returning nearly expired tokens cannot spin.
    const delayMs = Math.max(1_000, expiresAtMs - Date.now() - this.aheadMs);
    this.timer.start(delayMs, () => {
      this.provider().then(
        (fresh) => {
          if (epoch === this.epoch) {
            this.onToken(fresh);
            this.schedule(fresh);
          }
        },
        (error: unknown) => {
          if (epoch === this.epoch) {
            this.onFailure(error);
          }
        },
      );
    });
  }

  cancel(): void {
    this.epoch++;
    this.timer.clear();
  }
}
