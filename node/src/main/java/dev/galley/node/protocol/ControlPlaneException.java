package dev.galley.node.protocol;

/**
 * The server refused a call for good (400, 401, 403, …): retrying the same request will not help. For
 * a rejected key (401/403) the agent cannot do anything at all, so {@code galley node} says so and exits.
 */
public class ControlPlaneException extends RuntimeException {
    private final int status;

    public ControlPlaneException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the server answered with. */
    public int status() {
        return status;
    }

    /** True for 401 and 403: the API key is unknown, revoked or lacks the compute_node permissions. */
    public boolean isKeyRejected() {
        return status == 401 || status == 403;
    }
}
