import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { type ClientError, type ClientOptions, MatchbookClient } from "../src/client.js";
import { ApiError } from "../src/conversations.js";
import type { ChatMessage, UpdateFrame } from "../src/protocol.js";
import { FakeServer, aliceOptions, message, settle } from "./fakes.js";

/** The user is alice; `message()` from fakes.ts is bob → alice. */
function setup(overrides: Partial<ClientOptions> = {}) {
  const server = new FakeServer();
  const client = new MatchbookClient(aliceOptions(server, overrides));
  const received: ChatMessage[] = [];
  const updates: UpdateFrame[] = [];
  const errors: ClientError[] = [];
  client.on("message", (m) => received.push(m));
  client.on("update", (u) => updates.push(u));
  client.on("error", (e) => errors.push(e));
  return { server, client, received, updates, errors };
}

function mine(seq: number, id: string, text: string): Record<string, unknown> {
  return message(seq, { id, from: "alice", to: "bob", text });
}

function update(seq: number, id: string, action: "edit" | "delete", fields: Record<string, unknown> = {}) {
  return { type: "update", seq, id, action, from: "bob", to: "alice", at: "2026-11-30T10:01:00Z", ...fields };
}

/** An HTTP stand-in: answers by path, records what was asked. */
function http(routes: Record<string, () => Response>) {
  const requests: { method: string; url: string; auth: string | null }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    requests.push({ method: init?.method ?? "GET", url: url.pathname + url.search, auth: new Headers(init?.headers).get("Authorization") });
    const route = routes[`${init?.method ?? "GET"} ${url.pathname}`];
    return route ? route() : Response.json({ error: "not_found", message: "no such route" }, { status: 404 });
  };
  return { requests, fetchImpl };
}

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 }));
afterEach(() => mock.timers.reset());

describe("idempotent sends", () => {
  test("every send has its own key; a dropped connection resends the same frame; the message shows once", async () => {
    const { server, client, received } = setup();
    const view = client.conversation("bob");
    client.connect();
    server.last.welcome({ lastSeq: 0 });
    const sent = view.send("hello");
    void client.send("bob", "second");
    const [first, second] = server.last.frames().filter((f) => f.type === "send");
    assert.notEqual(first?.key, second?.key);
    // Stored (its sender copy went out) but the ack was lost with the connection.
    server.last.receive(mine(1, "m1", "hello"));
    server.last.serverClose(1006);
    mock.timers.tick(250);
    server.last.welcome({ lastSeq: 1 });
    const resent = server.last.frames().filter((f) => f.type === "send");
    assert.deepEqual(resent, [first, second]);
    server.last.receive(mine(1, "m1", "hello")); // a replay overlapping what arrived before the drop
    server.last.receive({ type: "ack", ref: first?.ref, id: "m1", seq: 4 });
    assert.equal((await sent).id, "m1");
    await settle();
    assert.deepEqual(received.map((m) => m.id), ["m1"]);
    assert.deepEqual(view.messages().map((m) => m.text), ["hello"]);
    assert.deepEqual(view.pending(), []);
  });

  test("the sender copy is not shown twice with the local echo, whichever comes first", async () => {
    const { server, client } = setup();
    const view = client.conversation("bob");
    client.connect();
    server.last.welcome({ lastSeq: 0 });

    const a = view.send("ack first");
    assert.deepEqual(view.pending().map((p) => [p.text, p.status]), [["ack first", "sending"]]);
    const refA = server.last.frames().at(-1)?.ref;
    server.last.receive({ type: "ack", ref: refA, id: "ma", seq: 1 });
    await a;
    assert.equal(view.pending().length, 1); // still the echo: the copy has not come yet
    server.last.receive(mine(1, "ma", "ack first"));

    const b = view.send("copy first");
    const refB = server.last.frames().at(-1)?.ref;
    server.last.receive(mine(2, "mb", "copy first"));
    server.last.receive({ type: "ack", ref: refB, id: "mb", seq: 2 });
    await b;
    await settle();

    assert.deepEqual(view.messages().map((m) => m.id), ["ma", "mb"]);
    assert.deepEqual(view.pending(), []);
  });

  test("idempotency_key_reused and blocked reject the send with their code; the echo shows it failed", async () => {
    const { server, client } = setup();
    const view = client.conversation("bob");
    client.connect();
    server.last.welcome();
    const reused = client.send("bob", "x");
    const blocked = view.send("y");
    const [one, two] = server.last.frames().filter((f) => f.type === "send");
    server.last.receive({ type: "error", code: "idempotency_key_reused", message: "key used for another message", ref: one?.ref });
    server.last.receive({ type: "error", code: "blocked", message: "blocked", ref: two?.ref });
    await assert.rejects(reused, { name: "SendError", code: "idempotency_key_reused" });
    await assert.rejects(blocked, { name: "SendError", code: "blocked" });
    await settle();
    assert.deepEqual(view.pending().map((p) => [p.text, p.status, p.errorCode]), [["y", "failed", "blocked"]]);
  });
});

describe("edit, delete and updates", () => {
  test("edit and delete write their frames and settle on ack or error", async () => {
    const { server, client } = setup();
    client.connect();
    server.last.welcome();
    const edited = client.edit("m1", "better");
    const deleted = client.delete("m2");
    const [edit, del] = server.last.frames();
    assert.deepEqual({ ...edit, ref: "?" }, { type: "edit", ref: "?", id: "m1", text: "better" });
    assert.deepEqual({ ...del, ref: "?" }, { type: "delete", ref: "?", id: "m2" });
    server.last.receive({ type: "ack", ref: edit?.ref, id: "m1", seq: 9 });
    server.last.receive({ type: "error", code: "not_found", message: "not yours", ref: del?.ref });
    assert.equal((await edited).id, "m1");
    await assert.rejects(deleted, { code: "not_found" });
  });

  test("updates take their seq in order (no gap) and change the held message in place", async () => {
    const { server, client, received, updates } = setup({
      fetchImpl: http({
        "GET /api/users/alice/conversations/bob/messages": () =>
          Response.json({ messages: [message(1), mine(2, "m2", "mine")], more: false }),
      }).fetchImpl,
    });
    const view = client.conversation("bob");
    let changes = 0;
    view.onChange(() => changes++);
    client.connect();
    server.last.welcome({ lastSeq: 0 });
    server.last.receive(message(1));
    server.last.receive(mine(2, "m2", "mine"));
    await view.loadOlder();
    assert.deepEqual(view.messages().map((m) => m.id), ["m1", "m2"]);
    server.last.receive(update(3, "m1", "edit", { text: "hello, edited" }));
    server.last.receive(update(4, "m2", "delete", { from: "alice", to: "bob" }));
    server.last.receive(message(5));
    assert.deepEqual(updates.map((u) => [u.seq, u.action]), [[3, "edit"], [4, "delete"]]);
    assert.deepEqual(received.map((m) => m.seq), [1, 2, 5]);
    assert.equal(client.diagnostics().gaps, 0);
    const [m1, m2, m5] = view.messages();
    assert.equal(m1?.text, "hello, edited");
    assert.equal(m1?.edited, true);
    assert.equal(m2?.deleted, true);
    assert.equal(m2?.text, undefined);
    assert.equal(m5?.id, "m5");
    assert.ok(changes >= 4);
    mock.timers.tick(200);
    assert.deepEqual(server.last.frames().at(-1), { type: "received", seq: 5 });
  });

  test("a resync page may list updates beside messages: both are delivered in seq order", async () => {
    const { server, client, received, updates } = setup({
      fetchImpl: async () => Response.json({
        messages: [message(2), update(3, "m1", "edit", { text: "fixed" })], lastSeq: 3, complete: true,
      }),
    });
    client.connect();
    server.last.welcome({ lastSeq: 0 });
    server.last.receive(message(1));
    server.last.receive(message(4));
    await settle();
    assert.deepEqual(received.map((m) => m.seq), [1, 2, 4]);
    assert.deepEqual(updates.map((u) => [u.seq, u.text]), [[3, "fixed"]]);
  });

  test("an update replayed after a reconnect is applied once", () => {
    const { server, client, updates } = setup();
    client.connect();
    server.last.welcome({ lastSeq: 0 });
    server.last.receive(message(1));
    server.last.receive(update(2, "m1", "delete"));
    server.last.serverClose(1001);
    mock.timers.tick(250);
    assert.equal(server.last.query("since"), "2");
    server.last.welcome({ lastSeq: 2 });
    server.last.receive(update(2, "m1", "delete"));
    assert.equal(updates.length, 1);
  });
});

describe("conversations over HTTP", () => {
  test("the list, a page before a seq, and blocks go to the contract's endpoints with the bearer token", async () => {
    const server = http({
      "GET /api/users/alice/conversations": () => Response.json({
        conversations: [{ with: "bob", last: message(7), unread: 2, blocked: false }, { with: "carol", unread: 0, blocked: true }],
      }),
      "GET /api/users/alice/conversations/bob/messages": () => Response.json({ messages: [message(3)], more: true }),
      "PUT /api/users/alice/blocks/bob": () => new Response(null, { status: 204 }),
      "DELETE /api/users/alice/blocks/bob": () => new Response(null, { status: 204 }),
      "GET /api/users/alice/blocks": () => Response.json({ blocked: ["carol"] }),
    });
    const { client } = setup({ fetchImpl: server.fetchImpl, tokenProvider: async () => "tok" });

    const list = await client.conversations();
    assert.deepEqual(list.map((c) => [c.with, c.last?.id, c.unread, c.blocked]), [["bob", "m7", 2, false], ["carol", undefined, 0, true]]);
    const page = await client.history("bob", { before: 7, limit: 20 });
    assert.deepEqual([page.messages.map((m) => m.seq), page.more], [[3], true]);
    await client.block("bob");
    await client.unblock("bob");
    assert.deepEqual(await client.blocked(), ["carol"]);
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.url} ${r.auth}`), [
      "GET /api/users/alice/conversations Bearer tok",
      "GET /api/users/alice/conversations/bob/messages?before=7&limit=20 Bearer tok",
      "PUT /api/users/alice/blocks/bob Bearer tok",
      "DELETE /api/users/alice/blocks/bob Bearer tok",
      "GET /api/users/alice/blocks Bearer tok",
    ]);
  });

  test("a refusal rejects with the server's code and status; no answer is unreachable", async () => {
    const { client } = setup({
      fetchImpl: http({ "PUT /api/users/alice/blocks/bob": () => Response.json({ error: "forbidden", message: "no" }, { status: 403 }) }).fetchImpl,
    });
    await assert.rejects(client.block("bob"), (e) => e instanceof ApiError && e.code === "forbidden" && e.status === 403);
    await assert.rejects(client.history("nobody"), { code: "not_found", status: 404 });
    const offline = setup({ fetchImpl: async () => { throw new TypeError("Failed to fetch"); } });
    await assert.rejects(offline.client.blocked(), { code: "unreachable", status: 0 });
  });

  test("older pages on demand: each asks before the oldest seq held", async () => {
    const pages = [{ messages: [message(9), message(10)], more: true }, { messages: [message(4)], more: false }];
    const server = http({ "GET /api/users/alice/conversations/bob/messages": () => Response.json(pages.shift()) });
    const { client } = setup({ fetchImpl: server.fetchImpl });
    const view = client.conversation("bob");
    await view.loadOlder(2);
    assert.equal(view.hasMore, true);
    await view.loadOlder(2);
    assert.equal(view.hasMore, false);
    assert.deepEqual(view.messages().map((m) => m.seq), [4, 9, 10]);
    assert.deepEqual(server.requests.map((r) => r.url), [
      "/api/users/alice/conversations/bob/messages?limit=2",
      "/api/users/alice/conversations/bob/messages?before=9&limit=2",
    ]);
  });
});
