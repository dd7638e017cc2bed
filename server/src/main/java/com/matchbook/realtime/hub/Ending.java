package com.matchbook.realtime.hub;

/** How {@link Hub#end} takes a connection down; the table in {@link Hub}'s comment says which exit uses which. */
public enum Ending {
    /** The peer closed or its socket died: nothing more is written, queued frames are dropped. */
    PEER_LEFT,
    /** The server closes; what is already queued goes out first, then the close frame. */
    CLOSE_AFTER_QUEUED,
    /** The server closes at once, dropping what is queued; the close frame waits behind the write in progress. */
    CLOSE_NOW,
    /** The TCP connection is dropped without a close handshake: a write blocked past the write timeout. */
    TERMINATE,
    /**
     * A close the server sent was not answered within its grace: the TCP connection is dropped. Comes after one of the
     * closing endings, on a connection that has already ended.
     */
    CLOSE_UNANSWERED
}
