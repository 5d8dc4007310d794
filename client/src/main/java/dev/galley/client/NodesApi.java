package dev.galley.client;

import java.util.Map;

/** {@code /v1/nodes}, read side: the machines that run jobs. */
public final class NodesApi {
    private final RetryingTransport transport;

    NodesApi(RetryingTransport transport) {
        this.transport = transport;
    }

    /** Filters: {@code status, region_code}. */
    public Page<Node> list(ListQuery query) {
        return Page.of(transport.call("GET", "/v1/nodes" + query.toQueryString(), null, Map.of()), Node::new);
    }

    /** The node's stored load samples, newest first by default. Filter: {@code timestamp_ms} ({@code a,b}). */
    public Page<HardwareEvent> hardwareEvents(String uuid, ListQuery query) {
        return Page.of(transport.call("GET", "/v1/nodes/" + Urls.segment(uuid) + "/hardware-events" + query.toQueryString(),
                null, Map.of()), HardwareEvent::new);
    }

    public Node get(String uuid) {
        return new Node(transport.call("GET", "/v1/nodes/" + Urls.segment(uuid), null, Map.of()));
    }
}
