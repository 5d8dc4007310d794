package dev.galley.server.nodes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.server.http.Json;

/**
 * The {@code node_hardware_event} object (spec §10): {@code uuid}, {@code object}, {@code node_uuid},
 * {@code timestamp_ms} (when the sample was taken, never later than when the server received it) and the sample's
 * load fields ({@link dev.galley.core.providers.HardwareSample}).
 */
public final class HardwareEventView {
    private HardwareEventView() {}

    public static ObjectNode of(HardwareEventRepository.HardwareEventRow e) {
        ObjectNode o = Json.object();
        o.put("uuid", e.uuid().toString()).put("object", "node_hardware_event").put("node_uuid", e.nodeUuid().toString());
        e.sample().properties().forEach(p -> o.set(p.getKey(), p.getValue()));
        o.put("timestamp_ms", e.timestampMs());
        return o;
    }
}
