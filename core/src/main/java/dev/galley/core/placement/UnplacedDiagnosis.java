package dev.galley.core.placement;

import dev.galley.core.lifecycle.ReasonCode;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Explains why a run found no node: NO_MATCHING_NODE when no node passes the filters even empty, naming
 * the closest miss — the deepest filter stage any node reached, with the best value seen there — or
 * WAITING_FOR_CAPACITY naming the resource most nodes that could run it are short of right now.
 * Runs only for slots that failed, so it may be slower than the placement loop.
 */
final class UnplacedDiagnosis {
    record Verdict(ReasonCode code, String reason, Map<Rejection, Integer> rejectedBy) {}

    private UnplacedDiagnosis() {}

    static Verdict diagnose(NodeFilter[] filters, CapacityLedger ledger, RunRequirements req, Set<UUID> excluded) {
        var rejectedBy = new EnumMap<Rejection, Integer>(Rejection.class);
        var shortNow = new EnumMap<Rejection, Integer>(Rejection.class);
        int fitWhenEmpty = 0;
        int drainingCouldRun = 0;
        int deepestStage = -1;
        Rejection closestMiss = null;
        double bestAtClosestMiss = 0;
        var regionsSeen = new TreeSet<String>();

        for (int i = 0; i < ledger.size(); i++) {
            NodeCapacity empty = ledger.whenEmpty(i);
            NodeCapacity free = ledger.free(i);
            Rejection now = excluded.contains(free.nodeUuid()) ? Rejection.ALREADY_RUNS_THIS_JOB
                    : firstRejection(filters, free, req).orElse(null);
            if (now != null) rejectedBy.merge(now, 1, Integer::sum);

            int stage = firstFailingStage(filters, empty, req);
            if (stage < 0) {
                fitWhenEmpty++;
                if (now != null) shortNow.merge(now, 1, Integer::sum);
                continue;
            }
            Rejection miss = filters[stage].check(empty, req).orElseThrow();
            if (miss == Rejection.NODE_DRAINING && fitsIgnoringDrain(filters, empty, req)) drainingCouldRun++;
            double measure = measure(miss, empty, req);
            if (stage > deepestStage) {
                deepestStage = stage;
                closestMiss = miss;
                bestAtClosestMiss = measure;
            } else if (stage == deepestStage) {
                bestAtClosestMiss = Math.max(bestAtClosestMiss, measure);
            }
            if (miss == Rejection.REGION_NOT_ALLOWED && empty.regionCode() != null) regionsSeen.add(empty.regionCode());
        }

        if (fitWhenEmpty > 0)
            return new Verdict(ReasonCode.WAITING_FOR_CAPACITY, waitingText(req, shortNow, fitWhenEmpty), rejectedBy);
        String noMatch = noMatchText(req, closestMiss, bestAtClosestMiss, regionsSeen, ledger.size());
        // Draining is an operator's decision, often undone: say that the job waits for it, not for new hardware.
        if (drainingCouldRun > 0) noMatch += "; " + drainingCouldRun + " draining node(s) could run it";
        return new Verdict(ReasonCode.NO_MATCHING_NODE, noMatch, rejectedBy);
    }

    /** Would this draining node fit the run when empty if it were ONLINE? Every other filter must pass. */
    private static boolean fitsIgnoringDrain(NodeFilter[] filters, NodeCapacity node, RunRequirements req) {
        for (NodeFilter filter : filters) {
            Optional<Rejection> rejection = filter.check(node, req);
            if (rejection.isPresent() && rejection.get() != Rejection.NODE_DRAINING) return false;
        }
        return true;
    }

    private static Optional<Rejection> firstRejection(NodeFilter[] filters, NodeCapacity node, RunRequirements req) {
        for (NodeFilter filter : filters) {
            Optional<Rejection> rejection = filter.check(node, req);
            if (rejection.isPresent()) return rejection;
        }
        return Optional.empty();
    }

    private static int firstFailingStage(NodeFilter[] filters, NodeCapacity node, RunRequirements req) {
        for (int stage = 0; stage < filters.length; stage++)
            if (filters[stage].check(node, req).isPresent()) return stage;
        return -1;
    }

    /** The value a "largest: …" hint reports for a node turned away by {@code miss}. */
    private static double measure(Rejection miss, NodeCapacity node, RunRequirements req) {
        return switch (miss) {
            case NOT_ENOUGH_CPU -> node.cpuCores();
            case NOT_ENOUGH_RAM -> node.ramGb();
            case NOT_ENOUGH_STORAGE -> node.storageGb();
            case NOT_ENOUGH_GPUS -> node.qualifyingGpuCount(req);
            case NODE_GONE, NODE_OFFLINE, NODE_DRAINING, REGION_NOT_ALLOWED, GPU_DEVICES_TAKEN, ALREADY_RUNS_THIS_JOB -> 0;
        };
    }

    private static String noMatchText(RunRequirements req, Rejection closestMiss, double best, Set<String> regionsSeen,
                                      int nodeCount) {
        String where = req.allowedRegionCodes().isEmpty() ? "" : " in " + new TreeSet<>(req.allowedRegionCodes());
        if (closestMiss == null || closestMiss == Rejection.NODE_DRAINING || closestMiss == Rejection.NODE_OFFLINE)
            return nodeCount == 0 ? "no online node: no node is registered"
                    : "no online node: all " + nodeCount + " node(s) are offline or draining";
        return switch (closestMiss) {
            case REGION_NOT_ALLOWED -> "no online node" + where
                    + (regionsSeen.isEmpty() ? "" : " (online nodes are in " + regionsSeen + ")");
            case NOT_ENOUGH_CPU -> "no online node" + where + " has " + req.cpuCount() + " CPU cores (largest: "
                    + number(best) + ")";
            case NOT_ENOUGH_RAM -> "no online node" + where + " has " + number(req.minRamGb()) + " GB RAM (largest: "
                    + number(best) + " GB)";
            case NOT_ENOUGH_STORAGE -> "no online node" + where + " has " + number(req.minStorageGb())
                    + " GB storage (largest: " + number(best) + " GB)";
            case NOT_ENOUGH_GPUS -> "no online node" + where + " has " + gpuPhrase(req);
            case NODE_GONE, NODE_OFFLINE, NODE_DRAINING, GPU_DEVICES_TAKEN, ALREADY_RUNS_THIS_JOB ->
                    throw new IllegalStateException("not a capacity miss: " + closestMiss);
        };
    }

    private static String waitingText(RunRequirements req, Map<Rejection, Integer> shortNow, int fitWhenEmpty) {
        String couldRun = fitWhenEmpty + " node(s) could run it once capacity frees up";
        Rejection mostCommon = shortNow.entrySet().stream()
                .max(Map.Entry.<Rejection, Integer>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())))
                .map(Map.Entry::getKey).orElse(null);
        if (mostCommon == null) return "waiting for capacity; " + couldRun;
        return switch (mostCommon) {
            case NOT_ENOUGH_CPU -> "waiting for capacity: short on free CPU cores (needs " + req.cpuCount() + "); " + couldRun;
            case NOT_ENOUGH_RAM -> "waiting for capacity: short on free RAM (needs " + number(req.minRamGb()) + " GB); " + couldRun;
            case NOT_ENOUGH_STORAGE -> "waiting for capacity: short on free storage (needs " + number(req.minStorageGb())
                    + " GB); " + couldRun;
            case NOT_ENOUGH_GPUS -> "waiting for capacity: short on free GPUs (needs " + gpuPhrase(req) + "); " + couldRun;
            case ALREADY_RUNS_THIS_JOB -> "waiting for capacity: the " + fitWhenEmpty
                    + " node(s) that could run it already run another node index of this job";
            case NODE_GONE, NODE_OFFLINE, NODE_DRAINING, REGION_NOT_ALLOWED, GPU_DEVICES_TAKEN -> "waiting for capacity; " + couldRun;
        };
    }

    /** "2 free GPUs with >= 48 GB", "1 free H100 GPU" — the spec's wording for the GPU miss. */
    static String gpuPhrase(RunRequirements req) {
        var text = new StringBuilder().append(req.gpuCount()).append(" free ");
        if (!req.gpuModel().isAny()) text.append(req.gpuModel().displayName()).append(' ');
        text.append(req.gpuCount() == 1 ? "GPU" : "GPUs");
        if (req.minVramGb() > 0) text.append(" with >= ").append(number(req.minVramGb())).append(" GB");
        return text.toString();
    }

    /** 48.0 → "48", 0.5 → "0.5". */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
