package dev.galley.node.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.galley.node.hardware.Hardware;
import java.util.Objects;

/**
 * The body of {@code POST /v1/nodes/register} ({@code node_register_request}). {@link Hardware} already
 * serializes to the wire's {@code node_hardware} shape; simulated GPUs are included (that is their
 * point) but their {@code simulated} marker is not sent.
 */
public record NodeRegistration(
        @JsonProperty("name") String name,
        @JsonProperty("region_code") String regionCode,
        @JsonProperty("public_host") String publicHost,
        @JsonProperty("agent_version") String agentVersion,
        @JsonProperty("hardware") Hardware hardware) {

    public NodeRegistration {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("node name must not be blank");
        if (regionCode == null || regionCode.isBlank()) throw new IllegalArgumentException("region code must not be blank");
        Objects.requireNonNull(hardware, "hardware");
    }
}
