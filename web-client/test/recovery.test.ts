import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import type { HistoryPage } from "../src/history.js";
import { type ChatMessage, type WelcomeFrame, messageFromRecord } from "../src/protocol.js";
import { type MessageSource, Recovery } from "../src/recovery.js";
import { memoryStorage, message, settle } from "./fakes.js";

function msg(seq: number): ChatMessage {
  const parsed = messageFromRecord(message(seq));
  assert.ok(parsed);
  return parsed;
}

function welcome(fields: Partial<WelcomeFrame> = {}): WelcomeFrame {
  return { type: "welcome", id: "alice", connectionId: "c1", heartbeatMs: 25_000, ...fields };
}

/** History as the server keeps it: seq `oldest`..`newest`. */
function history(oldest: number, newest: number) {
  const requests: { since: number; limit: number }[] = [];
  const fetchPage = async (since: number, limit: number): Promise<HistoryPage> => {
    requests.push({ since, limit });
    const messages: ChatMessage[] = [];
    for (let seq = Math.max(since + 1, oldest); seq <= newest && messages.length < limit; seq++) {
      messages.push(msg(seq));
    }
    return { messages, lastSeq: newest, complete: since + 1 >= oldest };
  };
  return { requests, fetchPage };
}

function setup(fetchPage = history(1, 0).fetchPage, stored?: number) {
  const storage = memoryStorage();
  if (stored !== undefined) {
    storage.setItem("matchbook.lastSeq.alice", String(stored));
  }
  const delivered: { seq: number | undefined; source: MessageSource }[] = [];
  const confirmed: number[] = [];
  const lost: number[] = [];
  const recovery = new Recovery(storage, "matchbook.lastSeq.alice", {
    deliver: (m, source) => delivered.push({ seq: m.seq, source }),
    confirm: (seq) => confirmed.push(seq),
    fetchPage,
    log: () => {},
    lost: (afterSeq) => lost.push(afterSeq),
  }, { pageSize: 3, confirmDelayMs: 200, resyncRetriesMs: [1000] });
  const seqs = () => delivered.map((d) => d.seq);
  return { storage, delivered, confirmed, lost, recovery, seqs };
}

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 }));
afterEach(() => mock.timers.reset());

describe("cursor", () => {
  test("a fresh tab has no cursor, so the first connect omits since", () => {
    assert.equal(setup().recovery.lastSeq, undefined);
  });

  test("a fresh tab starts where the server's welcome says", () => {
    const { recovery, seqs } = setup();
    recovery.onWelcome(welcome({ lastSeq: 7 }));
    recovery.onMessage(msg(8));
    assert.deepEqual(seqs(), [8]);
    assert.equal(recovery.lastSeq, 8);
  });

  test("is kept in sessionStorage under a key with the user id, and read back by the next page load", () => {
    const { storage, recovery } = setup(undefined, 3);
    recovery.onMessage(msg(4));
    assert.equal(storage.entries.get("matchbook.lastSeq.alice"), "4");
    const reloaded = new Recovery(storage, "matchbook.lastSeq.alice", {
      deliver: () => {}, confirm: () => {}, fetchPage: history(1, 0).fetchPage, log: () => {}, lost: () => {},
    });
    assert.equal(reloaded.lastSeq, 4);
  });

  test("follows the server down when its history was wiped, keeping what it replays", () => {
    const { recovery, seqs } = setup(undefined, 40);
    recovery.onWelcome(welcome({ lastSeq: 2, replay: { from: 1, to: 2, complete: true } }));
    recovery.onMessage(msg(1));
    recovery.onMessage(msg(2));
    recovery.onMessage(msg(3));
    assert.deepEqual(seqs(), [1, 2, 3]);
  });
});

describe("dedupe", () => {
  test("drops messages at or below the cursor", () => {
    const { recovery, seqs } = setup(undefined, 3);
    for (const seq of [2, 3, 4, 4, 5, 3]) {
      recovery.onMessage(msg(seq));
    }
    assert.deepEqual(seqs(), [4, 5]);
  });

  test("broadcasts carry no seq and are always delivered", () => {
    const { recovery, delivered } = setup(undefined, 3);
    const broadcast = messageFromRecord({ id: "b1", from: "ops", text: "hi", broadcast: true });
    assert.ok(broadcast);
    recovery.onMessage(broadcast);
    recovery.onMessage(broadcast);
    assert.deepEqual(delivered, [{ seq: undefined, source: "live" }, { seq: undefined, source: "live" }]);
    assert.equal(recovery.lastSeq, 3);
  });

  test("messages up to welcome.replay.to count as replayed", () => {
    const { recovery, delivered } = setup(undefined, 3);
    recovery.onWelcome(welcome({ lastSeq: 5, replay: { from: 4, to: 5, complete: true } }));
    [4, 5, 6].forEach((seq) => recovery.onMessage(msg(seq)));
    assert.deepEqual(delivered.map((d) => d.source), ["replay", "replay", "live"]);
    assert.equal(recovery.replayed, 2);
  });
});

describe("gaps", () => {
  test("a gap is filled over HTTP, in order, before the message that revealed it", async () => {
    const server = history(1, 9);
    const { recovery, seqs, delivered } = setup(server.fetchPage, 3);
    recovery.onMessage(msg(4));
    recovery.onMessage(msg(9));          // 5..8 missing
    recovery.onMessage(msg(10));         // arrives during the resync: held back
    await settle();
    assert.deepEqual(seqs(), [4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(server.requests, [{ since: 4, limit: 3 }, { since: 7, limit: 3 }]);
    assert.equal(recovery.gaps, 1);
    assert.deepEqual(delivered.map((d) => d.source), ["live", "resync", "resync", "resync", "resync", "resync", "live"]);
  });

  test("an incomplete replay resyncs from the cursor and keeps what history still holds", async () => {
    const server = history(6, 8);        // 4 and 5 expired
    const { recovery, seqs } = setup(server.fetchPage, 3);
    recovery.onWelcome(welcome({ lastSeq: 8, replay: { from: 6, to: 8, complete: false } }));
    recovery.onMessage(msg(6));
    await settle();
    assert.deepEqual(seqs(), [6, 7, 8]);
    assert.equal(recovery.gaps, 1);
    assert.deepEqual(server.requests[0], { since: 3, limit: 3 });
  });

  test("when the history API keeps failing, the held messages are shown and the loss reported", async () => {
    const { recovery, seqs, lost } = setup(async () => {
      throw new Error("HTTP 503");
    }, 3);
    recovery.onMessage(msg(6));
    await settle();
    assert.deepEqual(seqs(), []);
    mock.timers.tick(1000);              // the one retry
    await settle();
    assert.deepEqual(seqs(), [6]);
    assert.deepEqual(lost, [3]);
  });
});

describe("received confirmations", () => {
  test("one cumulative received per burst, with the newest seq", () => {
    const { recovery, confirmed } = setup(undefined, 0);
    [1, 2, 3].forEach((seq) => recovery.onMessage(msg(seq)));
    assert.deepEqual(confirmed, []);
    mock.timers.tick(200);
    assert.deepEqual(confirmed, [3]);
  });

  test("a steady stream still confirms every 200 ms", () => {
    const { recovery, confirmed } = setup(undefined, 0);
    for (let seq = 1; seq <= 6; seq++) {
      recovery.onMessage(msg(seq));
      mock.timers.tick(100);
    }
    assert.deepEqual(confirmed, [2, 4, 6]);
  });

  test("each welcome confirms the cursor again, for messages confirmed on a socket that died", () => {
    const { recovery, confirmed } = setup(undefined, 12);
    recovery.onWelcome(welcome({ lastSeq: 12 }));
    mock.timers.tick(200);
    assert.deepEqual(confirmed, [12]);
  });
});
