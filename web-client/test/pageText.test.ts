import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";

import {
  agoText, closeText, dayText, durationText, nextAttemptText, offlineCountdown, retryHintText, sizeText, statLabel,
  statValueText, statsAgeText, statusDetail, statusText, statusWords, stoppedText, tickWords, timeText, typingText,
} from "../src/pages/labels.js";
import { dayKey, separatorsBefore } from "../src/pages/days.js";
import { fileProblem, textProblem } from "../src/pages/sizeCheck.js";
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

describe("what the status pill and the offline banner say", () => {
  test("the state in words, with the countdown to the scheduled retry, never a protocol word", () => {
    assert.equal(statusWords("open", undefined, 0), "Connected");
    assert.equal(statusWords("reconnecting", 4_000, 0), "Reconnecting in 4 s");
    assert.equal(statusWords("reconnecting", 4_000, 3_200), "Reconnecting in 1 s", "rounded up until it is due");
    assert.equal(statusWords("reconnecting", undefined, 0), "Reconnecting…", "an attempt in flight");
    assert.equal(statusDetail("open", { from: "connecting", to: "open", cause: "welcome" }, undefined, 0),
                 "Connected: messages arrive as they are sent");
  });

  test("the tooltip stays true during an outage: its seconds follow the clock", () => {
    const change = { from: "open" as const, to: "reconnecting" as const, cause: "closed 1001", code: 1001,
                     reason: "server going away; retry-after-ms=300", delayMs: 5_000 };
    assert.equal(statusDetail("reconnecting", change, 5_000, 0),
                 "closed 1001: server going away; retry-after-ms=300; next attempt in 5 s");
    assert.match(statusDetail("reconnecting", change, 5_000, 3_000), /next attempt in 2 s$/);
    assert.match(statusDetail("reconnecting", change, undefined, 6_000), /trying now$/);
    assert.equal(offlineCountdown(9_000, 0), "Next attempt in 9 s.");
    assert.equal(offlineCountdown(undefined, 0), "Trying to connect now…");
  });
});

describe("what the panel says in people's units", () => {
  test("durations, byte counts and counters", () => {
    assert.deepEqual([300, 45_000, 125_000, 7_500_000, 200_000_000].map(durationText),
                     ["0.3 s", "45 s", "2 min 5 s", "2 h 5 min", "2 d 7 h"]);
    assert.equal(statValueText("uptimeMs", 7_500_000), "2 h 5 min");
    assert.equal(statValueText("heapBytes", 3 * 1024 * 1024), "3.0 MB");
    assert.equal(statValueText("messagesIn", 1234567), "1,234,567");
    assert.equal(statLabel("uptimeMs"), "uptime");
    assert.equal(statLabel("messagesIn"), "messages in");
    assert.equal(statLabel("tcp.refusedFull"), "tcp: refused full");
  });

  test("the next attempt, the server's hint, and the stats' age with staleness in words", () => {
    assert.equal(nextAttemptText("reconnecting", 3_000, 0), "in 3 s");
    assert.equal(nextAttemptText("reconnecting", undefined, 0), "now: attempt in flight");
    assert.equal(nextAttemptText("open", undefined, 0), "none: connected");
    assert.equal(retryHintText({ code: 1006, reason: "", at: 0, byClient: false }), "none");
    assert.match(retryHintText({ code: 1001, reason: "server going away; retry-after-ms=2500", at: 0, byClient: false }),
                 /^wait at least 2 s \(from close 1001 at .+\)$/);
    assert.equal(statsAgeText(undefined, false, "", 0), "not loaded yet");
    assert.equal(statsAgeText(1_000, false, "", 4_000), "updated 3 s ago");
    assert.equal(statsAgeText(1_000, true, "server unreachable", 9_000), "stale: updated 8 s ago (server unreachable)");
  });
});

describe("the size check before sending", () => {
  test("counts the whole frame in UTF-8 bytes, as the server does", () => {
    assert.equal(textProblem("bob", "x".repeat(900), 1_000), "");
    assert.match(textProblem("bob", "é".repeat(500), 1_000), /^This message is 1\.1 KB, over the limit of 1000 B\./);
    assert.equal(fileProblem("a.png", 1_000, 1_000), "");
    assert.equal(fileProblem("a.png", 2 * 1024 * 1024, 1024 * 1024),
                 "a.png is 2.0 MB, over the limit of 1.0 MB for files. Nothing was sent.");
  });
});

describe("times and days in the conversation", () => {
  test("today, yesterday, then the date in words", () => {
    const now = new Date(2026, 10, 30, 18, 0);
    assert.equal(dayText(new Date(2026, 10, 30, 0, 5), now), "Today");
    assert.equal(dayText(new Date(2026, 10, 29, 23, 59), now), "Yesterday");
    assert.equal(dayText(new Date(2026, 10, 27, 12, 0), now), "Friday 27 November");
    assert.equal(dayText(new Date(2025, 0, 2, 12, 0), now), "Thursday, 2 January 2025");
    assert.equal(timeText(new Date(2026, 10, 30, 9, 5)).short, "09:05");
    assert.deepEqual((["sending", "sent", "delivered", "read", "failed"] as const).map(tickWords),
                     ["Sending", "Sent", "Delivered", "Read", "Not sent"]);
  });
});

describe("day separators of a list that hides other conversations", () => {
  const row = (day: string | undefined, hidden = false) => ({ day, hidden });

  test("one above each shown run of a day, none above rows that are all hidden", () => {
    assert.deepEqual(separatorsBefore([
      row("2026-11-27", true), row("2026-11-28"), row("2026-11-28", true), row("2026-11-28"), row("2026-11-30", true),
      row("2026-11-30"),
    ]), [1, 5]);
  });

  test("a day whose first message is hidden gets its separator above the first one shown", () => {
    assert.deepEqual(separatorsBefore([row("2026-11-29"), row("2026-11-30", true), row("2026-11-30")]), [0, 2]);
  });

  test("a history page put above an older conversation: a day that comes back after another gets a new separator", () => {
    // Carol's page (27th, 30th) went on top of Bob's messages of the 28th; both views read in order.
    const rows = [row("2026-11-27"), row("2026-11-30"), row("2026-11-28", true)];
    assert.deepEqual(separatorsBefore(rows), [0, 1]);
    assert.deepEqual(separatorsBefore(rows.map((r) => ({ ...r, hidden: !r.hidden }))), [2]);
  });

  test("messages without a time get none; an empty list none", () => {
    assert.deepEqual(separatorsBefore([row(undefined), row("2026-11-30"), row(undefined), row("2026-11-30")]), [1]);
    assert.deepEqual(separatorsBefore([]), []);
  });

  test("the key is the local calendar day", () => {
    assert.equal(dayKey(new Date(2026, 0, 5, 23, 59)), "2026-01-05");
  });
});
