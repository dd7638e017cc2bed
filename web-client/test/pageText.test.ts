import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import { agoText, closeText, sizeText, statusText, stoppedText, typingText } from "../src/pages/labels.js";
import { TypingIndicator, TypingNotifier } from "../src/pages/typingView.js";

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 }));
afterEach(() => mock.timers.reset());

describe("what the status indicator says", () => {
  test("each state in words", () => {
    assert.deepEqual(
      (["connecting", "open", "reconnecting", "closed"] as const).map(statusText),
      ["Connecting…", "Connected", "Reconnecting…", "Disconnected"],
    );
  });
});

describe("what the diagnostics panel says", () => {
  test("time since the last ping", () => {
    assert.equal(agoText(undefined, 5_000), "never");
    assert.equal(agoText(1_000, 4_500), "3 s ago");
    assert.equal(agoText(0, 600_000), "10 min ago");
  });

  test("the last close, telling server closes from the client's own", () => {
    assert.equal(closeText(undefined), "none");
    assert.equal(closeText({ code: 4029, reason: "retry-after-ms=500", at: 0, byClient: false }), "4029 retry-after-ms=500");
    assert.equal(closeText({ code: 1006, reason: "", at: 0, byClient: false }), "1006 no reason given");
    assert.equal(closeText({ code: 1000, reason: "handshake timeout", at: 0, byClient: true }), "closed by this client: handshake timeout");
  });

  test("why the client stopped, and file sizes", () => {
    assert.equal(stoppedText({ code: "4003", message: "token is for another user", fatal: true }), "Stopped: token is for another user (4003)");
    assert.deepEqual([512, 2048, 3 * 1024 * 1024].map(sizeText), ["512 B", "2.0 KB", "3.0 MB"]);
  });
});

describe("typing indicator", () => {
  test("shows who is typing and hides after stop", () => {
    const shown: string[] = [];
    const indicator = new TypingIndicator((text) => shown.push(text));
    indicator.update("bob", "start");
    indicator.update("carol", "start");
    indicator.update("bob", "stop");
    assert.deepEqual(shown, ["", "bob is typing…", "bob and carol are typing…", "carol is typing…"]);
  });

  test("a start never followed by stop disappears after 5 s of silence; a new start renews it", () => {
    const shown: string[] = [];
    const indicator = new TypingIndicator((text) => shown.push(text));
    indicator.update("bob", "start");
    mock.timers.tick(4_000);
    indicator.update("bob", "start");
    mock.timers.tick(4_999);
    assert.equal(shown.at(-1), "bob is typing…");
    mock.timers.tick(1);
    assert.equal(shown.at(-1), "");
  });

  test("three or more typers are summarised", () => {
    assert.equal(typingText(["a", "b", "c", "d"]), "a, b and 2 more are typing…");
  });
});

describe("typing notifier", () => {
  test("start on the first keystroke, stop after 3 s idle", () => {
    const sent: string[] = [];
    const notifier = new TypingNotifier((to, state) => sent.push(`${to}:${state}`));
    notifier.keystroke("bob");
    mock.timers.tick(1_000);
    notifier.keystroke("bob");
    mock.timers.tick(2_999);
    assert.deepEqual(sent, ["bob:start"]);
    mock.timers.tick(1);
    assert.deepEqual(sent, ["bob:start", "bob:stop"]);
  });

  test("keeps saying start while typing goes on, so the other side does not time out", () => {
    const sent: string[] = [];
    const notifier = new TypingNotifier((to, state) => sent.push(`${to}:${state}`));
    for (let i = 0; i < 8; i++) {
      notifier.keystroke("bob");
      mock.timers.tick(1_000);
    }
    assert.deepEqual(sent, ["bob:start", "bob:start", "bob:start"]);
  });

  test("sending stops at once; switching recipient stops the old one first", () => {
    const sent: string[] = [];
    const notifier = new TypingNotifier((to, state) => sent.push(`${to}:${state}`));
    notifier.keystroke("bob");
    notifier.keystroke("carol");
    notifier.stop();
    notifier.stop();
    assert.deepEqual(sent, ["bob:start", "bob:stop", "carol:start", "carol:stop"]);
  });
});
