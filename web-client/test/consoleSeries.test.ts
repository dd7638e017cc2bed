import assert from "node:assert/strict";
import { test } from "node:test";

import { mergeColumns } from "../src/pages/consoleSeries.js";

test("the first answer becomes the window", () => {
  const fresh = { t: [10, 11], messagesOut: [1, 2] };
  assert.deepEqual(mergeColumns({}, fresh, 0, 900), fresh);
});

test("asked-again seconds replace what the window held; new ones are appended", () => {
  const window = { t: [10, 11, 12], messagesOut: [1, 2, 3] };
  const fresh = { t: [12, 13], messagesOut: [30, 4] };
  assert.deepEqual(mergeColumns(window, fresh, 11, 900), { t: [10, 11, 12, 13], messagesOut: [1, 2, 30, 4] });
});

test("the window keeps only its last seconds", () => {
  const window = { t: [1, 2, 3], connections: [5, 6, 7] };
  const fresh = { t: [4, 5], connections: [8, null] };
  assert.deepEqual(mergeColumns(window, fresh, 3, 3), { t: [3, 4, 5], connections: [7, 8, null] });
});

test("a figure new in this answer is padded with nulls for the seconds before it", () => {
  const window = { t: [1, 2] };
  const fresh = { t: [3], users: [1] };
  assert.deepEqual(mergeColumns(window, fresh, 2, 900), { t: [1, 2, 3], users: [null, null, 1] });
});
