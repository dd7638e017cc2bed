import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { Connection } from "../src/connection.js";
import type { ConnectionOptions, StateChange } from "../src/connectionTypes.js";
import { FakeServer, fakeEnvironment } from "./fakes.js";

function setup(overrides: Partial<ConnectionOptions> = {}) {
  const server = new FakeServer();
  const env = fakeEnvironment();
  const changes: StateChange[] = [];
  const connection = new Connection({
    userId: "alice",
    socketBase: () => "ws://chat.test",
    socketFactory: server.factory,
    environment: env.environment,
    random: () => 0.5,
    ...overrides,
  });
  connection.on("state", (change) => changes.push(change));
  return { server, env, changes, connection, states: () => changes.map((c) => c.to) };
}

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 }));
afterEach(() => mock.timers.reset());

describe("opening", () => {
  test("is open only once the welcome arrives, not when the socket opens", () => {
    const { server, connection, states } = setup();
    connection.connect();
    assert.deepEqual(states(), ["connecting"]);
    server.last.open();
    assert.equal(connection.state, "connecting");
    server.last.welcome();
    assert.deepEqual(states(), ["connecting", "open"]);
  });

  test("builds the URL from the base, the user id and the resume cursor", () => {
    let cursor: number | undefined;
    const { server, connection } = setup({ userId: "al.ice_1", since: () => cursor });
    connection.connect();
    assert.equal(server.last.url, "ws://chat.test/ws?id=al.ice_1");
    server.last.welcome();
    cursor = 42;
    server.last.serverClose(1006);
    mock.timers.tick(250);
    assert.equal(server.last.url, "ws://chat.test/ws?id=al.ice_1&since=42");
  });
});

describe("after a close", () => {
  for (const code of [1006, 1001, 1011, 4008]) {
    test(`${code} moves open → reconnecting and tries again after the backoff`, () => {
      const { server, connection, changes } = setup();
      connection.connect();
      server.last.welcome();
      server.last.serverClose(code);
      assert.deepEqual(changes.at(-1), { from: "open", to: "reconnecting", cause: `closed ${code}`, code, reason: "", delayMs: 250 });
      mock.timers.tick(249);
      assert.equal(server.sockets.length, 1);
      mock.timers.tick(1);
      assert.equal(server.sockets.length, 2);
      server.last.welcome();
      assert.equal(connection.state, "open");
    });
  }

  const finalCodes: readonly [number, string][] = [
    [1000, "closed normally"],
    [1002, "protocol error: this client sent a frame the server refuses"],
    [1007, "this client sent text that is not valid UTF-8"],
    [1008, "origin not allowed"],
    [4000, "bad request (user id or resume cursor refused)"],
    [4003, "token is for another user"],
    [4030, "closed by an operator"],
  ];
  for (const [code, why] of finalCodes) {
    test(`${code} stays closed and says why: ${why}`, () => {
      const { server, connection, changes } = setup();
      connection.connect();
      server.last.welcome();
      server.last.serverClose(code, "refused");
      mock.timers.tick(120_000);
      assert.equal(server.sockets.length, 1);
      assert.deepEqual(changes.at(-1), { from: "open", to: "closed", cause: why, code, reason: "refused" });
      assert.deepEqual(connection.lastClose, { code, reason: "refused", at: 0, byClient: false });
    });
  }

  test("a provider with no token to give (auth off) adds no token parameter", async () => {
    const { server, connection } = setup({ tokenProvider: async () => "" });
    connection.connect();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(server.last.url, "ws://chat.test/ws?id=alice");
  });

  test("4001 fetches a fresh token before reconnecting", async () => {
    const calls: boolean[] = [];
    const tokens = ["t1", "t2"];
    const { server, connection } = setup({
      tokenProvider: async ({ forceRefresh }) => {
        calls.push(forceRefresh);
        return tokens[calls.length - 1] ?? "none";
      },
    });
    connection.connect();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(server.last.query("token"), "t1");
    server.last.welcome();
    server.last.serverClose(4001, "expired");
    mock.timers.tick(250);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(calls, [false, true]);
    assert.equal(server.last.query("token"), "t2");
  });

  test("retry-after-ms in the reason is the minimum delay", () => {
    const { server, connection, changes } = setup();
    connection.connect();
    server.last.welcome();
    server.last.serverClose(4029, "retry-after-ms=7000");
    assert.equal(changes.at(-1)?.delayMs, 7000);
    mock.timers.tick(6999);
    assert.equal(server.sockets.length, 1);
    mock.timers.tick(1);
    assert.equal(server.sockets.length, 2);
  });

  test("the server's retry-after also holds back the online and visibility wake-ups", () => {
    const { server, connection, env } = setup();
    connection.connect();
    server.last.welcome();
    server.last.serverClose(1001, "retry-after-ms=5000");
    env.goOnline();
    env.show();
    assert.equal(server.sockets.length, 1);
    mock.timers.tick(5000);
    assert.equal(server.sockets.length, 2);
  });
});

describe("backoff attempts", () => {
  test("keep growing while connections drop early, and reset only after minUptime", () => {
    const { server, connection, changes } = setup({ minUptimeMs: 5000 });
    const delays = () => changes.filter((c) => c.to === "reconnecting").map((c) => c.delayMs);
    connection.connect();
    server.last.welcome();
    server.last.serverClose(1006);           // attempt 0 → 250
    mock.timers.tick(250);
    server.last.welcome();
    mock.timers.tick(4999);                  // up, but not long enough
    server.last.serverClose(1006);           // attempt 1 → 500
    mock.timers.tick(500);
    server.last.welcome();
    mock.timers.tick(5000);                  // stayed up: the count resets
    server.last.serverClose(1006);           // attempt 0 again → 250
    assert.deepEqual(delays(), [250, 500, 250]);
    assert.equal(connection.attempts, 3);
  });

  test("failed attempts count too, and the diagnostics counter never resets", () => {
    const { server, connection } = setup();
    connection.connect();
    server.last.serverClose(1006);
    mock.timers.tick(250);
    server.last.serverClose(1006);
    mock.timers.tick(500);
    assert.equal(connection.attempts, 3);
    assert.equal(connection.state, "reconnecting");
  });
});

describe("timeouts", () => {
  test("a handshake without welcome is dropped after 10 s and retried", () => {
    const { server, connection, changes } = setup();
    connection.connect();
    server.last.open();
    mock.timers.tick(9999);
    assert.equal(connection.state, "connecting");
    mock.timers.tick(1);
    assert.equal(connection.state, "reconnecting");
    assert.equal(changes.at(-1)?.cause, "handshake timeout");
    assert.deepEqual(server.sockets[0]?.closedByClient, { code: 1000, reason: "handshake timeout" });
    mock.timers.tick(250);
    assert.equal(server.sockets.length, 2);
  });

  test("pings keep the connection alive; silence past heartbeat + grace drops it", () => {
    const { server, connection } = setup({ pingGraceMs: 10_000 });
    connection.connect();
    server.last.welcome({ heartbeatMs: 25_000 });
    mock.timers.tick(25_000);
    server.last.receive({ type: "ping" });
    assert.equal(connection.lastPingAt, 25_000);
    mock.timers.tick(34_999);
    assert.equal(connection.state, "open");
    mock.timers.tick(1);
    assert.equal(connection.state, "reconnecting");
    assert.equal(connection.lastClose?.byClient, true);
  });

  test("without pingGraceMs the grace is the server's heartbeatTimeoutMs from welcome", () => {
    const { server, connection } = setup();
    connection.connect();
    server.last.welcome({ heartbeatMs: 25_000, heartbeatTimeoutMs: 3_000 });
    mock.timers.tick(27_999);
    assert.equal(connection.state, "open");
    mock.timers.tick(1);
    assert.equal(connection.state, "reconnecting");
    assert.equal(connection.lastClose?.byClient, true);
  });

  test("late events of an abandoned socket change nothing", () => {
    const { server, connection, states } = setup();
    connection.connect();
    const first = server.last;
    first.open();
    mock.timers.tick(10_000);                // handshake timeout: first is abandoned
    first.serverClose(4003, "late");
    first.welcome();
    assert.deepEqual(states(), ["connecting", "reconnecting"]);
  });
});

describe("wake-ups and manual control", () => {
  test("coming online while waiting out a backoff reconnects at once", () => {
    const { server, connection, env } = setup({ random: () => 0.99 });
    connection.connect();
    server.last.welcome();
    server.last.serverClose(1006);
    env.goOnline();
    assert.equal(server.sockets.length, 2);
  });

  test("the page becoming visible reconnects at once, but not when already open", () => {
    const { server, connection, env } = setup();
    connection.connect();
    server.last.welcome();
    env.show();
    assert.equal(server.sockets.length, 1);
    server.last.serverClose(1011);
    env.hide();
    assert.equal(server.sockets.length, 1);
    env.show();
    assert.equal(server.sockets.length, 2);
  });

  test("reconnectNow drops an open socket and connects again at once", () => {
    const { server, connection, states } = setup();
    connection.connect();
    server.last.welcome();
    connection.reconnectNow();
    assert.equal(server.sockets.length, 2);
    server.last.welcome();
    assert.deepEqual(states(), ["connecting", "open", "reconnecting", "open"]);
    assert.deepEqual(connection.lastClose, { code: 1000, reason: "manual reconnect", at: 0, byClient: true });
  });

  test("a socket that cannot even be created counts as a failed attempt", () => {
    let calls = 0;
    const { connection, changes } = setup({
      socketFactory: () => {
        calls++;
        throw new SyntaxError("bad URL");
      },
    });
    connection.connect();
    assert.equal(connection.state, "reconnecting");
    assert.equal(changes.at(-1)?.cause, "socket not created");
    mock.timers.tick(250);
    assert.equal(calls, 2);
  });

  test("close() is for good: no retry, even when the network comes back", () => {
    const { server, connection, env } = setup();
    connection.connect();
    server.last.welcome();
    connection.close();
    env.goOnline();
    mock.timers.tick(60_000);
    assert.equal(server.sockets.length, 1);
    assert.equal(connection.state, "closed");
    assert.deepEqual(server.last.closedByClient, { code: 1000, reason: "client closed" });
  });
});
