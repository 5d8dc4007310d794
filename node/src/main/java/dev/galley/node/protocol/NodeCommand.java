package dev.galley.node.protocol;

/**
 * An instruction from the server, delivered in a heartbeat response ({@code node_command}). The only
 * type today is {@value #STOP_RUN}: stop the container of {@code jobRunUuid} (a cancel, or a timeout the
 * server noticed); {@code reason} says why and becomes the run's {@code status_reason}.
 */
public record NodeCommand(String type, String jobRunUuid, String reason) {
    public static final String STOP_RUN = "stop_run";

    public boolean isStopRun() {
        return STOP_RUN.equals(type);
    }
}
