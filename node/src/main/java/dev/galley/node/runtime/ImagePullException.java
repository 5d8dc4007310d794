package dev.galley.node.runtime;

/**
 * Pulling an image failed. The message is the runtime's own error text (registry unreachable, access
 * denied, manifest unknown…), which the agent reports as the run's {@code status_reason} with
 * {@code IMAGE_PULL_FAILED}.
 */
public class ImagePullException extends ContainerRuntimeException {
    private final String imageRef;

    public ImagePullException(String imageRef, String runtimeMessage) {
        super(runtimeMessage);
        this.imageRef = imageRef;
    }

    public String imageRef() {
        return imageRef;
    }
}
