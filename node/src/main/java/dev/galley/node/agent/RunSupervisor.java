package dev.galley.node.agent;

import dev.galley.core.lifecycle.ReasonCode;
import dev.galley.core.spec.ImageReference;
import dev.galley.node.hardware.Hardware;
import dev.galley.node.protocol.AssignedJob;
import dev.galley.node.protocol.Assignment;
import dev.galley.node.protocol.ContainerParameters;
import dev.galley.node.protocol.Delivery;
import dev.galley.node.protocol.NodeUrl;
import dev.galley.node.protocol.RunUpdate;
import dev.galley.node.runtime.ContainerLimits;
import dev.galley.node.runtime.ContainerRuntime;
import dev.galley.node.runtime.ContainerRuntimeException;
import dev.galley.node.runtime.ContainerSpec;
import dev.galley.node.runtime.ContainerState;
import dev.galley.node.runtime.LogStream;
import dev.galley.node.runtime.ManagedContainer;
import dev.galley.node.runtime.RegistryAuth;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries one run from assignment to its final status, on its own virtual thread (spec §6.2):
 * PREPARING → pull unless present → the run's own network → start (with limits) → port proxies →
 * RUNNING with {@code node_urls} → ship output → wait for the exit, a {@code stop_run}, or the BATCH run
 * timeout → send the output's tail → final status → remove the container, then its network.
 *
 * <p>Decisions:
 * <ul>
 *   <li>The container is removed only after the final status was accepted (or the server said it moved
 *       on). An agent that dies before that finds the exited container on restart and reports it then.</li>
 *   <li>404/409 on PREPARING or RUNNING means the server no longer wants this run (cancelled or timed out
 *       meanwhile): the supervisor stops what it started and reports nothing more.</li>
 *   <li>Agent shutdown ({@link #detach()}) leaves the container running: the next agent re-attaches to it.</li>
 * </ul>
 */
final class RunSupervisor {
    private static final Logger log = LoggerFactory.getLogger(RunSupervisor.class);
    private static final Duration LOG_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration EXIT_AFTER_STOP_TIMEOUT = Duration.ofMinutes(2);
    private static final String CONTAINER_NAME_PREFIX = "galley-";

    private final String runUuid;
    /** The node this run is on, which its container and network are labelled with; null after a re-attach (it is on the container). */
    private final String nodeUuidOrNull;
    private final SupervisorContext ctx;
    private final Assignment assignmentOrNull;
    private final ManagedContainer containerOrNull;
    private final CompletableFuture<String> stopRequest = new CompletableFuture<>();
    private final LogShipper shipper;
    private volatile Thread thread;
    private volatile boolean detaching;
    // Resources held while supervising; released in one place whatever the path.
    private LogStream logStream;
    private RunProxies proxies;
    private Thread exitWaiter;

    private RunSupervisor(String runUuid, String nodeUuid, SupervisorContext ctx, Assignment assignment, ManagedContainer container) {
        this.runUuid = runUuid;
        this.nodeUuidOrNull = nodeUuid;
        this.ctx = ctx;
        this.assignmentOrNull = assignment;
        this.containerOrNull = container;
        this.shipper = new LogShipper(runUuid, ctx.controlPlane(), ctx.config().logFlushInterval(), ctx.config().retryPolicy());
    }

    /** A supervisor for a new assignment to node {@code nodeUuid}. */
    static RunSupervisor forAssignment(Assignment assignment, String nodeUuid, SupervisorContext ctx) {
        if (nodeUuid == null || nodeUuid.isBlank()) throw new IllegalArgumentException("an assignment needs the node it was made to");
        return new RunSupervisor(assignment.run().uuid(), nodeUuid, ctx, assignment, null);
    }

    /** A supervisor for a container of this node found at agent start ({@link Reattachment}). */
    static RunSupervisor forContainer(ManagedContainer container, SupervisorContext ctx) {
        return new RunSupervisor(container.jobRunUuid(), null, ctx, null, container);
    }

    String runUuid() {
        return runUuid;
    }

    /** Starts supervising on a virtual thread; {@code onDone} gets the run uuid once the run needs nothing more. */
    void start(Consumer<String> onDone) {
        thread = Thread.ofVirtual().name("run-" + runUuid).start(() -> {
            boolean detached = false;
            try {
                if (assignmentOrNull != null) superviseAssignment(assignmentOrNull);
                else superviseExisting(containerOrNull);
            } catch (InterruptedException e) {
                detached = true;
                log.info("run {}: agent shutting down; the container keeps running and is re-attached on the next start", runUuid);
            } catch (RuntimeException e) {
                log.error("run {}: supervisor failed unexpectedly", runUuid, e);
            } finally {
                releaseResources(detached || detaching);
                if (!detached && !detaching) onDone.accept(runUuid);
            }
        });
    }

    /** A {@code stop_run} command: stop the container and report CANCELLED with {@code reason}. Idempotent. */
    void requestStop(String reason) {
        if (stopRequest.complete(reason == null ? "stopped by the server" : reason)) {
            log.info("run {}: stop requested by the server ({})", runUuid, stopRequest.getNow(null));
        }
    }

    /** Agent shutdown: stop supervising but leave the container as it is. */
    void detach() {
        detaching = true;
        Thread t = thread;
        if (t != null) t.interrupt();
    }

    boolean join(Duration timeout) throws InterruptedException {
        Thread t = thread;
        return t == null || t.join(timeout);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Size of the image this run started from; null after a re-attach (the server already has it). */
    private Long imageSizeBytes;

    private void superviseAssignment(Assignment assignment) throws InterruptedException {
        AssignedJob job = assignment.job();
        ContainerParameters params = job.container();
        log.info("run {}: assigned (job {}, node index {}, attempt {}), image {}", runUuid, job.uuid(),
                assignment.run().nodeIndex(), assignment.run().attempt(), params.image());
        if (report(RunUpdate.preparing()) == Delivery.GONE) return;

        String imageRef;
        try {
            imageRef = ImageReference.parse(params.image()).pullReference(params.tag());
        } catch (IllegalArgumentException e) {
            finish(RunUpdate.failed(ReasonCode.IMAGE_PULL_FAILED, "invalid image reference '" + params.image() + "': " + e.getMessage()), null);
            return;
        }
        if (stopRequest.isDone()) {
            finish(RunUpdate.cancelled(stopRequest.getNow(null)), null);
            return;
        }
        try {
            pullUnlessPresent(imageRef, registryAuth(params));
        } catch (ContainerRuntimeException e) {
            log.warn("run {}: pulling {} failed: {}", runUuid, imageRef, e.getMessage());
            finish(RunUpdate.failed(ReasonCode.IMAGE_PULL_FAILED, e.getMessage()), null);
            return;
        }
        if (stopRequest.isDone()) {
            finish(RunUpdate.cancelled(stopRequest.getNow(null)), null);
            return;
        }
        var size = ctx.runtime().imageSizeBytes(imageRef);
        imageSizeBytes = size.isPresent() ? size.getAsLong() : null;
        List<ContainerSpec.ImageMount> mounts = new ArrayList<>();
        for (int i = 0; i < params.volumes().size(); i++) {
            ContainerParameters.Volume volume = params.volumes().get(i);
            String ref;
            try {
                ref = ImageReference.parse(volume.image()).pullReference(volume.tag());
                pullUnlessPresent(ref, volume.hasRegistryCredentials()
                        ? new RegistryAuth(volume.registry(), volume.user(), volume.secret()) : null);
            } catch (IllegalArgumentException | ContainerRuntimeException e) {
                log.warn("run {}: volume {} ({}) could not be pulled: {}", runUuid, i, volume.image(), e.getMessage());
                finish(RunUpdate.failed(ReasonCode.IMAGE_PULL_FAILED, "volumes[" + i + "] image " + volume.image() + ": " + e.getMessage()), null);
                return;
            }
            mounts.add(new ContainerSpec.ImageMount(ref, volume.mount()));
        }

        String network = RunNetworks.nameFor(runUuid);
        try {
            ctx.runtime().createNetwork(network, runUuid, nodeUuidOrNull);
        } catch (ContainerRuntimeException | IllegalArgumentException e) {
            log.warn("run {}: the run's network could not be created: {}", runUuid, e.getMessage());
            finish(RunUpdate.failed(null, "the node could not create the run's network: " + e.getMessage()), null);
            return;
        }
        ContainerLimits limits = ctx.config().runLimits().limitsFor(job.cpuCount(), job.minRamGb());
        String containerId;
        try {
            containerId = ctx.runtime().start(containerSpec(assignment, imageRef, mounts, limits, network));
        } catch (ContainerRuntimeException | IllegalArgumentException e) {
            log.warn("run {}: the container did not start: {}", runUuid, e.getMessage());
            removeNetwork();
            finish(RunUpdate.failed(null, "the container did not start: " + e.getMessage()), null);
            return;
        }
        log.info("run {}: started container {} ({}, {} cpus, {} bytes of memory, {} processes, network {})", runUuid,
                shortId(containerId), containerName(), limits.cpus(), limits.memoryBytes(), limits.pidsLimit(), network);
        shipper.start();
        logStream = ctx.runtime().followLogs(containerId, null, shipper);
        Instant deadline = job.isBatch() && job.maxTimeoutRunMs() != null
                ? ctx.clock().instant().plusMillis(job.maxTimeoutRunMs()) : null;
        superviseRunning(containerId, params.allowedIps(), deadline, job.maxTimeoutRunMs());
    }

    private void superviseExisting(ManagedContainer container) throws InterruptedException {
        ContainerState state = container.state();
        String id = container.id();
        if (state.running()) {
            log.info("run {}: re-attaching to running container {}", runUuid, shortId(id));
            shipper.start();
            // Output printed while no agent was watching is not re-sent: the server may already have part of it.
            logStream = ctx.runtime().followLogs(id, ctx.clock().instant(), shipper);
            Long timeoutMs = ContainerLabels.batchTimeoutMs(state.labels());
            Instant started = state.startedAt() != null ? state.startedAt() : ctx.clock().instant();
            Instant deadline = timeoutMs == null ? null : started.plusMillis(timeoutMs);
            superviseRunning(id, ContainerLabels.allowedIps(state.labels()), deadline, timeoutMs);
        } else if (state.finished()) {
            log.info("run {}: container {} exited with code {} while the agent was away", runUuid, shortId(id), state.exitCode());
            finish(RunUpdate.exited(state.exitCode()), id);
        } else {
            log.info("run {}: container {} was created but never started; removing it", runUuid, shortId(id));
            finish(RunUpdate.failed(null, "the node agent restarted before the container started"), id);
        }
    }

    /** From a started container to its final status. */
    private void superviseRunning(String containerId, List<String> allowedIps, Instant deadlineOrNull, Long timeoutMs)
            throws InterruptedException {
        CompletableFuture<Integer> exit = waitForExitAsync(containerId);
        try {
            proxies = RunProxies.open(ctx.runtime(), containerId, ctx.config().bindAddress(), ctx.config().publicHost(), allowedIps);
        } catch (IOException | RuntimeException e) {
            log.warn("run {}: cannot publish the container's ports: {}", runUuid, e.getMessage());
            stopContainer(containerId);
            finishAfterExit(exit, RunUpdate.failed(null, "the node could not publish the container's ports: " + e.getMessage()), containerId);
            return;
        }
        List<NodeUrl> urls = proxies.nodeUrls();
        if (report(RunUpdate.running(urls).withImageSizeBytes(imageSizeBytes)) == Delivery.GONE) {
            log.info("run {}: the server no longer wants this run; stopping and removing its container", runUuid);
            stopContainer(containerId);
            releaseResources(false);
            removeContainer(containerId);
            return;
        }
        log.info("run {}: running{}", runUuid, urls.isEmpty() ? "" : " at " + urls.stream()
                .map(u -> u.description() + "=" + u.hostname() + ":" + u.port()).collect(Collectors.joining(", ")));

        long waitMillis = deadlineOrNull == null ? Long.MAX_VALUE
                : Math.max(0, deadlineOrNull.toEpochMilli() - ctx.clock().millis());
        try {
            CompletableFuture.anyOf(exit, stopRequest).get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("run {}: ran longer than max_timeout_run_ms ({} ms); stopping it", runUuid, timeoutMs);
            stopContainer(containerId);
            Integer code = exitCodeAfterStop(exit);
            finishAfterExit(exit, RunUpdate.failed(ReasonCode.RUN_TIMEOUT,
                    "the run exceeded max_timeout_run_ms (" + timeoutMs + " ms) and was stopped", code), containerId);
            return;
        } catch (ExecutionException e) {
            // Only the exit future can fail: the container vanished or the runtime broke.
            String message = e.getCause() == null ? e.toString() : e.getCause().getMessage();
            log.warn("run {}: lost track of container {}: {}", runUuid, shortId(containerId), message);
            finishAfterExit(exit, RunUpdate.failed(null, "the node lost track of the container: " + message), containerId);
            return;
        }
        if (exit.isDone()) {
            int code = exit.join();
            log.info("run {}: exited with code {}", runUuid, code);
            finishAfterExit(exit, RunUpdate.exited(code), containerId);
        } else {
            String reason = stopRequest.getNow(null);
            log.info("run {}: stopping container {} ({})", runUuid, shortId(containerId), reason);
            stopContainer(containerId);
            Integer code = exitCodeAfterStop(exit);
            log.info("run {}: stopped{}", runUuid, code == null ? "" : " (exit code " + code + ")");
            finishAfterExit(exit, RunUpdate.cancelled(reason), containerId);
        }
    }

    /** The container has ended (or is gone): send the output's tail, close the proxies, report, remove. */
    private void finishAfterExit(CompletableFuture<Integer> exit, RunUpdate update, String containerId) throws InterruptedException {
        if (logStream != null) {
            // The log reader delivers the last lines a moment after the exit; wait for it so the tail is not lost.
            logStream.awaitEnd(LOG_DRAIN_TIMEOUT);
        }
        shipper.finish(5);
        if (proxies != null) proxies.close();
        finish(update, containerId);
    }

    /** Final status (retried until the server takes it or has moved on), then the container goes. */
    private void finish(RunUpdate update, String containerIdOrNull) throws InterruptedException {
        shipper.finish(5);
        Delivery delivery = ctx.outbox().deliver(runUuid, update);
        if (delivery == Delivery.ACCEPTED) {
            log.info("run {}: reported {}{}", runUuid, update.status(),
                    update.statusReasonCode() == null ? "" : " (" + update.statusReasonCode() + ")");
        }
        releaseResources(false);
        if (containerIdOrNull != null) removeContainer(containerIdOrNull);
    }

    /** PREPARING or RUNNING, retried until the server takes it or has moved on. */
    private Delivery report(RunUpdate update) throws InterruptedException {
        return ctx.outbox().deliver(runUuid, update);
    }

    // ---------------------------------------------------------------------------------------------------------

    private ContainerSpec containerSpec(Assignment assignment, String imageRef, List<ContainerSpec.ImageMount> mounts,
                                        ContainerLimits limits, String network) {
        AssignedJob job = assignment.job();
        ContainerParameters params = job.container();
        Map<String, String> env = new LinkedHashMap<>(params.env());
        env.putAll(assignment.env()); // the server's variables win over the job's own
        ContainerSpec.Builder spec = ContainerSpec.builder(imageRef, runUuid)
                .nodeUuid(nodeUuidOrNull)
                .name(containerName())
                .env(env)
                .ports(params.ports())
                .gpuDevices(realGpuDevices(assignment.run().gpuDevices()))
                .limits(limits)
                .network(network);
        ContainerLabels.of(job.uuid(), job.task(), job.maxTimeoutRunMs(), params.allowedIps()).forEach(spec::label);
        mounts.forEach(m -> spec.imageMount(m.image(), m.destination()));
        return spec.build();
    }

    /**
     * Positions in the registered {@code hardware.gpus} → device indexes for the runtime. Simulated GPUs
     * exist only on paper (for placement tests) and are never handed over.
     */
    private List<String> realGpuDevices(List<Integer> positions) {
        List<Hardware.Gpu> gpus = ctx.hardware().gpus();
        List<String> devices = new ArrayList<>();
        for (int position : positions) {
            if (position < 0 || position >= gpus.size()) {
                log.warn("run {}: the server assigned GPU #{}, but this node registered {} GPUs; ignoring it", runUuid, position, gpus.size());
                continue;
            }
            Hardware.Gpu gpu = gpus.get(position);
            if (gpu.simulated()) {
                log.info("run {}: GPU #{} ({}) is simulated; the container runs without it", runUuid, position, gpu.name());
            } else {
                devices.add(Integer.toString(gpu.index()));
            }
        }
        return devices;
    }

    private static RegistryAuth registryAuth(ContainerParameters params) {
        return params.hasRegistryCredentials() ? new RegistryAuth(params.host(), params.user(), params.secret()) : null;
    }

    /** Pulls an image (the job's or a volume's) unless the node has it already. */
    private void pullUnlessPresent(String imageRef, RegistryAuth auth) {
        if (isPresent(imageRef)) {
            log.info("run {}: image {} is already present, not pulling", runUuid, imageRef);
            return;
        }
        log.info("run {}: pulling image {}…", runUuid, imageRef);
        ctx.runtime().pull(imageRef, auth);
        log.info("run {}: pulled {}", runUuid, imageRef);
    }

    private boolean isPresent(String imageRef) {
        try {
            return ctx.runtime().imagePresent(imageRef);
        } catch (ContainerRuntimeException e) {
            log.debug("run {}: cannot tell whether {} is present ({}); pulling", runUuid, imageRef, e.getMessage());
            return false;
        }
    }

    private String containerName() {
        return CONTAINER_NAME_PREFIX + runUuid;
    }

    private CompletableFuture<Integer> waitForExitAsync(String containerId) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        exitWaiter = Thread.ofVirtual().name("wait-" + runUuid).start(() -> {
            try {
                exit.complete(ctx.runtime().waitForExit(containerId));
            } catch (RuntimeException e) {
                exit.completeExceptionally(e);
            }
        });
        return exit;
    }

    private Integer exitCodeAfterStop(CompletableFuture<Integer> exit) throws InterruptedException {
        try {
            return exit.get(EXIT_AFTER_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("run {}: no exit code after stopping the container: {}", runUuid, e.getMessage());
            return null;
        }
    }

    private void stopContainer(String containerId) {
        try {
            ctx.runtime().stop(containerId, ctx.config().stopGrace());
        } catch (ContainerRuntimeException e) {
            log.warn("run {}: stopping container {} failed: {}", runUuid, shortId(containerId), e.getMessage());
        }
    }

    private void removeContainer(String containerId) {
        if (ctx.config().keepContainers()) {
            log.info("run {}: keeping container {} (--keep-containers)", runUuid, shortId(containerId));
            return;
        }
        try {
            ctx.runtime().remove(containerId);
            log.debug("run {}: removed container {}", runUuid, shortId(containerId));
        } catch (ContainerRuntimeException e) {
            log.warn("run {}: removing container {} failed: {}", runUuid, shortId(containerId), e.getMessage());
            return; // the network is still in use; the next agent start finds the container and removes both
        }
        removeNetwork();
    }

    /** The run's own network, after its container. A container from before per-run networks has none: that is fine. */
    private void removeNetwork() {
        String network = RunNetworks.nameFor(runUuid);
        try {
            ctx.runtime().removeNetwork(network);
            log.debug("run {}: removed network {}", runUuid, network);
        } catch (ContainerRuntimeException e) {
            log.warn("run {}: removing network {} failed (the next agent start retries): {}", runUuid, network, e.getMessage());
        }
    }

    /** Closes the log stream, the proxies and the log shipper. Idempotent. */
    private void releaseResources(boolean detached) {
        if (logStream != null) {
            logStream.close();
            logStream = null;
        }
        if (proxies != null) {
            proxies.close();
            proxies = null;
        }
        if (exitWaiter != null && detached) exitWaiter.interrupt();
        // Stops the flusher thread; whatever is still buffered gets one more try.
        shipper.finish(1);
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
