import assert from "node:assert/strict";
import { test } from "node:test";

import { parseHistoryPage } from "../src/history.js";
import { jwtExpiryMs } from "../src/jwt.js";
import { parseServerFrame } from "../src/protocol.js";
import { buildSocketUrl, socketBaseFromLocation } from "../src/urls.js";

test("the socket URL follows the page: ws for http, wss for https, same host and port", () => {
  assert.equal(socketBaseFromLocation({ protocol: "http:", host: "localhost:8080" }), "ws://localhost:8080");
  assert.equal(socketBaseFromLocation({ protocol: "https:", host: "chat.example" }), "wss://chat.example");
  assert.equal(buildSocketUrl("wss://chat.example/", "a b", 0, "x.y+z"), "wss://chat.example/ws?id=a+b&since=0&token=x.y%2Bz");
});

test("frames with unknown fields are read; frames missing what they need are refused", () => {
  const ack = parseServerFrame('{"type":"ack","ref":"r1","id":"m1","seq":3,"extra":true}');
  assert.deepEqual(ack, { ok: true, frame: { type: "ack", ref: "r1", id: "m1", seq: 3 } });
  assert.equal(parseServerFrame('{"type":"welcome","id":"a"}').ok, false);
  assert.equal(parseServerFrame('{"type":"receipt","id":"m1","status":"lost"}').ok, false);
  assert.equal(parseServerFrame("[1,2]").ok, false);
  assert.equal(parseServerFrame("not json").ok, false);
});

test("a message defaults to the chat channel and keeps its data", () => {
  const parsed = parseServerFrame('{"type":"message","id":"m1","seq":1,"from":"bob","to":"alice","data":{"score":9},"sentAt":"t"}');
  assert.ok(parsed.ok && parsed.frame.type === "message");
  assert.equal(parsed.frame.channel, "chat");
  assert.deepEqual(parsed.frame.data, { score: 9 });
  assert.equal(parsed.frame.broadcast, false);
});

test("a binary message from the history API brings its payload back from base64", () => {
  const page = parseHistoryPage({
    messages: [{ type: "message", id: "f1", seq: 4, from: "bob", to: "alice", name: "a.bin", contentType: "application/octet-stream", size: 3, payload: "AQID" }],
    lastSeq: 4,
    complete: true,
  });
  const first = page.messages[0];
  assert.ok(first?.type === "message");
  assert.equal(first.file?.name, "a.bin");
  assert.deepEqual([...(first.file?.bytes ?? [])], [1, 2, 3]);
  assert.throws(() => parseHistoryPage({ error: "forbidden" }));
});

test("the JWT expiry is read from the payload without verifying", () => {
  const payload = Buffer.from(JSON.stringify({ sub: "alice", exp: 1_700_000_000 })).toString("base64url");
  assert.equal(jwtExpiryMs(`h.${payload}.s`), 1_700_000_000_000);
  assert.equal(jwtExpiryMs("not-a-jwt"), undefined);
  assert.equal(jwtExpiryMs(`h.${Buffer.from('{"sub":"a"}').toString("base64url")}.s`), undefined);
});
