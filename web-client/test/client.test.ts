import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { encodeBinaryFrame } from "../src/binaryCodec.js";
import { type ClientError, type ClientOptions, MatchbookClient } from "../src/client.js";
import type { ChatMessage } from "../src/protocol.js";
import { FakeServer, aliceOptions, message, settle } from "./fakes.js";

function setup(overrides: Partial<ClientOptions> = {}) {
  const server = new FakeServer();
  const client = new MatchbookClient(aliceOptions(server, { sendTimeoutMs: 15_000, ...overrides }));
  const received: ChatMessage[] = [];
  const errors: ClientError[] = [];
  client.on("message", (m) => received.push(m));
  client.on("error", (e) => errors.push(e));
  return { server, client, received, errors };
}

function jwt(payload: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "HS256" })}.${encode(payload)}.signature`;
}

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 }));
afterEach(() => mock.timers.reset());

describe("send", () => {
  test("resolves with the ack that carries the same ref", async () => {
    const { server, client } = setup();
    client.connect();
    server.last.welcome();
    const sent = client.send("bob", "hi");
    const frame = server.last.frames().at(-1);
    assert.match(String(frame?.key), /^[A-Za-z0-9._:-]{1,64}$/);
    assert.deepEqual({ ...frame, ref: "?", key: "?" }, { type: "send", ref: "?", key: "?", to: "bob", channel: "chat", text: "hi" });
    server.last.receive({ type: "ack", ref: "other", id: "x", seq: 1 });
    server.last.receive({ type: "ack", ref: frame?.ref, id: "m1", seq: 7 });
    assert.deepEqual(await sent, { type: "ack", ref: frame?.ref, id: "m1", seq: 7 });
  });

  test("rejects on an error frame with its ref, and the page hears about the error", async () => {
    const { server, client, errors } = setup();
    client.connect();
    server.last.welcome();
    const sent = client.send("bob", { data: { like: true } }, "matches");
    const ref = server.last.frames().at(-1)?.ref;
    server.last.receive({ type: "error", code: "too_large", message: "text over 65536 bytes", ref });
    await assert.rejects(sent, { name: "SendError", code: "too_large", message: "text over 65536 bytes" });
    assert.equal(errors[0]?.fatal, false);
  });

  test("sends made while disconnected wait and go out in order on open", () => {
    const { server, client } = setup();
    void client.send("bob", "one");
    void client.send("bob", "two");
    client.connect();
    assert.deepEqual(server.last.frames(), []);
    server.last.welcome();
    assert.deepEqual(server.last.frames().map((f) => f.text), ["one", "two"]);
  });

  test("a send written but not acked when the connection drops is resent with the same ref and key", async () => {
    const { server, client } = setup();
    client.connect();
    server.last.welcome();
    const sent = client.send("bob", "maybe");
    const first = server.last.frames().at(-1);
    server.last.serverClose(1006);
    mock.timers.tick(250);
    server.last.welcome();
    const again = server.last.frames().filter((f) => f.type === "send");
    assert.deepEqual(again, [first]);
    server.last.receive({ type: "ack", ref: first?.ref, id: "m1", seq: 3 });
    assert.equal((await sent).id, "m1");
  });

  test("a written send with no answer gives up after the timeout; a queued one waits for a connection", async () => {
    const { server, client } = setup();
    const queued = client.send("bob", "waits");
    mock.timers.tick(60_000);
    client.connect();
    server.last.welcome();
    assert.deepEqual(server.last.frames().map((f) => f.text), ["waits"]);
    mock.timers.tick(15_000);
    await assert.rejects(queued, { code: "timeout" });
  });

  test("a file goes out as one binary frame: length, header with name and type, bytes", () => {
    const { server, client } = setup();
    client.connect();
    server.last.welcome();
    void client.sendFile("bob", { name: "a.txt", contentType: "text/plain", bytes: Uint8Array.of(104, 105) });
    const frame = server.last.sent.at(-1);
    assert.ok(frame instanceof ArrayBuffer);
    const bytes = new Uint8Array(frame);
    const headerLength = new DataView(frame).getUint32(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)));
    assert.deepEqual({ ...header, ref: "?", key: "?" }, { type: "send", ref: "?", key: "?", to: "bob", channel: "chat", name: "a.txt", contentType: "text/plain" });
    assert.deepEqual([...bytes.subarray(4 + headerLength)], [104, 105]);
  });
});

describe("receiving", () => {
  test("channel handlers get only their channel; 'message' gets all", () => {
    const { server, client, received } = setup();
    const matches: string[] = [];
    client.on("matches", (m) => matches.push(m.id));
    client.connect();
    server.last.welcome({ lastSeq: 0 });
    server.last.receive(message(1, { channel: "chat" }));
    server.last.receive(message(2, { id: "match-2", channel: "matches" }));
    assert.deepEqual(matches, ["match-2"]);
    assert.deepEqual(received.map((m) => m.id), ["m1", "match-2"]);
  });

  test("a binary message arrives as a file with its name, type, size and bytes", () => {
    const { server, client, received } = setup();
    client.connect();
    server.last.welcome({ lastSeq: 0 });
    const header = { ...message(1), text: undefined, name: "photo.png", contentType: "image/png", size: 3 };
    server.last.receive(encodeBinaryFrame(header, Uint8Array.of(1, 2, 3)));
    assert.equal(received.length, 1);
    assert.equal(received[0]?.file?.name, "photo.png");
    assert.equal(received[0]?.file?.contentType, "image/png");
    assert.deepEqual([...(received[0]?.file?.bytes ?? [])], [1, 2, 3]);
  });

  test("reconnects with since = the last seq it delivered, and confirms it with received", () => {
    const { server, client } = setup();
    client.connect();
    assert.equal(server.last.query("since"), null);
    server.last.welcome({ lastSeq: 0 });
    server.last.receive(message(1));
    server.last.receive(message(2));
    mock.timers.tick(200);
    assert.deepEqual(server.last.frames().at(-1), { type: "received", seq: 2 });
    server.last.serverClose(1006);
    mock.timers.tick(250);
    assert.equal(server.last.query("since"), "2");
  });

  test("a gap resyncs over HTTP with the bearer token", async () => {
    const requests: { url: string; auth: string | null }[] = [];
    const { server, client, received } = setup({
      tokenProvider: async () => "tok",
      fetchImpl: async (input, init) => {
        const url = new URL(String(input));
        requests.push({ url: url.href, auth: new Headers(init?.headers).get("Authorization") });
        const since = Number(url.searchParams.get("since"));
        const retained = [message(1), message(2), message(3)].filter((m) => Number(m.seq) > since);
        return Response.json({ messages: retained, lastSeq: 3, complete: true });
      },
    });
    client.connect();
    await settle();
    server.last.welcome({ lastSeq: 0 });
    server.last.receive(message(1));
    server.last.receive(message(3));
    await settle();
    assert.deepEqual(requests, [{ url: "http://chat.test/api/users/alice/messages?since=1&limit=100", auth: "Bearer tok" }]);
    assert.deepEqual(received.map((m) => m.seq), [1, 2, 3]);
  });
});

describe("stopping and tokens", () => {
  test("4003 stops the client and tells the page why", () => {
    const { server, client, errors } = setup();
    client.connect();
    server.last.welcome();
    server.last.serverClose(4003, "token is for bob");
    assert.equal(client.state, "closed");
    assert.deepEqual(errors, [{ code: "4003", message: "token is for bob", fatal: true }]);
    assert.equal(client.diagnostics().lastClose?.code, 4003);
  });

  test("refreshes the token with an auth frame 30 s before it expires", async () => {
    let issued = 0;
    const { server, client } = setup({
      tokenProvider: async () => jwt({ sub: "alice", exp: 100 * ++issued }),
    });
    client.connect();
    await settle();
    server.last.welcome({ heartbeatMs: 600_000 });
    mock.timers.tick(69_999);
    await settle();
    assert.deepEqual(server.last.frames(), []);
    mock.timers.tick(1);
    await settle();
    assert.deepEqual(server.last.frames(), [{ type: "auth", token: jwt({ sub: "alice", exp: 200 }) }]);
  });

  test("markRead, typing and subscribe write their frames; subscribe is repeated on every connection", () => {
    const { server, client } = setup();
    client.subscribe(["matches"]);
    client.connect();
    server.last.welcome();
    assert.equal(client.markRead("m1"), true);
    assert.equal(client.typing("bob", "start"), true);
    assert.deepEqual(server.last.frames(), [
      { type: "subscribe", channels: ["matches"] },
      { type: "read", id: "m1" },
      { type: "typing", to: "bob", state: "start" },
    ]);
    server.last.serverClose(1011);
    assert.equal(client.markRead("m2"), false);
    mock.timers.tick(250);
    server.last.welcome();
    assert.deepEqual(server.last.frames(), [{ type: "subscribe", channels: ["matches"] }]);
  });
});
