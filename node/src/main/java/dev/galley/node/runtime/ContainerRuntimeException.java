package dev.galley.node.runtime;

/** A container runtime command failed; the message carries what the runtime printed on stderr. */
public class ContainerRuntimeException extends RuntimeException {
    public ContainerRuntimeException(String message) {
        super(message);
    }

    public ContainerRuntimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
