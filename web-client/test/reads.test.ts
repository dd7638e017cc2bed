import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { MatchbookClient } from "../src/client.js";
import { ReadMarker } from "../src/pages/readMarker.js";
import { readThrough } from "../src/pages/readThrough.js";
import { FakeServer, aliceOptions, message } from "./fakes.js";

/** Alice's client on a fake server, with the chat page's read marker fed every message it shows. */
function setup() {
  const server = new FakeServer();
  const client = new MatchbookClient(aliceOptions(server));
  let visible = true;
  const reads = new ReadMarker(client, () => visible);
  client.on("message", (m) => reads.arrived(m));
  client.on("state", (change) => {
    if (change.to === "open") {
      reads.flush();
    }
  });
  client.connect();
  const readFrames = () => server.last.frames().filter((f) => f.type === "read");
  const receivedFrames = () => server.last.frames().filter((f) => f.type === "received");
  return {
    server, client, reads, readFrames, receivedFrames,
    hide: () => void (visible = false),
    show: () => {
      visible = true;
      reads.flush();
    },
  };
}

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 }));
afterEach(() => mock.timers.reset());

describe("read frames (cumulative per conversation, docs/protocol.md Client to server)", () => {
  test("150 messages from one person arriving at once give one read, naming the newest, and one received", () => {
    const { server, readFrames, receivedFrames } = setup();
    server.last.welcome();
    for (let seq = 1; seq <= 150; seq++) {
      server.last.receive(message(seq));
    }
    assert.deepEqual(readFrames(), [], "nothing before the coalescing delay");
    mock.timers.tick(250);
    assert.deepEqual(readFrames(), [{ type: "read", id: "m150" }]);
    assert.deepEqual(receivedFrames(), [{ type: "received", seq: 150 }]);
    mock.timers.tick(10_000);
    assert.equal(server.last.frames().length, 2, "nothing more: no frame per message");
  });

  test("one read per sender: the newest message of each conversation", () => {
    const { server, readFrames } = setup();
    server.last.welcome();
    for (let seq = 1; seq <= 60; seq++) {
      server.last.receive(message(seq, { from: seq % 2 === 0 ? "bob" : "carol" }));
    }
    mock.timers.tick(250);
    assert.deepEqual(readFrames().map((f) => f.id).sort(), ["m59", "m60"]);
  });

  test("a steady stream sends at most one read per sender per 250 ms, the newest each time", () => {
    const { server, readFrames } = setup();
    server.last.welcome();
    for (let seq = 1; seq <= 40; seq++) {
      server.last.receive(message(seq));
      mock.timers.tick(25);
    }
    mock.timers.tick(250);
    const ids = readFrames().map((f) => f.id);
    assert.equal(ids.length, 4, `one per 250 ms over 1 s: ${ids.join(" ")}`);
    assert.equal(ids.at(-1), "m40");
  });

  test("my own sender copies, broadcasts and older messages shown later (history, replay) send nothing", () => {
    const { server, reads, readFrames } = setup();
    server.last.welcome({ lastSeq: 9 });
    server.last.receive(message(10));
    mock.timers.tick(250);
    assert.deepEqual(readFrames(), [{ type: "read", id: "m10" }]);
    server.last.receive(message(11, { from: "alice", to: "bob" }));
    server.last.receive({ type: "message", id: "b1", channel: "news", from: "ops", to: "*", text: "all", sentAt: "2025-01-01T00:00:00Z", broadcast: true });
    for (let seq = 1; seq <= 9; seq++) {
      reads.arrived({ type: "message", id: `m${seq}`, seq, channel: "chat", from: "bob", to: "alice", text: "old", sentAt: "2025-01-01T00:00:00Z", broadcast: false });
    }
    mock.timers.tick(1_000);
    assert.deepEqual(readFrames(), [{ type: "read", id: "m10" }]);
  });

  test("hidden tab: nothing until it is shown, then one read for the newest", () => {
    const { server, readFrames, hide, show } = setup();
    server.last.welcome();
    hide();
    for (let seq = 1; seq <= 120; seq++) {
      server.last.receive(message(seq));
    }
    mock.timers.tick(5_000);
    assert.deepEqual(readFrames(), []);
    show();
    mock.timers.tick(250);
    assert.deepEqual(readFrames(), [{ type: "read", id: "m120" }]);
  });

  test("disconnected: kept, and sent once on the next open", () => {
    const { server, readFrames } = setup();
    server.last.welcome();
    server.last.receive(message(1));
    server.last.serverClose(1006);
    mock.timers.tick(250);
    mock.timers.tick(1_000);
    server.last.welcome({ lastSeq: 1 });
    mock.timers.tick(250);
    assert.deepEqual(readFrames(), [{ type: "read", id: "m1" }]);
  });
});

describe("a read receipt on the sender's side (cumulative)", () => {
  const mine = [{ id: "a" }, { id: undefined }, { id: "b" }, { id: "c" }, { id: "d" }];

  test("marks the message named and every earlier one of mine to that person", () => {
    assert.deepEqual(readThrough(mine, "c").map((m) => m.id), ["a", "b", "c"]);
    assert.deepEqual(readThrough(mine, "d").map((m) => m.id), ["a", "b", "c", "d"]);
  });

  test("never a later one, nor one still sending; nothing for a message not shown yet", () => {
    assert.deepEqual(readThrough(mine, "a").map((m) => m.id), ["a"]);
    assert.deepEqual(readThrough(mine, "zz"), []);
  });
});
