package dev.galley.node.agent;

import dev.galley.core.providers.HardwareSample;
import dev.galley.node.hardware.Hardware;
import dev.galley.node.protocol.Assignment;
import dev.galley.node.protocol.ControlPlaneClient;
import dev.galley.node.protocol.ControlPlaneException;
import dev.galley.node.protocol.ControlPlaneUnavailableException;
import dev.galley.node.protocol.Heartbeat;
import dev.galley.node.protocol.NodeCommand;
import dev.galley.node.protocol.NodeRegistration;
import dev.galley.node.protocol.RegisteredNode;
import dev.galley.node.protocol.RunUpdate;
import dev.galley.node.runtime.ContainerRuntime;
import dev.galley.node.runtime.ContainerRuntimeException;
import dev.galley.node.runtime.ManagedContainer;
import dev.galley.node.runtime.ManagedNetwork;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent (spec §6.2): registers the machine, heartbeats, long-polls for assignments and runs
 * each one under a {@link RunSupervisor}.
 *
 * <p>Threads, all virtual: one heartbeat loop, one telemetry loop (load samples; a slow {@code nvidia-smi} there
 * never delays a heartbeat), one poll loop, one per run. Everything the agent talks to is injected (runtime, control
 * plane, clock, telemetry), so tests run it against fakes.
 *
 * <p>Lifecycle: {@link #start()} registers (and throws if that fails, so {@code galley node} can say
 * why), re-attaches to the containers this node's previous agent left (never to another node's on the
 * same engine), and starts the loops. {@link #shutdown()}
 * is graceful: it stops taking work, lets go of the runs WITHOUT stopping their containers (so the next
 * start re-attaches to them), and stops heartbeating last, so the server does not declare the node lost
 * while it is still letting go.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(15);
    private static final int RECENT_RUNS_REMEMBERED = 10_000;

    private final NodeAgentConfig config;
    private final Hardware hardware;
    private final ContainerRuntime runtime;
    private final ControlPlaneClient controlPlane;
    private final SupervisorContext context;
    private final Telemetry telemetry;
    private volatile HardwareSample latestSample;
    private final Map<String, RunSupervisor> supervisors = new ConcurrentHashMap<>();
    private final RecentRuns recentRuns = new RecentRuns(RECENT_RUNS_REMEMBERED);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile RegisteredNode node;
    private volatile boolean heartbeatsStopped;
    private Thread heartbeatThread;
    private Thread telemetryThread;
    private Thread pollThread;

    /** An agent without load samples (tests that are not about telemetry). */
    public NodeAgent(NodeAgentConfig config, Hardware hardware, ContainerRuntime runtime, ControlPlaneClient controlPlane, Clock clock) {
        this(config, hardware, runtime, controlPlane, clock, Telemetry.NONE);
    }

    public NodeAgent(NodeAgentConfig config, Hardware hardware, ContainerRuntime runtime, ControlPlaneClient controlPlane, Clock clock,
                     Telemetry telemetry) {
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.config = Objects.requireNonNull(config, "config");
        this.hardware = Objects.requireNonNull(hardware, "hardware");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.controlPlane = Objects.requireNonNull(controlPlane, "controlPlane");
        this.context = new SupervisorContext(config, hardware, runtime, controlPlane,
                new RunStatusOutbox(controlPlane, config.retryPolicy()), Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Registers, takes a first load sample (so the first heartbeat carries one), re-attaches to left-over
     * containers (and removes networks of runs that are gone), and starts heartbeating, sampling and polling.
     *
     * @throws ControlPlaneUnavailableException when the server cannot be reached
     * @throws ControlPlaneException            when it refuses the registration (a 401/403 is a key problem)
     */
    public RegisteredNode start() {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("the agent was already started");
        node = register();
        if (telemetry != Telemetry.NONE) {
            takeSample(false);
            telemetryThread = Thread.ofVirtual().name("telemetry").start(this::telemetryLoop);
        }
        heartbeatThread = Thread.ofVirtual().name("heartbeat").start(this::heartbeatLoop);
        reattach();
        pollThread = Thread.ofVirtual().name("assignments").start(this::pollLoop);
        return node;
    }

    /** The node as registered; null before {@link #start()}. */
    public RegisteredNode node() {
        return node;
    }

    /** The runs being supervised now, as the heartbeat reports them. */
    public Set<String> activeRunUuids() {
        return new TreeSet<>(supervisors.keySet());
    }

    /** Blocks until {@link #shutdown()} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Graceful stop; containers keep running. Idempotent. */
    public void shutdown() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        log.info("node agent shutting down: taking no new work; running containers are left running and re-attached on the next start");
        try {
            interruptAndJoin(pollThread);
            List<RunSupervisor> running = List.copyOf(supervisors.values());
            running.forEach(RunSupervisor::detach);
            for (RunSupervisor supervisor : running) {
                if (!supervisor.join(JOIN_TIMEOUT)) log.warn("run {}: supervisor did not let go within {}", supervisor.runUuid(), JOIN_TIMEOUT);
            }
            heartbeatsStopped = true;
            interruptAndJoin(telemetryThread);
            interruptAndJoin(heartbeatThread);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            terminated.countDown();
            log.info("node agent stopped");
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    // ---------------------------------------------------------------------------------------------------------

    private RegisteredNode register() {
        RegisteredNode registered = controlPlane.register(new NodeRegistration(config.name(), config.regionCode(),
                config.publicHost(), config.agentVersion(), hardware));
        log.info("{} node {} ({}) in {} with {}", registered.created() ? "registered" : "re-registered", registered.name(),
                registered.uuid(), registered.regionCode(), describe(hardware));
        return registered;
    }

    /** "8 cores, 31.2 GB RAM, 2 GPUs (1 simulated)". */
    static String describe(Hardware hardware) {
        double ram = hardware.rams().stream().mapToDouble(Hardware.Ram::memoryGbMax).sum();
        long simulated = hardware.gpus().stream().filter(Hardware.Gpu::simulated).count();
        int gpus = hardware.gpus().size();
        return hardware.totalCores() + " cores, " + Math.round(ram * 10) / 10.0 + " GB RAM, " + gpus + (gpus == 1 ? " GPU" : " GPUs")
                + (simulated > 0 ? " (" + simulated + " simulated)" : "");
    }

    /**
     * Picks up the containers this node's previous agent started, running or finished, and removes its
     * networks of runs that are gone (an agent that died between making a run's network and removing it
     * leaves one behind). Other nodes' containers and networks on the same engine are left alone; see
     * {@link Reattachment}.
     */
    private void reattach() {
        List<ManagedContainer> containers;
        List<ManagedNetwork> networks;
        try {
            containers = runtime.listManaged();
        } catch (ContainerRuntimeException e) {
            log.error("cannot list the containers a previous agent started: {}", e.getMessage());
            return;
        }
        try {
            networks = runtime.listManagedNetworks();
        } catch (ContainerRuntimeException e) {
            log.warn("cannot list the networks a previous agent made: {}", e.getMessage());
            networks = List.of();
        }
        String nodeUuid = node.uuid();
        Set<String> placedHere = runsTheServerPlacesHere(nodeUuid, Reattachment.runsToAskTheServerAbout(containers, networks));
        Reattachment.Plan plan = Reattachment.plan(nodeUuid, containers, networks, placedHere, context.clock().instant());
        for (Reattachment.LeftAlone other : plan.leftAlone()) {
            if (other.ownership() == Ownership.OTHER_NODE) log.debug("leaving {} alone: {}", other.what(), other.why());
            else log.warn("leaving {} alone: {}", other.what(), other.why());
        }
        if (!plan.adopt().isEmpty()) log.info("found {} container(s) of this node from a previous agent", plan.adopt().size());
        for (String network : plan.networksToRemove()) {
            try {
                runtime.removeNetwork(network);
                log.info("removed network {}: its run has no container any more", network);
            } catch (ContainerRuntimeException e) {
                log.warn("could not remove the left-over network {}: {}", network, e.getMessage());
            }
        }
        for (ManagedContainer container : plan.adopt()) launch(RunSupervisor.forContainer(container, context));
    }

    /**
     * Which of these runs (of containers and networks without a node label) the server places on this
     * node; none when it cannot be asked now, so they are left alone until a later start.
     */
    private Set<String> runsTheServerPlacesHere(String nodeUuid, Set<String> runs) {
        if (runs.isEmpty()) return Set.of();
        try {
            return controlPlane.runsOnNode(nodeUuid, runs);
        } catch (ControlPlaneException | ControlPlaneUnavailableException e) {
            log.warn("cannot ask the server which of {} unlabelled run(s) are on this node ({}); leaving them alone", runs.size(), e.getMessage());
            return Set.of();
        }
    }

    private void heartbeatLoop() {
        boolean failing = false;
        while (!heartbeatsStopped) {
            try {
                List<NodeCommand> commands = controlPlane.heartbeat(node.uuid(), new Heartbeat(metadata(), List.copyOf(activeRunUuids())));
                if (failing) log.info("heartbeats reach the server again");
                failing = false;
                commands.forEach(this::handle);
            } catch (ControlPlaneUnavailableException e) {
                if (heartbeatsStopped) return;
                if (!failing) log.warn("heartbeat failed: {}; the server marks this node OFFLINE after 30 s without one", e.getMessage());
                failing = true;
            } catch (ControlPlaneException e) {
                if (e.status() == 404) {
                    log.warn("the server no longer knows node {}; registering again", node.uuid());
                    tryToRegisterAgain();
                } else {
                    log.error("heartbeat refused: {}", e.getMessage());
                }
            } catch (RuntimeException e) {
                log.error("heartbeat failed unexpectedly", e);
            }
            try {
                Thread.sleep(config.heartbeatInterval());
            } catch (InterruptedException e) {
                if (heartbeatsStopped) return;
            }
        }
    }

    /** {@code {"hardware_event": {…}}} with the latest load sample, {@code {}} before there is one. */
    private Map<String, Object> metadata() {
        HardwareSample sample = latestSample;
        return sample == null ? Map.of() : Map.of(HardwareSample.METADATA_FIELD, sample.toJson());
    }

    /** The latest load sample the heartbeats carry; null before the first one or without telemetry. */
    public HardwareSample latestSample() {
        return latestSample;
    }

    private void telemetryLoop() {
        boolean failing = false;
        while (!heartbeatsStopped) {
            try {
                Thread.sleep(config.telemetryInterval());
            } catch (InterruptedException e) {
                if (heartbeatsStopped) return;
                continue;
            }
            failing = takeSample(failing);
        }
    }

    /** Takes a sample and keeps it for the heartbeats; returns whether it failed (said once per run of failures). */
    private boolean takeSample(boolean failing) {
        try {
            HardwareSample sample = telemetry.sample();
            if (sample != null) latestSample = sample;
            if (failing) log.info("load samples work again");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failing;
        } catch (RuntimeException e) {
            if (!failing) log.warn("cannot sample this machine's load: {}; heartbeats carry the last sample", e.toString());
            return true;
        }
    }

    private void tryToRegisterAgain() {
        try {
            node = register();
        } catch (RuntimeException e) {
            log.error("registering again failed: {}", e.getMessage());
        }
    }

    private void handle(NodeCommand command) {
        if (!command.isStopRun()) {
            log.warn("ignoring a command this agent does not know: {}", command.type());
            return;
        }
        String runUuid = command.jobRunUuid();
        if (runUuid == null) return;
        RunSupervisor supervisor = supervisors.get(runUuid);
        if (supervisor != null) {
            supervisor.requestStop(command.reason());
        } else if (!recentRuns.contains(runUuid)) {
            // Not started here (yet): make sure a late assignment does not start it, and tell the server.
            recentRuns.add(runUuid);
            log.info("run {}: stop requested for a run this agent does not run; reporting it CANCELLED", runUuid);
            Thread.ofVirtual().name("cancel-" + runUuid).start(() -> {
                try {
                    context.outbox().deliver(runUuid, RunUpdate.cancelled(command.reason()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    private void pollLoop() {
        int failures = 0;
        while (!stopping.get()) {
            try {
                String nodeUuid = node.uuid();
                List<Assignment> assignments = controlPlane.pollAssignments(nodeUuid, config.pollWait());
                if (failures > 0) log.info("polling for work works again");
                failures = 0;
                for (Assignment assignment : assignments) accept(assignment, nodeUuid);
                continue;
            } catch (ControlPlaneUnavailableException e) {
                if (stopping.get()) return;
                if (failures == 0) log.warn("cannot poll for work: {}; retrying with backoff", e.getMessage());
            } catch (ControlPlaneException e) {
                if (failures == 0) log.error("polling for work refused: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.error("polling for work failed unexpectedly", e);
            }
            try {
                Thread.sleep(config.retryPolicy().backoff(++failures));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Starts a supervisor unless this run is already running here or was recently (at-least-once delivery).
     * {@code nodeUuid} is the node it was assigned to, which its container and network are labelled with.
     */
    private void accept(Assignment assignment, String nodeUuid) {
        String runUuid = assignment.run().uuid();
        if (stopping.get() || supervisors.containsKey(runUuid) || recentRuns.contains(runUuid)) {
            log.debug("run {}: already known; ignoring the repeated assignment", runUuid);
            return;
        }
        launch(RunSupervisor.forAssignment(assignment, nodeUuid, context));
    }

    private void launch(RunSupervisor supervisor) {
        if (supervisors.putIfAbsent(supervisor.runUuid(), supervisor) != null) return;
        supervisor.start(this::finished);
    }

    private void finished(String runUuid) {
        // Remembered first, then dropped: there is no moment where a duplicate would look new.
        recentRuns.add(runUuid);
        supervisors.remove(runUuid);
    }

    private static void interruptAndJoin(Thread thread) throws InterruptedException {
        if (thread == null) return;
        thread.interrupt();
        if (!thread.join(JOIN_TIMEOUT)) log.warn("{} did not stop within {}", thread.getName(), JOIN_TIMEOUT);
    }
}
