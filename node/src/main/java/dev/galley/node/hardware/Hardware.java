package dev.galley.node.hardware;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * What a node offers, in the shape of the node object's hardware fields (spec §6): {@code cpus},
 * {@code gpus}, {@code rams}, {@code hard_drives}. Sizes are in GB (2^30 bytes, one decimal), matching
 * what {@code nvidia-smi} and {@code /proc/meminfo} report in binary units.
 *
 * <p>The Jackson annotations give the protocol client the snake_case wire names directly.
 */
public record Hardware(
        @JsonProperty("cpus") List<Cpu> cpus,
        @JsonProperty("gpus") List<Gpu> gpus,
        @JsonProperty("rams") List<Ram> rams,
        @JsonProperty("hard_drives") List<Disk> hardDrives) {

    public Hardware {
        cpus = List.copyOf(cpus);
        gpus = List.copyOf(gpus);
        rams = List.copyOf(rams);
        hardDrives = List.copyOf(hardDrives);
    }

    /** Total cores over all CPU entries. */
    public int totalCores() {
        return cpus.stream().mapToInt(Cpu::numCores).sum();
    }

    /** The GPUs that physically exist here (not declared by {@code --simulate-gpu}); only these may be handed to a container. */
    public List<Gpu> realGpus() {
        return gpus.stream().filter(g -> !g.simulated()).toList();
    }

    /** A CPU model and how many logical cores of it the node has. */
    public record Cpu(@JsonProperty("name") String name, @JsonProperty("num_cores") int numCores) {
        public Cpu {
            Objects.requireNonNull(name, "name");
            if (numCores < 0) throw new IllegalArgumentException("num_cores must be >= 0, was " + numCores);
        }
    }

    /**
     * One GPU. {@code index} is the device index {@code nvidia-smi} reports (what a container runtime's
     * device selection takes); {@code uuid} is nvidia-smi's {@code GPU-…} id, or null when unknown.
     * {@code simulated} marks capacity declared by flags for testing: it is advertised to the server but
     * never handed to a container, and it is not sent on the wire.
     */
    public record Gpu(
            @JsonProperty("index") int index,
            @JsonProperty("name") String name,
            @JsonProperty("vram_gb_max") double vramGbMax,
            @JsonProperty("uuid") String uuid,
            @JsonIgnore boolean simulated) {
        public Gpu {
            Objects.requireNonNull(name, "name");
            if (vramGbMax < 0) throw new IllegalArgumentException("vram_gb_max must be >= 0, was " + vramGbMax);
        }
    }

    /** Main memory: total and currently available (MemAvailable), in GB. */
    public record Ram(
            @JsonProperty("memory_gb_max") double memoryGbMax,
            @JsonProperty("memory_gb_available") double memoryGbAvailable) {}

    /** The file system holding the agent's work directory, named by its mount/device, in GB. */
    public record Disk(
            @JsonProperty("name") String name,
            @JsonProperty("max_capacity_gb") double maxCapacityGb,
            @JsonProperty("available_capacity_gb") double availableCapacityGb) {}
}
