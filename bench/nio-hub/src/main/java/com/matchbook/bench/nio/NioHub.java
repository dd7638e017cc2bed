package com.matchbook.bench.nio;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * A gauge, not a peer: the Netty hub's protocol (welcome, send/ack, message, broadcast and ping frames) on the JDK's
 * own non-blocking socket channels, with one {@link Selector} thread doing everything, as the Netty hub's one event
 * loop does. It measures what the selector model would cost a server on the JDK's sockets (which Helidon's are)
 * instead of a virtual thread per connection blocking in its read: the readiness comes from one {@code epoll_wait}
 * for many sockets, the registration is level-triggered and left as it is, so a message costs one {@code read} and no
 * {@code epoll_ctl}. Its distance to the Netty hub is Netty's native epoll transport and codec against the JDK's
 * selector and this file's few lines; its distance to the Helidon gauge is what the threading model costs.
 *
 * <p>Written by hand, not on a library: any WebSocket library would measure its own layer, not the JDK's selector.
 * So it does only what the generator needs: the upgrade (RFC 6455 section 4.2), unfragmented masked text frames of at
 * most {@link Connection#MAX_PAYLOAD} bytes, ping and close. Anything else ends the connection. No store, limits or
 * outbox queue beyond a socket's unwritten bytes. Usage: {@code java -Dport=18098 -jar nio-hub.jar}
 */
public final class NioHub {
    private NioHub() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.getInteger("port", 18098);
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", port), 4096);   // the Netty hub's backlog
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        System.out.println("nio hub listening on " + port + " (" + selector.provider().getClass().getSimpleName() + ")");
        Hub hub = new Hub();
        // One read buffer for every socket: only this thread reads, and a direct buffer spares the JDK the copy it
        // makes from a temporary direct buffer into a heap one.
        ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
        while (true) {
            selector.select();
            Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
            while (ready.hasNext()) {
                SelectionKey key = ready.next();
                ready.remove();
                if (!key.isValid()) {
                    continue;
                }
                if (key.isAcceptable()) {
                    accept(server, selector, hub);
                    continue;
                }
                Connection c = (Connection) key.attachment();
                try {
                    if (key.isWritable()) {
                        c.flush();
                    }
                    if (key.isValid() && key.isReadable()) {
                        c.read(readBuffer);
                    }
                } catch (RuntimeException e) {
                    // one socket's failure is its own: the loop serves every other socket
                    System.err.println("connection dropped: " + e);
                    c.close();
                }
            }
        }
    }

    /** Takes every connection waiting in the backlog; a failed accept (no descriptors left) waits for the next event. */
    private static void accept(ServerSocketChannel server, Selector selector, Hub hub) {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                System.err.println("accept failed: " + e);
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                ch.configureBlocking(false);
                // As Matchbook and the Netty hub: small frames leave at once instead of waiting for a delayed ACK.
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Connection c = new Connection(ch, hub);
                c.attach(ch.register(selector, SelectionKey.OP_READ, c));
            } catch (IOException e) {
                try {
                    ch.close();   // reset before it was set up
                } catch (IOException ignored) {
                    // gone already
                }
            }
        }
    }
}
