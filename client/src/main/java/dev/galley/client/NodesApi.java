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

    public Node get(String uuid) {
        return new Node(transport.call("GET", "/v1/nodes/" + Urls.segment(uuid), null, Map.of()));
    }
}
