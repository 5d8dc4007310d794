package dev.galley.core.placement;

import dev.galley.core.gpu.GpuModel;
import dev.galley.core.lifecycle.NodeStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The capacity of one node that filters and the scorer judge: either everything it has
 * ({@link #whenEmpty}) or what is free right now ({@link #minus}). Immutable; taking a placement returns
 * a new view, so the planning loop's accumulated usage is an explicit value, never hidden state.
 *
 * <p>The node's GPUs are kept sorted by VRAM (then device index), with names normalized once, and shared
 * by all views of the node: picking "the first {@code gpu_count} matching free devices" then picks the
 * smallest ones that qualify, which keeps big GPUs for jobs that need them.
 */
public final class NodeCapacity {
    /** Absorbs rounding noise from subtracting fractional GB figures. */
    static final double EPSILON = 1e-9;

    private final UUID nodeUuid;
    private final String regionCode;
    private final NodeStatus status;
    private final int cpuCores;
    private final double ramGb;
    private final double storageGb;
    private final Gpus gpus;
    private final boolean[] gpuFree;
    private final int freeGpuCount;
    private final double reputation;

    /** The node's GPUs in VRAM order; the same arrays back every view of one node. */
    private record Gpus(int[] deviceIndex, double[] vramGb, UUID[] registryUuid, String[] normalizedName) {}

    private NodeCapacity(UUID nodeUuid, String regionCode, NodeStatus status, int cpuCores, double ramGb,
                         double storageGb, Gpus gpus, boolean[] gpuFree, double reputation) {
        this.reputation = reputation;
        this.nodeUuid = nodeUuid;
        this.regionCode = regionCode;
        this.status = status;
        this.cpuCores = cpuCores;
        this.ramGb = ramGb;
        this.storageGb = storageGb;
        this.gpus = gpus;
        this.gpuFree = gpuFree;
        int free = 0;
        for (boolean f : gpuFree) if (f) free++;
        this.freeGpuCount = free;
    }

    /** Everything the node has, as if no run held anything: "could it ever fit here?" */
    public static NodeCapacity whenEmpty(NodeSnapshot node) {
        return whenEmpty(node, new SharedStrings());
    }

    /**
     * As {@link #whenEmpty(NodeSnapshot)}, sharing one String instance per distinct region and GPU name
     * across the nodes of a round: thousands of nodes then point at a handful of strings that stay in the
     * CPU cache, and comparing them is cheap — this is the inner loop of placement.
     */
    static NodeCapacity whenEmpty(NodeSnapshot node, SharedStrings sharedStrings) {
        List<GpuDevice> sorted = new ArrayList<>(node.gpus());
        sorted.sort(Comparator.comparingDouble(GpuDevice::vramGb).thenComparingInt(GpuDevice::index));
        int n = sorted.size();
        var gpus = new Gpus(new int[n], new double[n], new UUID[n], new String[n]);
        for (int i = 0; i < n; i++) {
            GpuDevice d = sorted.get(i);
            gpus.deviceIndex[i] = d.index();
            gpus.vramGb[i] = d.vramGb();
            gpus.registryUuid[i] = d.registryUuid();
            gpus.normalizedName[i] = sharedStrings.gpuName(d.name());
        }
        boolean[] free = new boolean[n];
        java.util.Arrays.fill(free, true);
        String region = sharedStrings.region(node.regionCode());
        return new NodeCapacity(node.uuid(), region, node.status(), node.cpuCores(), node.ramGb(),
                node.storageGb(), gpus, free, node.reputation());
    }

    /**
     * One String instance per distinct region and normalized GPU name across the nodes of a round, and each
     * reported GPU name normalized once (thousands of nodes report a handful of names).
     */
    static final class SharedStrings {
        private final Map<String, String> canonical = new HashMap<>();
        private final Map<String, String> normalizedGpuNames = new HashMap<>();

        String region(String code) {
            return code == null ? null : canonical.computeIfAbsent(code, k -> k);
        }

        String gpuName(String reported) {
            String name = normalizedGpuNames.get(reported);
            if (name == null) {
                name = canonical.computeIfAbsent(GpuModel.normalize(reported), k -> k);
                normalizedGpuNames.put(reported, name);
            }
            return name;
        }
    }

    /** The node's reputation (0–100): placement's last preference before the node uuid. */
    public double reputation() {
        return reputation;
    }

    /** What is free once {@code held} is taken away; never below zero, held GPUs the node lacks are ignored. */
    public NodeCapacity minus(HeldResources held) {
        boolean[] free = gpuFree.clone();
        for (int i = 0; i < free.length; i++)
            if (held.gpuDeviceIndexes().contains(gpus.deviceIndex[i])) free[i] = false;
        return new NodeCapacity(nodeUuid, regionCode, status, Math.max(0, cpuCores - held.cpuCores()),
                Math.max(0, ramGb - held.ramGb()), Math.max(0, storageGb - held.storageGb()), gpus, free, reputation);
    }

    /**
     * What is free once one more run of {@code req} holds {@code gpuDeviceIndexes}: the one piece of arithmetic
     * placement (within a round) and the plan check (against fresh capacity) both use.
     */
    public NodeCapacity take(RunRequirements req, List<Integer> gpuDeviceIndexes) {
        return minus(new HeldResources(req.cpuCount(), req.minRamGb(), req.minStorageGb(), new java.util.HashSet<>(gpuDeviceIndexes)));
    }

    /** Whether each of these devices is on the node, free, and qualifies for {@code req} (model and VRAM). */
    public boolean canTakeGpus(RunRequirements req, List<Integer> gpuDeviceIndexes) {
        for (int device : gpuDeviceIndexes) {
            int i = positionOf(device);
            if (i < 0 || !qualifies(i, req)) return false;
        }
        return true;
    }

    private int positionOf(int deviceIndex) {
        for (int i = 0; i < gpus.deviceIndex.length; i++)
            if (gpus.deviceIndex[i] == deviceIndex) return i;
        return -1;
    }

    public UUID nodeUuid() { return nodeUuid; }

    public String regionCode() { return regionCode; }

    public NodeStatus status() { return status; }

    public int cpuCores() { return cpuCores; }

    public double ramGb() { return ramGb; }

    public double storageGb() { return storageGb; }

    public int freeGpuCount() { return freeGpuCount; }

    /** How many free GPUs qualify for {@code req} (model and VRAM), counting no further than {@code enough}. */
    public int countQualifyingGpus(RunRequirements req, int enough) {
        int count = 0;
        for (int i = 0; i < gpuFree.length && count < enough; i++)
            if (qualifies(i, req)) count++;
        return count;
    }

    /** Total VRAM of the GPUs {@link #pickGpus} would take; allocation-free, as the scorer calls it often. */
    public double pickedVramGb(RunRequirements req) {
        double total = 0;
        int picked = 0;
        for (int i = 0; i < gpuFree.length && picked < req.gpuCount(); i++) {
            if (!qualifies(i, req)) continue;
            total += gpus.vramGb[i];
            picked++;
        }
        return total;
    }

    /** Device indexes of the smallest qualifying free GPUs, in device index order; empty if too few. */
    public List<Integer> pickGpus(RunRequirements req) {
        var picked = new ArrayList<Integer>(req.gpuCount());
        for (int i = 0; i < gpuFree.length && picked.size() < req.gpuCount(); i++)
            if (qualifies(i, req)) picked.add(gpus.deviceIndex[i]);
        if (picked.size() < req.gpuCount()) return List.of();
        picked.sort(null);
        return List.copyOf(picked);
    }

    /**
     * Everything placement looks at except the node's identity: nodes with equal shapes fit the same runs
     * and score the same, so a round can consider one of them (the lowest uuid) instead of all.
     */
    Shape shape() {
        int n = 0;
        for (boolean f : gpuFree) if (f) n++;
        Object[] freeGpus = new Object[n * 3];
        int k = 0;
        for (int i = 0; i < gpuFree.length; i++) {
            if (!gpuFree[i]) continue;
            freeGpus[k++] = gpus.registryUuid[i];
            freeGpus[k++] = gpus.normalizedName[i];
            freeGpus[k++] = gpus.vramGb[i];
        }
        return new Shape(regionCode, status, cpuCores, ramGb, storageGb, java.util.Arrays.asList(freeGpus), reputation);
    }

    /** A key for seeking in orders of free capacity: no node, {@code freeGpus} free GPUs, {@code cpu} cores. */
    static NodeCapacity probe(int freeGpus, int cpu) {
        boolean[] free = new boolean[freeGpus];
        java.util.Arrays.fill(free, true);
        return new NodeCapacity(null, null, NodeStatus.ONLINE, cpu, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY,
                new Gpus(new int[freeGpus], new double[freeGpus], new UUID[freeGpus], new String[freeGpus]), free, 0);
    }

    /** See {@link #shape()}. Free GPUs are listed in the node's smallest-VRAM-first order. */
    record Shape(String regionCode, NodeStatus status, int cpuCores, double ramGb, double storageGb, List<Object> freeGpus,
                 double reputation) {}

    /** The most qualifying free GPUs on this view, for "closest miss" messages. */
    int qualifyingGpuCount(RunRequirements req) {
        return countQualifyingGpus(req, Integer.MAX_VALUE);
    }

    private boolean qualifies(int i, RunRequirements req) {
        return gpuFree[i]
                && gpus.vramGb[i] + EPSILON >= req.minVramGb()
                && req.gpuModel().accepts(gpus.registryUuid[i], gpus.normalizedName[i]);
    }
}
