package dev.galley.node.agent;

import dev.galley.core.providers.HardwareSample;

/**
 * Where the agent's load samples come from: the machine ({@link dev.galley.node.hardware.LoadSampler}) in
 * {@code galley node}, a fixed sample in tests, or {@link #NONE}.
 */
@FunctionalInterface
public interface Telemetry {
    /** No samples: heartbeats carry no {@code hardware_event}. */
    Telemetry NONE = () -> null;

    /** A sample now, or null when there is none. */
    HardwareSample sample() throws InterruptedException;
}
