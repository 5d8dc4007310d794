package dev.galley.node.runtime;

/** The runtime has no container with that id or name (removed, or never created). */
public class ContainerNotFoundException extends ContainerRuntimeException {
    private final String containerId;

    public ContainerNotFoundException(String containerId, String runtimeMessage) {
        super("no such container " + containerId + ": " + runtimeMessage);
        this.containerId = containerId;
    }

    public String containerId() {
        return containerId;
    }
}
