package dev.galley.core.billing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the metering rule needs to know about one run, read at one instant.
 *
 * @param startedAt     when the run went RUNNING: metering starts here
 * @param meteredUntil  how far the run was already metered (closed usage periods end here); {@code startedAt} at first
 * @param endedAt       when the run ended (COMPLETED, FAILED, CANCELLED, timed out, lost); null while it runs
 * @param nodeLost      it ended because its node stopped heartbeating (NODE_LOST)
 * @param nodeLastSeen  the node's last heartbeat as the database holds it now
 * @param nodeTtl       how long a node may be silent before the server declares it lost (GALLEY_NODE_TTL_MS)
 * @param now           the closer's clock
 * @param period        the metering period: a running run is cut every {@code period} from its start
 * @param pricePerHour  the run's hourly price, fixed by the rate card in force at {@code startedAt}
 */
public record MeterReading(Instant startedAt, Instant meteredUntil, Instant endedAt, boolean nodeLost,
                           Instant nodeLastSeen, Duration nodeTtl, Instant now, Duration period, BigDecimal pricePerHour) {
    public MeterReading {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(meteredUntil, "meteredUntil");
        Objects.requireNonNull(nodeLastSeen, "nodeLastSeen");
        Objects.requireNonNull(nodeTtl, "nodeTtl");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(pricePerHour, "pricePerHour");
        Metering.requireValidPeriod(period);
        if (meteredUntil.isBefore(startedAt)) throw new IllegalArgumentException("metered until before the run started");
        if (endedAt != null && endedAt.isBefore(startedAt)) throw new IllegalArgumentException("ended before it started");
        if (nodeLost && endedAt == null) throw new IllegalArgumentException("a lost run has ended");
    }

    public boolean running() {
        return endedAt == null;
    }
}
