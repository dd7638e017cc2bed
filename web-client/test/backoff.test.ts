import assert from "node:assert/strict";
import { test } from "node:test";

import { defaultBackoff, nextDelayMs } from "../src/backoff.js";

function sequence(random: () => number, attempts: number): number[] {
  return Array.from({ length: attempts }, (_, attempt) => nextDelayMs(attempt, defaultBackoff, random));
}

test("delays double from 500 ms and stop at the 30 s cap (random near 1)", () => {
  assert.deepEqual(sequence(() => 0.999, 9), [499, 999, 1998, 3996, 7992, 15984, 29970, 29970, 29970]);
});

test("full jitter scales the whole window: random 0.5 gives half of each ceiling", () => {
  assert.deepEqual(sequence(() => 0.5, 8), [250, 500, 1000, 2000, 4000, 8000, 15000, 15000]);
});

test("random 0 retries at once, whatever the attempt", () => {
  assert.deepEqual(sequence(() => 0, 4), [0, 0, 0, 0]);
});

test("each attempt draws its own random value", () => {
  const draws = [0.1, 0.9, 0.25, 0.75];
  let next = 0;
  assert.deepEqual(sequence(() => draws[next++] ?? 0, 4), [50, 900, 500, 3000]);
});

test("a huge attempt number stays at the cap instead of overflowing", () => {
  assert.equal(nextDelayMs(5000, defaultBackoff, () => 0.5), 15000);
});

test("a custom base doubles each attempt until the custom cap", () => {
  assert.deepEqual(
    [0, 1, 2, 3].map((attempt) => nextDelayMs(attempt, { baseMs: 100, capMs: 350 }, () => 0.5)),
    [50, 100, 175, 175],
  );
});
