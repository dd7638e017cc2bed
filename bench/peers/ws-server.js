'use strict';
// A minimal hub on ws 8 that speaks the core of docs/protocol.md: `welcome` on connect, `send` answered
// by `ack` and delivered as `message` to every connection of the recipient, plus what the benchmark needs to drive
// it like Matchbook: a `broadcast` frame, POST /send-message and POST /api/broadcast. No history, no limits:
// the least a Node server has to do for this job. Usage: PORT=18084 node ws-server.js
const http = require('http');
const { WebSocketServer } = require('ws');

const port = Number(process.env.PORT || 18084);
const users = new Map(); // user id -> Set of sockets
const seqs = new Map(); // user id -> last seq given
let messageCount = 0;
let connectionCount = 0;
const TEXT = { binary: false }; // a Buffer goes out as a binary frame unless told otherwise

function messageFrame(fields) {
  // Encoded once, as a Buffer, however many sockets it goes to.
  return Buffer.from(JSON.stringify({ type: 'message', ...fields, sentAt: new Date().toISOString() }));
}

function deliver(from, to, text) {
  const seq = (seqs.get(to) || 0) + 1;
  seqs.set(to, seq);
  const id = 'm' + ++messageCount;
  const frame = messageFrame({ id, seq, channel: 'chat', from, to, text });
  const sockets = users.get(to);
  if (sockets) for (const ws of sockets) ws.send(frame, TEXT);
  return { id, seq };
}

function broadcast(from, text) {
  const frame = messageFrame({ id: 'b' + ++messageCount, channel: 'chat', from, text, broadcast: true });
  for (const ws of wss.clients) ws.send(frame, TEXT);
}

function readJson(req, done) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      done(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch (e) {
      done(null);
    }
  });
}

function reply(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return reply(res, 200, { status: 'UP' });
  if (req.method !== 'POST') return reply(res, 404, { error: 'not_found' });
  readJson(req, (body) => {
    if (!body || typeof body.text !== 'string') return reply(res, 400, { error: 'invalid_json' });
    if (req.url === '/send-message' && typeof body.to === 'string') {
      return reply(res, 202, deliver(body.from || 'system', body.to, body.text));
    }
    if (req.url === '/api/broadcast') {
      broadcast('system', body.text);
      return reply(res, 202, {});
    }
    reply(res, 404, { error: 'not_found' });
  });
});

const wss = new WebSocketServer({ server, path: '/ws' });

wss.on('connection', (ws, req) => {
  const id = new URL(req.url, 'http://localhost').searchParams.get('id');
  if (!id) return ws.close(4000, 'missing id');
  if (!users.has(id)) users.set(id, new Set());
  users.get(id).add(ws);
  ws.on('close', () => {
    const sockets = users.get(id);
    sockets.delete(ws);
    if (sockets.size === 0) users.delete(id);
  });
  ws.on('message', (data) => {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      return ws.send(JSON.stringify({ type: 'error', code: 'invalid_json', message: 'not JSON' }));
    }
    if (frame.type === 'send') {
      const { id: messageId, seq } = deliver(id, frame.to, frame.text);
      ws.send(JSON.stringify({ type: 'ack', ref: frame.ref, id: messageId, seq }));
    } else if (frame.type === 'broadcast') {
      broadcast(id, frame.text);
    } else if (frame.type === 'ping') {
      ws.send('{"type":"pong"}');
    }
  });
  ws.send(JSON.stringify({ type: 'welcome', id, connectionId: 'c' + ++connectionCount, heartbeatMs: 25000, lastSeq: seqs.get(id) || 0 }));
});

server.listen(port, '127.0.0.1', 4096, () => console.log(`ws hub listening on ${port}`));
