package dev.galley.core.placement;

/**
 * Ranks fitting nodes by what would be left over after taking the run (spec §5.3: "prefer the tightest
 * fit, GPUs first"), so a 1-GPU job lands on a 1-GPU node and the 8-GPU node stays whole for a job that
 * needs it. Order: free GPUs left, then VRAM of the GPUs it would take (the smallest that qualify), then
 * CPU cores, RAM and storage left, then the higher reputation (spec §10: placement prefers more reputable
 * nodes among equally tight fits; a fit is never traded for reputation), and finally the node uuid, so equal
 * fits resolve the same way every round. A CPU-only job therefore prefers nodes without free GPUs.
 *
 * <p>Both nodes take the same run, so "left over" differences are differences of free capacity: the
 * comparison needs no subtraction and allocates nothing — it runs for every fitting node of every job.
 */
public final class TightestFitScorer {
    /** Negative when {@code a} is the tighter fit; both must have passed every filter. */
    public int compare(NodeCapacity a, NodeCapacity b, RunRequirements requirements) {
        int byGpus = Integer.compare(a.freeGpuCount(), b.freeGpuCount());
        if (byGpus != 0) return byGpus;
        if (requirements.gpuCount() > 0) {
            int byVram = Double.compare(a.pickedVramGb(requirements), b.pickedVramGb(requirements));
            if (byVram != 0) return byVram;
        }
        int byCpu = Integer.compare(a.cpuCores(), b.cpuCores());
        if (byCpu != 0) return byCpu;
        int byRam = Double.compare(a.ramGb(), b.ramGb());
        if (byRam != 0) return byRam;
        int byStorage = Double.compare(a.storageGb(), b.storageGb());
        if (byStorage != 0) return byStorage;
        int byReputation = Double.compare(b.reputation(), a.reputation());
        if (byReputation != 0) return byReputation;
        return a.nodeUuid().compareTo(b.nodeUuid());
    }
}
