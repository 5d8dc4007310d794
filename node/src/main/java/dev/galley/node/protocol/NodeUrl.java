package dev.galley.node.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a client reaches one published container port through the agent's proxy (spec §5, {@code node_url}).
 * {@code description} is {@code "ssh"} for container port 22, else the container port as a string.
 */
public record NodeUrl(
        @JsonProperty("description") String description,
        @JsonProperty("hostname") String hostname,
        @JsonProperty("port") int port,
        @JsonProperty("protocol") String protocol,
        @JsonProperty("tls") boolean tls) {

    /** The URL for container port {@code containerPort}, published on {@code hostname:proxyPort} over plain TCP. */
    public static NodeUrl tcp(int containerPort, String hostname, int proxyPort) {
        return new NodeUrl(containerPort == 22 ? "ssh" : Integer.toString(containerPort), hostname, proxyPort, "tcp", false);
    }
}
