package dev.galley.client;

import java.util.Map;

/** {@code /v1/compute/epochs}: compute epochs and the rewards nodes earned in them (epochs.read.own|all). */
public final class EpochsApi {
    private final RetryingTransport transport;

    EpochsApi(RetryingTransport transport) {
        this.transport = transport;
    }

    /** Filters: {@code status, starts_at}. */
    public Page<ComputeEpoch> list(ListQuery query) {
        return Page.of(transport.call("GET", "/v1/compute/epochs" + query.toQueryString(), null, Map.of()), ComputeEpoch::new);
    }

    public ComputeEpoch get(String uuid) {
        return new ComputeEpoch(transport.call("GET", "/v1/compute/epochs/" + Urls.segment(uuid), null, Map.of()));
    }

    /** The epoch's reward rows: of the caller's account's nodes, or every node's with epochs.read.all. Filter: {@code node_uuid}. */
    public Page<EpochReward> rewards(String epochUuid, ListQuery query) {
        return Page.of(transport.call("GET", "/v1/compute/epochs/" + Urls.segment(epochUuid) + "/rewards" + query.toQueryString(),
                null, Map.of()), EpochReward::new);
    }
}
