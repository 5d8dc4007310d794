package dev.galley.node.protocol;

/**
 * The server could not be reached or kept failing (connection errors, timeouts, 5xx, 429) through all
 * the retries of one call. Transient by nature: the agent's loops back off and try again later.
 */
public class ControlPlaneUnavailableException extends RuntimeException {
    public ControlPlaneUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
