package com.matchbook.realtime.store;

/** The store cannot take the write now (disk failure, Redis down): callers answer 503 / an error frame. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
