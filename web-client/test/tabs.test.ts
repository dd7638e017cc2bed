import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { MatchbookClient } from "../src/client.js";
import type { ConnectionState } from "../src/connectionTypes.js";
import type { ChatMessage } from "../src/protocol.js";
import { browserTabSharing } from "../src/tabSharing.js";
import { FakeBrowser, FakeServer, aliceOptions, fakeEnvironment, memoryStorage, message, settle } from "./fakes.js";

/** One tab of Alice's: a client sharing its connection through the fake browser, and what its page would show. */
function openTab(browser: FakeBrowser, server: FakeServer, name: string) {
  const client = new MatchbookClient(aliceOptions(server, { tabs: browser.tab(name) }));
  const shown: ChatMessage[] = [];
  const states: ConnectionState[] = [];
  client.on("message", (m) => shown.push(m));
  client.on("state", (change) => states.push(change.to));
  client.connect();
  return { name, client, shown, states, texts: () => shown.map((m) => m.text) };
}

/** Lets the tabs' messages, lock grants and promise callbacks run (the channel delivers on later turns). */
async function flush(): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await settle();
  }
}

const lock = "matchbook.connection.alice";

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 }));
afterEach(() => mock.timers.reset());

describe("one connection per browser", () => {
  test("ten tabs of one user hold one socket, and every tab shows each message once", async () => {
    const browser = new FakeBrowser();
    const server = new FakeServer();
    const tabs = Array.from({ length: 10 }, (_, i) => openTab(browser, server, `tab${i}`));
    await flush();
    assert.equal(server.sockets.length, 1, "one socket for ten tabs");
    server.last.welcome({ lastSeq: 0, replay: { from: 1, to: 0, complete: true } });
    await flush();
    assert.deepEqual(tabs.map((t) => t.client.state), Array(10).fill("open"), "every tab says connected");
    server.last.receive(message(1));
    server.last.receive(message(2));
    await flush();
    for (const tab of tabs) {
      assert.deepEqual(tab.texts(), ["hello 1", "hello 2"], `${tab.name} shows each message once`);
    }
    mock.timers.tick(300);
    assert.deepEqual(server.last.frames().filter((f) => f.type === "received"), [{ type: "received", seq: 2 }],
                     "the leader confirms once for all tabs");
  });

  test("a follower's send goes out on the leader's socket and its ack comes back to it", async () => {
    const browser = new FakeBrowser();
    const server = new FakeServer();
    const leader = openTab(browser, server, "a");
    await flush();
    const follower = openTab(browser, server, "b");
    server.last.welcome();
    await flush();
    assert.equal(browser.holder(lock), "a");
    const sent = follower.client.send("bob", "from the second tab");
    await flush();
    const frame = server.last.frames().find((f) => f.type === "send");
    assert.equal(frame?.text, "from the second tab");
    server.last.receive({ type: "ack", ref: frame?.ref, id: "m-1", seq: 4 });
    assert.deepEqual(await sent, { type: "ack", ref: frame?.ref, id: "m-1", seq: 4 });
    assert.equal(leader.client.state, "open");
    assert.equal(server.sockets.length, 1);
  });

  test("a follower's read and typing reach the server; its confirmations are left to the leader", async () => {
    const browser = new FakeBrowser();
    const server = new FakeServer();
    openTab(browser, server, "a");
    await flush();
    const follower = openTab(browser, server, "b");
    server.last.welcome();
    await flush();
    assert.equal(follower.client.markRead("m7"), true);
    assert.equal(follower.client.typing("bob", "start"), true);
    await flush();
    assert.deepEqual(server.last.frames().filter((f) => f.type !== "received"),
                     [{ type: "read", id: "m7" }, { type: "typing", to: "bob", state: "start" }]);
  });

  test("a tab opened later starts from the leader's welcome: it shows what the leader showed since", async () => {
    const browser = new FakeBrowser();
    const server = new FakeServer();
    const first = openTab(browser, server, "a");
    await flush();
    server.last.welcome({ lastSeq: 2, replay: { from: 1, to: 2, complete: true } });
    server.last.receive(message(1));
    server.last.receive(message(2));
    server.last.receive(message(3));
    await flush();
    const late = openTab(browser, server, "b");
    await flush();
    assert.equal(late.client.state, "open");
    assert.deepEqual(late.texts(), first.texts());
    server.last.receive(message(4));
    await flush();
    assert.deepEqual(late.texts(), ["hello 1", "hello 2", "hello 3", "hello 4"]);
    assert.equal(server.sockets.length, 1);
  });

  test("when the leader tab closes another takes over at once, resumes after what it showed, loses and repeats nothing", async () => {
    const browser = new FakeBrowser();
    const server = new FakeServer();
    const a = openTab(browser, server, "a");
    await flush();
    const b = openTab(browser, server, "b");
    const c = openTab(browser, server, "c");
    server.last.welcome({ lastSeq: 0, replay: { from: 1, to: 0, complete: true } });
    server.last.receive(message(1));
    server.last.receive(message(2));
    await flush();
    const firstSocket = server.last;

    browser.close("a");
    await flush();

    assert.equal(server.sockets.length, 2, "the next tab opened the one new socket");
    const taker = browser.holder(lock);
    assert.ok(taker === "b" || taker === "c", `a remaining tab leads: ${taker}`);
    assert.notEqual(server.last, firstSocket);
    assert.equal(server.last.query("since"), "2", "resumes after the last message the tabs showed");
    assert.deepEqual([b.client.state, c.client.state], ["connecting", "connecting"]);
    // The server replays from since: message 2 again only if since were wrong; then live ones.
    server.last.welcome({ lastSeq: 3, replay: { from: 3, to: 3, complete: true } });
    server.last.receive(message(3));
    server.last.receive(message(4));
    await flush();
    for (const tab of [b, c]) {
      assert.deepEqual(tab.texts(), ["hello 1", "hello 2", "hello 3", "hello 4"], `${tab.name}: all, once, in order`);
      assert.notEqual(tab.states.at(-2), "open", `${tab.name} said it was not connected during the hand-over: ${tab.states}`);
      assert.equal(tab.client.state, "open");
    }
    assert.equal(a.shown.length, 2, "the closed tab got nothing more");
  });

  test("a send made in a follower while the leader hands over waits and goes out on the new socket", async () => {
    const browser = new FakeBrowser();
    const server = new FakeServer();
    openTab(browser, server, "a");
    await flush();
    const b = openTab(browser, server, "b");
    server.last.welcome();
    await flush();
    browser.close("a");
    await flush();
    const sent = b.client.send("bob", "during the hand-over");
    assert.deepEqual(server.last.frames(), [], "not written while connecting");
    server.last.welcome();
    await flush();
    const frame = server.last.frames().find((f) => f.type === "send");
    assert.equal(frame?.text, "during the hand-over");
    server.last.receive({ type: "ack", ref: frame?.ref, id: "m-9", seq: 1 });
    assert.equal((await sent).id, "m-9");
  });

  for (const how of ["close", "crash"] as const) {
    test(`a follower's send in flight when the leader tab dies (${how}) goes out again on the new socket, same key, one ack`, async () => {
      const browser = new FakeBrowser();
      const server = new FakeServer();
      openTab(browser, server, "a");
      await flush();
      const b = openTab(browser, server, "b");
      const c = openTab(browser, server, "c");
      server.last.welcome();
      await flush();
      const sent = c.client.send("bob", "in flight");
      let settled = false;
      sent.then(() => { settled = true; }, () => { settled = true; });
      await flush();
      const first = server.last.frames().find((f) => f.type === "send");
      assert.equal(first?.text, "in flight", "the leader wrote it; its answer never comes");

      if (how === "close") {
        browser.close("a");
      } else {
        browser.crash("a"); // no pagehide: the followers learn it from the lock alone
      }
      await flush();
      assert.equal(settled, false, "the hand-over does not fail the send");
      assert.equal(server.sockets.length, 2);
      server.last.welcome();
      await flush();
      const again = server.last.frames().filter((f) => f.type === "send");
      assert.deepEqual(again, [first], "written once on the new socket, the same ref and idempotency key");
      server.last.receive({ type: "ack", ref: first?.ref, id: "m-1", seq: 7 });
      assert.equal((await sent).id, "m-1");
      assert.ok([b, c].every((tab) => tab.client.state === "open"));
    });
  }

  test("a follower's send the leader could not write (its socket had just dropped) waits and goes out on the next socket", async () => {
    const browser = new FakeBrowser();
    const server = new FakeServer();
    openTab(browser, server, "a");
    await flush();
    const b = openTab(browser, server, "b");
    server.last.welcome();
    await flush();
    const dropped = server.last;
    const sent = b.client.send("bob", "as the socket drops"); // posted to the leader while b still shows open
    dropped.serverClose(1006);
    let failed: unknown;
    sent.catch((error: unknown) => { failed = error; });
    await flush();
    assert.deepEqual(dropped.frames().filter((f) => f.type === "send"), [], "never written on the dropped socket");
    assert.equal(failed, undefined, "not failed for the drop");
    b.client.reconnectNow();
    await flush();
    server.last.welcome();
    await flush();
    const frame = server.last.frames().find((f) => f.type === "send");
    assert.equal(frame?.text, "as the socket drops");
    server.last.receive({ type: "ack", ref: frame?.ref, id: "m-2", seq: 8 });
    assert.equal((await sent).id, "m-2");
  });

  test("the leader's backoff is what every tab shows, and Retry now in a follower reconnects the leader at once", async () => {
    const browser = new FakeBrowser();
    const server = new FakeServer();
    const a = openTab(browser, server, "a");
    await flush();
    const b = openTab(browser, server, "b");
    server.last.welcome();
    await flush();
    server.last.serverClose(1006);
    await flush();
    assert.equal(b.client.state, "reconnecting");
    const due = a.client.nextAttemptAt;
    assert.ok(due !== undefined && due > Date.now(), "the leader waits out a backoff");
    assert.equal(b.client.nextAttemptAt, due, "the follower shows the same time");
    const sockets = server.sockets.length;
    b.client.reconnectNow();
    await flush();
    assert.equal(server.sockets.length, sockets + 1, "the leader opened a new socket at once");
    assert.equal(a.client.nextAttemptAt, undefined, "no attempt waits while one is in flight");
  });
});

describe("a read-only client (the diagnostics panel)", () => {
  test("never confirms nor marks read", async () => {
    const server = new FakeServer();
    const client = new MatchbookClient({
      userId: "alice", socketBase: () => "ws://chat.test", socketFactory: server.factory,
      environment: fakeEnvironment().environment, storage: memoryStorage(), readOnly: true,
    });
    client.connect();
    server.last.welcome({ lastSeq: 1, replay: { from: 1, to: 1, complete: true } });
    server.last.receive(message(1));
    mock.timers.tick(1_000);
    assert.equal(client.markRead("m1"), false);
    assert.deepEqual(server.last.frames(), [], "no received, no read");
  });
});

describe("reads across tabs", () => {
  test("a message read in several visible tabs is marked read once", async () => {
    const browser = new FakeBrowser();
    const server = new FakeServer();
    const a = openTab(browser, server, "a");
    await flush();
    const b = openTab(browser, server, "b");
    const c = openTab(browser, server, "c");
    server.last.welcome();
    await flush();
    for (const tab of [a, b, c]) {
      assert.equal(tab.client.markRead("m1"), true);
    }
    await flush();
    assert.deepEqual(server.last.frames().filter((f) => f.type === "read"), [{ type: "read", id: "m1" }]);
  });
});

describe("a tab that joins after the leader's backlog overflowed", () => {
  test("sees the dropped part as a gap and fetches it over HTTP, then shows everything once", async () => {
    const browser = new FakeBrowser();
    const server = new FakeServer();
    openTab(browser, server, "a");
    await flush();
    server.last.welcome({ lastSeq: 0, replay: { from: 1, to: 0, complete: true } });
    for (let seq = 1; seq <= 520; seq++) {
      server.last.receive(message(seq));
    }
    await flush();
    const asked: string[] = [];
    const fetchImpl: typeof fetch = async (input) => {
      asked.push(String(input));
      const since = Number(new URL(String(input)).searchParams.get("since"));
      const messages = Array.from({ length: Math.max(0, Math.min(520, since + 100) - since) }, (_, i) => message(since + 1 + i));
      return new Response(JSON.stringify({ messages, lastSeq: 520, complete: true }));
    };
    const late = new MatchbookClient({
      userId: "alice", socketBase: () => "ws://chat.test", httpBase: () => "http://chat.test",
      socketFactory: server.factory, environment: fakeEnvironment().environment, storage: memoryStorage(),
      fetchImpl, tabs: browser.tab("b"),
    });
    const shown: number[] = [];
    late.on("message", (m) => shown.push(m.seq ?? -1));
    late.connect();
    await flush();
    await flush();
    assert.ok(asked.length > 0, "the hole was fetched over HTTP");
    assert.deepEqual(shown, Array.from({ length: 520 }, (_, i) => i + 1), "all 520, once each, in order");
    assert.equal(server.sockets.length, 1);
  });
});

describe("followers count down to the leader's next attempt", () => {
  test("also for a retry scheduled while already reconnecting (no state change to carry it)", async () => {
    const browser = new FakeBrowser();
    const server = new FakeServer();
    const a = openTab(browser, server, "a");
    await flush();
    const b = openTab(browser, server, "b");
    server.last.welcome();
    await flush();
    server.last.serverClose(1006);
    await flush();
    mock.timers.tick(a.client.nextAttemptAt ?? 0);
    await flush();
    server.last.serverClose(1006); // the retry fails: a new, later retry while the state stays "reconnecting"
    await flush();
    const due = a.client.nextAttemptAt;
    assert.ok(due !== undefined && due > Date.now());
    assert.equal(b.client.nextAttemptAt, due);
  });
});

describe("browsers without Web Locks or BroadcastChannel", () => {
  test("get no sharing, and each tab's client connects alone", async () => {
    const channel = globalThis.BroadcastChannel;
    try {
      Reflect.deleteProperty(globalThis, "BroadcastChannel");
      assert.equal(browserTabSharing(), undefined);
    } finally {
      globalThis.BroadcastChannel = channel;
    }
    const server = new FakeServer();
    const tabs = [1, 2].map(() => new MatchbookClient({
      userId: "alice", socketBase: () => "ws://chat.test", socketFactory: server.factory,
      environment: fakeEnvironment().environment, storage: memoryStorage(), tabs: undefined,
    }));
    tabs.forEach((client) => client.connect());
    await flush();
    assert.equal(server.sockets.length, 2, "one socket per tab, as before");
    assert.deepEqual(tabs.map((client) => client.tabRole), ["alone", "alone"]);
  });
});
