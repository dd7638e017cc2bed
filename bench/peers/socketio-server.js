'use strict';
// The same job on Socket.IO 4.8, written the way its documentation suggests: one room per user id (a user's tabs all
// join it), a `send` event answered through the acknowledgement callback and emitted to the recipient's room,
// POST /send-message that emits to a room, and a broadcast to every socket (POST /api/broadcast or a `broadcast`
// event). WebSocket transport only. Usage: PORT=18083 node socketio-server.js
const http = require('http');
const { Server } = require('socket.io');

const port = Number(process.env.PORT || 18083);
const seqs = new Map(); // user id -> last seq given
let messageCount = 0;

function deliver(from, to, text) {
  const seq = (seqs.get(to) || 0) + 1;
  seqs.set(to, seq);
  const id = 'm' + ++messageCount;
  io.to(to).emit('message', { id, seq, channel: 'chat', from, to, text, sentAt: new Date().toISOString() });
  return { id, seq };
}

function broadcast(from, text) {
  io.emit('message', { id: 'b' + ++messageCount, channel: 'chat', from, text, sentAt: new Date().toISOString(), broadcast: true });
}

function reply(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return reply(res, 200, { status: 'UP' });
  if (req.method !== 'POST') return reply(res, 404, { error: 'not_found' });
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (e) {
      return reply(res, 400, { error: 'invalid_json' });
    }
    if (typeof body.text !== 'string') return reply(res, 400, { error: 'missing_field' });
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

const io = new Server(server, { transports: ['websocket'], serveClient: false });

io.use((socket, next) => {
  const id = socket.handshake.query.id;
  if (typeof id !== 'string' || id.length === 0) return next(new Error('missing id'));
  socket.data.userId = id;
  next();
});

io.on('connection', (socket) => {
  const userId = socket.data.userId;
  socket.join(userId);
  socket.on('send', (msg, ack) => {
    const result = deliver(userId, msg.to, msg.text);
    if (typeof ack === 'function') ack(result);
  });
  socket.on('broadcast', (msg) => broadcast(userId, msg.text));
});

server.listen(port, '127.0.0.1', 4096, () => console.log(`socket.io server listening on ${port}`));
