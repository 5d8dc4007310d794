package dev.galley.core.placement;

import dev.galley.core.lifecycle.NodeStatus;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static dev.galley.core.placement.TestJobs.cpuJob;
import static dev.galley.core.placement.TestJobs.gpuJob;
import static dev.galley.core.placement.TestNodes.cpuNode;
import static dev.galley.core.placement.TestNodes.gpuNode;
import static org.assertj.core.api.Assertions.assertThat;

/** Table tests for every fit rule of spec §5.3, one filter at a time, against FREE capacity. */
class NodeFiltersTest {

    private static Optional<Rejection> check(NodeFilter filter, TestNodes.NodeBuilder node, TestJobs.JobBuilder job) {
        NodeSnapshot snapshot = node.build();
        return filter.check(NodeCapacity.whenEmpty(snapshot).minus(snapshot.held()), job.requirements());
    }

    @Nested
    class Schedulable {
        @Test
        void online_node_passes_and_draining_or_offline_node_is_rejected() {
            assertThat(check(new SchedulableFilter(), cpuNode(), cpuJob())).isEmpty();
            assertThat(check(new SchedulableFilter(), TestNodes.drainingNode(), cpuJob())).contains(Rejection.NODE_DRAINING);
            assertThat(check(new SchedulableFilter(), cpuNode().withStatus(NodeStatus.OFFLINE), cpuJob())).contains(Rejection.NODE_OFFLINE);
        }
    }

    @Nested
    class Region {
        @ParameterizedTest(name = "node in {0}, job allows [{1}] -> fits: {2}")
        @CsvSource(delimiter = ';', value = {
                "eu-west-1; ''; true",
                "eu-west-1; eu-west-1; true",
                "eu-west-1; us-east-1,eu-west-1; true",
                "eu-west-1; us-east-1; false",
                "eu-west-1; eu-west-2; false"})
        void region_must_be_allowed(String nodeRegion, String allowed, boolean fits) {
            String[] regions = allowed.isEmpty() ? new String[0] : allowed.split(",");
            assertThat(check(new RegionFilter(), cpuNode().withRegion(nodeRegion), cpuJob().withRegions(regions)).isEmpty())
                    .isEqualTo(fits);
        }

        @Test
        void node_without_region_fits_only_jobs_allowed_anywhere() {
            assertThat(check(new RegionFilter(), cpuNode().withRegion(null), cpuJob())).isEmpty();
            assertThat(check(new RegionFilter(), cpuNode().withRegion(null), cpuJob().withRegions("eu-west-1")))
                    .contains(Rejection.REGION_NOT_ALLOWED);
        }
    }

    @Nested
    class Cpu {
        @ParameterizedTest(name = "{0} cores, {1} held, job needs {2} -> fits: {3}")
        @CsvSource({"16,0,16,true", "16,0,17,false", "16,12,4,true", "16,12,5,false", "16,0,0,true", "4,8,0,true"})
        void free_cores_must_cover_cpu_count(int cores, int held, int needed, boolean fits) {
            var node = cpuNode().withCpu(cores).withHeld(new HeldResources(held, 0, 0, Set.of()));
            assertThat(check(new CpuFilter(), node, cpuJob().withCpu(needed)))
                    .isEqualTo(fits ? Optional.empty() : Optional.of(Rejection.NOT_ENOUGH_CPU));
        }
    }

    @Nested
    class Ram {
        @ParameterizedTest(name = "{0} GB, {1} held, job needs {2} -> fits: {3}")
        @CsvSource({"64,0,64,true", "64,0,64.5,false", "64,0.3,63.7,true", "64,32,33,false", "0.5,0,0.5,true"})
        void free_ram_must_cover_min_ram(double ram, double held, double needed, boolean fits) {
            var node = cpuNode().withRam(ram).withHeld(new HeldResources(0, held, 0, Set.of()));
            assertThat(check(new RamFilter(), node, cpuJob().withRam(needed)))
                    .isEqualTo(fits ? Optional.empty() : Optional.of(Rejection.NOT_ENOUGH_RAM));
        }
    }

    @Nested
    class Storage {
        @ParameterizedTest(name = "{0} GB, {1} held, job needs {2} -> fits: {3}")
        @CsvSource({"500,0,500,true", "500,0,501,false", "500,400,100,true", "500,400.1,100,false"})
        void free_storage_must_cover_min_storage(double storage, double held, double needed, boolean fits) {
            var node = cpuNode().withStorage(storage).withHeld(new HeldResources(0, 0, held, Set.of()));
            assertThat(check(new StorageFilter(), node, cpuJob().withStorage(needed)))
                    .isEqualTo(fits ? Optional.empty() : Optional.of(Rejection.NOT_ENOUGH_STORAGE));
        }
    }

    @Nested
    class Gpu {
        private final GpuFilter filter = new GpuFilter();

        @ParameterizedTest(name = "{0} GPUs, job needs {1} -> fits: {2}")
        @CsvSource({"0,0,true", "0,1,false", "1,1,true", "8,8,true", "8,9,false", "2,1,true"})
        void gpu_count(int devices, int needed, boolean fits) {
            var node = gpuNode(devices, TestGpus.H100);
            assertThat(check(filter, node, gpuJob(needed)).isEmpty()).isEqualTo(fits);
        }

        @Test
        void held_gpus_are_not_free() {
            var node = gpuNode(2, TestGpus.H100).withHeldGpus(0);
            assertThat(check(filter, node, gpuJob(1))).isEmpty();
            assertThat(check(filter, node, gpuJob(2))).contains(Rejection.NOT_ENOUGH_GPUS);
        }

        @ParameterizedTest(name = "job asks for ''{0}'' -> fits an H100 node: {1}")
        @CsvSource({"H100 80GB,true", "h100,true", "  H100   sxm5 ,true", "A100,false", "RTX 4090,false"})
        void gpu_model_by_name_or_alias_resolved_through_the_catalog(String gpuName, boolean fits) {
            var model = GpuModelRequirement.resolve(gpuName, null, TestGpus.CATALOG);
            assertThat(check(filter, gpuNode(), gpuJob(1).withModel(model)).isEmpty()).isEqualTo(fits);
        }

        @Test
        void gpu_model_by_registry_uuid() {
            var h100 = GpuModelRequirement.resolve(null, TestGpus.H100.uuid(), TestGpus.CATALOG);
            var a100 = GpuModelRequirement.resolve(null, TestGpus.A100.uuid(), TestGpus.CATALOG);
            assertThat(check(filter, gpuNode(), gpuJob(1).withModel(h100))).isEmpty();
            assertThat(check(filter, gpuNode(), gpuJob(1).withModel(a100))).contains(Rejection.NOT_ENOUGH_GPUS);
        }

        @Test
        void device_the_registry_did_not_resolve_matches_by_alias() {
            var unresolved = cpuNode().withGpus(List.of(new GpuDevice(0, "NVIDIA-H100-SXM5", null, 80),
                    new GpuDevice(1, "h100", null, 80)));
            var h100 = GpuModelRequirement.resolve(null, TestGpus.H100.uuid(), TestGpus.CATALOG);
            // "NVIDIA-H100-SXM5" is no known name, "h100" is an alias: one qualifies, two do not.
            assertThat(check(filter, unresolved, gpuJob(1).withModel(h100))).isEmpty();
            assertThat(check(filter, unresolved, gpuJob(2).withModel(h100))).contains(Rejection.NOT_ENOUGH_GPUS);
        }

        @Test
        void device_resolved_to_another_registry_entry_never_matches_by_name() {
            var mislabelled = cpuNode().withGpus(List.of(new GpuDevice(0, "H100", TestGpus.A100.uuid(), 80)));
            assertThat(check(filter, mislabelled, gpuJob(1).withModel(TestGpus.H100))).contains(Rejection.NOT_ENOUGH_GPUS);
        }

        @Test
        void unknown_name_still_constrains_to_that_exact_name() {
            var model = GpuModelRequirement.resolve("Quantum 9000", null, TestGpus.CATALOG);
            var node = cpuNode().withGpus(List.of(new GpuDevice(0, "quantum  9000", null, 16)));
            assertThat(check(filter, node, gpuJob(1).withModel(model))).isEmpty();
            assertThat(check(filter, gpuNode(), gpuJob(1).withModel(model))).contains(Rejection.NOT_ENOUGH_GPUS);
        }

        @Test
        void unknown_registry_uuid_matches_no_named_device() {
            var model = GpuModelRequirement.resolve(null, UUID.randomUUID(), TestGpus.CATALOG);
            assertThat(check(filter, gpuNode(), gpuJob(1).withModel(model))).contains(Rejection.NOT_ENOUGH_GPUS);
        }

        @ParameterizedTest(name = "job needs {0} GB per GPU x{1} on a 24 GB + 80 GB node -> fits: {2}")
        @CsvSource({"24,1,true", "24,2,true", "24.5,1,true", "24.5,2,false", "80,1,true", "81,1,false"})
        void vram_is_checked_per_gpu(double minVram, int count, boolean fits) {
            var node = cpuNode().withGpus(List.of(new GpuDevice(0, "GeForce RTX 4090", TestGpus.RTX_4090.uuid(), 24),
                    new GpuDevice(1, "H100 80GB", TestGpus.H100.uuid(), 80)));
            assertThat(check(filter, node, gpuJob(count).withVram(minVram)).isEmpty()).isEqualTo(fits);
        }

        @Test
        void model_and_vram_must_hold_on_the_same_device() {
            // One 24 GB 4090 and one 80 GB H100: "2 GPUs of the model" and "2 GPUs with >= 48 GB" each fail,
            // and "one 4090 with >= 48 GB" must fail although the node has a 4090 and an 80 GB GPU.
            var node = cpuNode().withGpus(List.of(new GpuDevice(0, "GeForce RTX 4090", TestGpus.RTX_4090.uuid(), 24),
                    new GpuDevice(1, "H100 80GB", TestGpus.H100.uuid(), 80)));
            assertThat(check(filter, node, gpuJob(1).withModel(TestGpus.RTX_4090).withVram(48)))
                    .contains(Rejection.NOT_ENOUGH_GPUS);
        }
    }
}
