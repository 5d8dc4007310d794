package dev.galley.server.metering;

import dev.galley.core.billing.FixedPrice;
import dev.galley.core.billing.MeterReading;
import dev.galley.core.billing.RateCard;
import dev.galley.core.billing.RunResources;
import dev.galley.core.lifecycle.ReasonCode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** From a meter as stored to what core's rules take: its reading now, and its run's price when not fixed yet. */
public final class Meters {
    private Meters() {}

    /** The meter read at {@code now}: NODE_LOST runs are charged to their node's last heartbeat (core's Metering). */
    public static MeterReading reading(MeterRow m, FixedPrice price, Instant now, Duration period, Duration nodeTtl) {
        boolean ended = !m.active();
        boolean lost = ended && ReasonCode.NODE_LOST.name().equals(m.statusReasonCode());
        // A run that ended has completed_at; one without (never in practice) ends where it was metered: nothing more is charged.
        Instant endedAt = !ended ? null : m.completedAt() != null ? m.completedAt() : m.meteredUntil();
        return new MeterReading(m.startedAt(), m.meteredUntil(), endedAt, lost, m.nodeLastSeen(), nodeTtl, now, period,
                price.pricePerHour());
    }

    /** The run's price: as fixed, or from {@code card} at its start and the GPUs it holds ({@code nodeGpus} by device index). */
    public static FixedPrice price(MeterRow m, RateCard card, Map<Integer, MeterRepository.NodeGpu> nodeGpus) {
        if (m.priced()) return new FixedPrice(m.pricePerHour(), m.gpuName(), m.gpuCount());
        List<FixedPrice.Gpu> held = new ArrayList<>();
        for (int device : m.gpuDevices()) {
            var g = nodeGpus.get(device);
            held.add(g == null ? new FixedPrice.Gpu(null, null) : new FixedPrice.Gpu(g.gpuModel(), g.name()));
        }
        return FixedPrice.at(card, m.startedAt(), held, m.cpuCount(), RunResources.quantity(m.ramGb()),
                RunResources.quantity(m.storageGb()));
    }
}
