import { isRecord } from "../json.js";

/** `GET /api/client-config`: what the server tells its pages before they connect. */
export interface ClientConfig {
  authRequired: boolean;
  devTokens: boolean;
  /** A whole text frame, UTF-8 (PROTOCOL.md `matchbook.max-text-bytes`). */
  maxTextBytes: number;
  /** A binary message's payload (`matchbook.max-binary-bytes`). */
  maxBinaryBytes: number;
}

/** The contract's defaults: what the page assumes until the server has answered. */
export const defaultConfig: ClientConfig = {
  authRequired: false, devTokens: false, maxTextBytes: 65_536, maxBinaryBytes: 1_048_576,
};

/**
 * The server's answer, asked once and kept; a failed request (server down while the page loads) is asked again by
 * the next caller rather than remembered.
 */
export class ClientConfigSource {
  private answer: ClientConfig | undefined;
  private pending: Promise<ClientConfig | undefined> | undefined;

  constructor(private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {}

  /** The last answer, or the defaults until there is one. */
  get current(): ClientConfig { return this.answer ?? defaultConfig; }
  get known(): boolean { return this.answer !== undefined; }

  /** The answer, asking the server if it has not answered yet; undefined when it cannot be reached. */
  load(): Promise<ClientConfig | undefined> {
    if (this.answer) {
      return Promise.resolve(this.answer);
    }
    this.pending ??= this.ask().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async ask(): Promise<ClientConfig | undefined> {
    try {
      const response = await this.fetchImpl("api/client-config", { cache: "no-store", headers: { Accept: "application/json" } });
      const body: unknown = response.ok ? await response.json() : undefined;
      if (!isRecord(body)) {
        return undefined;
      }
      const number = (value: unknown, fallback: number) => typeof value === "number" && value > 0 ? value : fallback;
      this.answer = {
        authRequired: body.authRequired === true,
        devTokens: body.devTokens === true,
        maxTextBytes: number(body.maxTextBytes, defaultConfig.maxTextBytes),
        maxBinaryBytes: number(body.maxBinaryBytes, defaultConfig.maxBinaryBytes),
      };
      return this.answer;
    } catch {
      return undefined;
    }
  }
}
