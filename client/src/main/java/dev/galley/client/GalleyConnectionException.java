package dev.galley.client;

/** The request never got an HTTP answer: connection refused, timeout, TLS failure, interrupted. */
public final class GalleyConnectionException extends RuntimeException {
    public GalleyConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
