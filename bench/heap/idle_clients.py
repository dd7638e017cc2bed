#!/usr/bin/env python3
"""Opens N idle WebSocket connections to a Matchbook server and holds them until stdin closes or SIGTERM.

For memory accounting (bench/heap/idle-histogram.sh), not for timing: one thread, non-blocking sockets, source
addresses spread over 127.0.0.2-11 like the benchmark's generator (so thousands fit past the ephemeral port range).
Each socket upgrades at /ws?id=idle-<i>, waits for the server's welcome, then only answers pings with pongs (RFC 6455
5.5.2), as an idle browser tab does. Prints "open N" once every socket is welcomed, "closed K" for sockets the
server closed meanwhile.
    idle_clients.py PORT N
"""
import base64
import os
import selectors
import signal
import socket
import struct
import sys
import time


def handshake(i):
    key = base64.b64encode(os.urandom(16)).decode()
    return (f"GET /ws?id=idle-{i} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()


def masked(opcode, payload):
    mask = os.urandom(4)
    body = bytes(b ^ mask[j % 4] for j, b in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + body


class Conn:
    def __init__(self, i, sock):
        self.i, self.sock, self.buf, self.upgraded, self.welcomed = i, sock, b"", False, False


def frames(c):
    """Yields (opcode, payload) of each whole frame in c.buf (server frames are unmasked)."""
    while len(c.buf) >= 2:
        n = c.buf[1] & 0x7F
        at = 2
        if n == 126:
            if len(c.buf) < 4:
                return
            n, at = struct.unpack(">H", c.buf[2:4])[0], 4
        elif n == 127:
            if len(c.buf) < 10:
                return
            n, at = struct.unpack(">Q", c.buf[2:10])[0], 10
        if len(c.buf) < at + n:
            return
        opcode, payload = c.buf[0] & 0x0F, c.buf[at:at + n]
        c.buf = c.buf[at + n:]
        yield opcode, payload


def main():
    port, n = int(sys.argv[1]), int(sys.argv[2])
    sel = selectors.DefaultSelector()
    conns = []
    for i in range(n):
        s = socket.socket()
        s.bind((f"127.0.0.{2 + i % 10}", 0))
        s.connect(("127.0.0.1", port))
        s.sendall(handshake(i))
        s.setblocking(False)
        c = Conn(i, s)
        conns.append(c)
        sel.register(s, selectors.EVENT_READ, c)
        if i % 100 == 99:
            pump(sel, 0)   # keep up with welcomes while connecting
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    deadline = time.time() + 120
    while sum(c.welcomed for c in conns) < n and time.time() < deadline:
        pump(sel, 0.2)
    print(f"open {sum(c.welcomed for c in conns)}", flush=True)
    sel.register(sys.stdin, selectors.EVENT_READ, None)
    while not stop:
        if pump(sel, 1.0):
            break
    for c in conns:
        c.sock.close()


closed = 0


def pump(sel, timeout):
    """Reads what is there; True when stdin closed."""
    global closed
    for key, _ in sel.select(timeout):
        c = key.data
        if c is None:
            if not sys.stdin.readline():
                return True
            continue
        try:
            data = c.sock.recv(65536)
        except BlockingIOError:
            continue
        except OSError:
            data = b""
        if not data:
            sel.unregister(c.sock)
            closed += 1
            print(f"closed {closed}", flush=True)
            continue
        c.buf += data
        if not c.upgraded:
            end = c.buf.find(b"\r\n\r\n")
            if end < 0:
                continue
            if not c.buf.startswith(b"HTTP/1.1 101"):
                raise SystemExit(f"socket {c.i} refused: {c.buf[:end].decode(errors='replace')}")
            c.upgraded, c.buf = True, c.buf[end + 4:]
        for opcode, payload in frames(c):
            if opcode == 0x1 and b'"welcome"' in payload:
                c.welcomed = True
            elif opcode == 0x9:
                c.sock.sendall(masked(0xA, payload))
    return False


if __name__ == "__main__":
    main()
