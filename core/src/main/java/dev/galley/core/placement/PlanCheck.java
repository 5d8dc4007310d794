package dev.galley.core.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Re-checks a plan against fresh node snapshots just before it is written. A plan is computed from a
 * snapshot that may be stale by then: another replica may have placed runs on the same nodes, a node may
 * have gone OFFLINE, been drained or deleted. Each planned run must still pass the very filters placement
 * used, on the node's capacity now (with what the runs accepted before it take), and the GPU devices the
 * plan chose must still be free. A job is all-or-nothing: if one of its runs is refused, none is written
 * and the job waits for the next round. Pure; jobs are checked in the order given (the plan's oldest first).
 */
public final class PlanCheck {
    /** The runs a plan puts down for one job, with what each run needs. */
    public record PlannedJob(UUID jobUuid, RunRequirements requirements, List<Placement> placements) {
        public PlannedJob {
            Objects.requireNonNull(jobUuid, "jobUuid");
            Objects.requireNonNull(requirements, "requirements");
            placements = List.copyOf(placements);
            if (placements.isEmpty()) throw new IllegalArgumentException("job " + jobUuid + " has no placements");
            for (Placement p : placements) {
                if (!p.jobUuid().equals(jobUuid))
                    throw new IllegalArgumentException("placement of job " + p.jobUuid() + " planned under job " + jobUuid);
                if (p.gpuDeviceIndexes().size() != requirements.gpuCount()
                        || new java.util.HashSet<>(p.gpuDeviceIndexes()).size() != p.gpuDeviceIndexes().size())
                    throw new IllegalArgumentException("job " + jobUuid + " needs " + requirements.gpuCount()
                            + " distinct GPU(s) per run, a placement names " + p.gpuDeviceIndexes());
            }
        }
    }

    /** A job none of whose runs is written, because {@code placement} no longer fits, for {@code reason}. */
    public record Refused(UUID jobUuid, Placement placement, Rejection reason) {}

    public record Result(List<PlannedJob> accepted, List<Refused> refused) {
        public Result {
            accepted = List.copyOf(accepted);
            refused = List.copyOf(refused);
        }
    }

    private final PlacementPipeline pipeline;

    private PlanCheck(PlacementPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Checks with the filters of {@link PlacementPipeline#standard()}: the same notion of fit as placement. */
    public static PlanCheck standard() {
        return new PlanCheck(PlacementPipeline.standard());
    }

    /**
     * @param fresh the planned nodes as they are now; a planned node missing here is gone
     * @param jobs  the plan, grouped by job
     */
    public Result check(List<NodeSnapshot> fresh, List<PlannedJob> jobs) {
        Map<UUID, NodeCapacity> free = new HashMap<>(fresh.size() * 2);
        var sharedStrings = new NodeCapacity.SharedStrings();
        for (NodeSnapshot node : fresh)
            if (free.put(node.uuid(), NodeCapacity.whenEmpty(node, sharedStrings).minus(node.held())) != null)
                throw new IllegalArgumentException("node " + node.uuid() + " appears twice");

        var accepted = new ArrayList<PlannedJob>();
        var refused = new ArrayList<Refused>();
        for (PlannedJob job : jobs) {
            // The job's runs take capacity in a trial copy first, so a refused job leaves nothing taken.
            Map<UUID, NodeCapacity> trial = new HashMap<>(job.placements().size() * 2);
            Refused refusal = null;
            for (Placement p : job.placements()) {
                NodeCapacity now = trial.containsKey(p.nodeUuid()) ? trial.get(p.nodeUuid()) : free.get(p.nodeUuid());
                Optional<Rejection> why = rejection(now, job.requirements(), p.gpuDeviceIndexes());
                if (why.isPresent()) {
                    refusal = new Refused(job.jobUuid(), p, why.get());
                    break;
                }
                trial.put(p.nodeUuid(), now.take(job.requirements(), p.gpuDeviceIndexes()));
            }
            if (refusal != null) {
                refused.add(refusal);
            } else {
                free.putAll(trial);
                accepted.add(job);
            }
        }
        return new Result(accepted, refused);
    }

    private Optional<Rejection> rejection(NodeCapacity now, RunRequirements req, List<Integer> gpuDevices) {
        if (now == null) return Rejection.NODE_GONE.asOptional();
        Optional<Rejection> filtered = pipeline.firstRejection(now, req);
        if (filtered.isPresent()) return filtered;
        return now.canTakeGpus(req, gpuDevices) ? Optional.empty() : Rejection.GPU_DEVICES_TAKEN.asOptional();
    }
}
