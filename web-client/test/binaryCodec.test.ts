import assert from "node:assert/strict";
import { test } from "node:test";

import { CodecError, decodeBinaryFrame, encodeBinaryFrame } from "../src/binaryCodec.js";

test("round trip keeps the header and every payload byte", () => {
  const payload = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
  const header = { type: "send", ref: "r1", to: "bob", channel: "chat", name: "čaj ☕.png", contentType: "image/png" };
  const decoded = decodeBinaryFrame(encodeBinaryFrame(header, payload));
  assert.deepEqual(decoded.header, header);
  assert.deepEqual(decoded.payload, payload);
});

test("the layout is a 4-byte big-endian length, the UTF-8 JSON header, then the payload", () => {
  const frame = new Uint8Array(encodeBinaryFrame({ a: "é" }, Uint8Array.of(7, 8)));
  const json = new TextEncoder().encode('{"a":"é"}'); // 10 bytes: é is two
  assert.deepEqual([...frame.subarray(0, 4)], [0, 0, 0, 10]);
  assert.deepEqual(frame.subarray(4, 14), json);
  assert.deepEqual([...frame.subarray(14)], [7, 8]);
});

test("an empty payload is allowed", () => {
  assert.equal(decodeBinaryFrame(encodeBinaryFrame({ name: "empty.txt" }, new Uint8Array())).payload.length, 0);
});

test("decodes a view into a larger buffer, as a receiver may hand over", () => {
  const inner = new Uint8Array(encodeBinaryFrame({ n: 1 }, Uint8Array.of(9)));
  const outer = new Uint8Array(inner.length + 6);
  outer.set(inner, 3);
  const decoded = decodeBinaryFrame(outer.subarray(3, 3 + inner.length));
  assert.deepEqual(decoded.header, { n: 1 });
  assert.deepEqual([...decoded.payload], [9]);
});

test("refuses frames that lie about their header", () => {
  assert.throws(() => decodeBinaryFrame(Uint8Array.of(0, 0)), CodecError);
  assert.throws(() => decodeBinaryFrame(Uint8Array.of(0, 0, 0, 9, 123, 125)), CodecError);
  const notJson = new TextEncoder().encode("nope");
  assert.throws(() => decodeBinaryFrame(Uint8Array.of(0, 0, 0, 4, ...notJson)), CodecError);
  assert.throws(() => decodeBinaryFrame(Uint8Array.of(0, 0, 0, 2, 0xc3, 0x28)), CodecError);
  const array = new TextEncoder().encode("[1]");
  assert.throws(() => decodeBinaryFrame(Uint8Array.of(0, 0, 0, 3, ...array)), CodecError);
});
