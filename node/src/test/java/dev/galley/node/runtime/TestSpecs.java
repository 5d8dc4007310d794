package dev.galley.node.runtime;

/** Container specs that pass validation, for a test to change the one part it is about. */
public final class TestSpecs {
    public static final ContainerLimits LIMITS = new ContainerLimits(1, 256L * 1024 * 1024, 512);
    /** Any valid name will do where no real engine is involved. */
    public static final String NETWORK = "test-net";
    public static final String NODE_UUID = "00000000-0000-4000-8000-0000000000ee";

    private TestSpecs() {}

    public static ContainerSpec.Builder spec(String image, String jobRunUuid) {
        return ContainerSpec.builder(image, jobRunUuid).nodeUuid(NODE_UUID).limits(LIMITS).network(NETWORK);
    }
}
