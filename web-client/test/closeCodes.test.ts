import assert from "node:assert/strict";
import { test } from "node:test";

import { decideOnClose, retryAfterMs } from "../src/closeCodes.js";

test("stays closed on 1000, 1002, 1007, 1008, 4000, 4003 and 4030", () => {
  for (const code of [1000, 1002, 1007, 1008, 4000, 4003, 4030]) {
    assert.equal(decideOnClose(code, "").action, "stop", `code ${code}`);
  }
});

test("reconnects on the transient codes and on codes it does not know", () => {
  for (const code of [1001, 1006, 1009, 1011, 4008, 4029, 1012, 4999]) {
    const decision = decideOnClose(code, "");
    assert.equal(decision.action, "reconnect", `code ${code}`);
  }
});

test("only 4001 asks for a fresh token", () => {
  assert.deepEqual(decideOnClose(4001, ""), {
    action: "reconnect", refreshToken: true, minDelayMs: 0, description: "token missing, invalid or expired",
  });
  const other = decideOnClose(1006, "");
  assert.equal(other.action === "reconnect" && other.refreshToken, false);
});

test("the reason's retry-after-ms becomes the minimum delay", () => {
  const decision = decideOnClose(4029, "retry-after-ms=1234");
  assert.equal(decision.action === "reconnect" ? decision.minDelayMs : -1, 1234);
  const drain = decideOnClose(1001, "draining; retry-after-ms=9000");
  assert.equal(drain.action === "reconnect" ? drain.minDelayMs : -1, 9000);
});

test("retry-after-ms is read only as a whole key", () => {
  assert.equal(retryAfterMs("retry-after-ms=250"), 250);
  assert.equal(retryAfterMs("no-retry-after-ms=250"), 0);
  assert.equal(retryAfterMs("retry-after-ms=abc"), 0);
  assert.equal(retryAfterMs(""), 0);
});
