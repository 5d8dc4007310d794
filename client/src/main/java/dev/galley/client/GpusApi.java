package dev.galley.client;

import java.util.Map;

/** {@code /v1/gpu-registry}: GPU models a job can ask for, with how many are online and free. */
public final class GpusApi {
    private final RetryingTransport transport;

    GpusApi(RetryingTransport transport) {
        this.transport = transport;
    }

    /** Filters: {@code only_available, min_vram_gb, name}. */
    public Page<Gpu> list(ListQuery query) {
        return Page.of(transport.call("GET", "/v1/gpu-registry" + query.toQueryString(), null, Map.of()), Gpu::new);
    }

    public Gpu get(String uuid) {
        return new Gpu(transport.call("GET", "/v1/gpu-registry/" + Urls.segment(uuid), null, Map.of()));
    }
}
