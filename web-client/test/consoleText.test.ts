import assert from "node:assert/strict";
import { test } from "node:test";

import { causesText, windowCount } from "../src/pages/consoleText.js";

test("a rate column counts its events, nulls as none", () => {
  assert.equal(windowCount([0, 0.98, null, 1.02, 0]), 2);
  assert.equal(windowCount(undefined), 0);
});

test("a tile's causes: the total in the window and each cause that happened", () => {
  assert.equal(
    causesText(
      [
        ["node cap", [0, 0, 0]],
        ["per address", [0, 0.99, 0]],
        ["request head", [2.01, null, 0]],
      ],
      125,
    ),
    "3 in the last 2 min 5 s: per address 1, request head 2",
  );
  assert.equal(causesText([["node cap", [0, 0]]], 900), "none in the last 15 min 0 s");
});
