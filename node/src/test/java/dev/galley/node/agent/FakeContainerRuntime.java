package dev.galley.node.agent;

import dev.galley.node.runtime.ContainerNotFoundException;
import dev.galley.node.runtime.ContainerRuntime;
import dev.galley.node.runtime.ContainerRuntimeException;
import dev.galley.node.runtime.ContainerSpec;
import dev.galley.node.runtime.ContainerState;
import dev.galley.node.runtime.ImagePullException;
import dev.galley.node.runtime.LogSink;
import dev.galley.node.runtime.LogStream;
import dev.galley.node.runtime.ManagedContainer;
import dev.galley.node.runtime.ManagedNetwork;
import dev.galley.node.runtime.RegistryAuth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link ContainerRuntime}: containers print what their {@link Behaviour} says and exit
 * with its code at once, or keep running (exit code null) until a test calls {@link #exit} or the agent
 * stops them. Records every call the tests ask about.
 */
public final class FakeContainerRuntime implements ContainerRuntime {
    /** What a container started from an image does: print {@code output}, then exit with {@code exitCode} (null = keep running). */
    public record Behaviour(String output, Integer exitCode) {}

    /** One fake container. */
    public static final class FakeContainer {
        final String id;
        final ContainerSpec spec;
        final Map<String, String> labels;
        final StringBuffer output = new StringBuffer();
        final List<LogSink> followers = new CopyOnWriteArrayList<>();
        final CountDownLatch exited = new CountDownLatch(1);
        final Map<Integer, Integer> ports = new LinkedHashMap<>();
        volatile boolean started;
        volatile Integer exitCode;
        volatile Instant startedAt;
        volatile Instant finishedAt;

        FakeContainer(String id, ContainerSpec spec, boolean nodeLabel) {
            this.id = id;
            this.spec = spec;
            Map<String, String> all = new LinkedHashMap<>(spec.extraLabels());
            all.put(LABEL_MANAGED, "true");
            all.put(LABEL_JOB_RUN_UUID, spec.jobRunUuid());
            if (nodeLabel) all.put(LABEL_NODE_UUID, spec.nodeUuid());
            this.labels = Map.copyOf(all);
        }

        public ContainerSpec spec() {
            return spec;
        }

        public String output() {
            return output.toString();
        }
    }

    private final Set<String> presentImages = ConcurrentHashMap.newKeySet();
    private final Map<String, String> pullFailures = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<String, FakeContainer> containers = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger nextHostPort = new AtomicInteger(41000);
    public final List<String> pulls = new CopyOnWriteArrayList<>();
    public final List<RegistryAuth> pullAuths = new CopyOnWriteArrayList<>();
    public final List<ContainerSpec> starts = new CopyOnWriteArrayList<>();
    public final List<String> stops = new CopyOnWriteArrayList<>();
    public final List<String> removals = new CopyOnWriteArrayList<>();
    private final Map<String, ManagedNetwork> networks = new ConcurrentHashMap<>();
    public final List<String> networksCreated = new CopyOnWriteArrayList<>();
    public final List<String> networksRemoved = new CopyOnWriteArrayList<>();
    private volatile String networkCreateFailure;
    private volatile String startFailure;

    public FakeContainerRuntime withImage(String imageRef) {
        presentImages.add(imageRef);
        return this;
    }

    public FakeContainerRuntime failPull(String imageRef, String message) {
        pullFailures.put(imageRef, message);
        return this;
    }

    public FakeContainerRuntime behave(String imageRef, Behaviour behaviour) {
        behaviours.put(imageRef, behaviour);
        return this;
    }

    /** The container of a run, or null. */
    public FakeContainer containerOf(String runUuid) {
        return containers.values().stream().filter(c -> c.spec.jobRunUuid().equals(runUuid)).findFirst().orElse(null);
    }

    /** Makes a running container print. */
    public synchronized void print(String id, String text) {
        FakeContainer c = get(id);
        c.output.append(text);
        for (LogSink sink : c.followers) sink.accept(text);
    }

    /** Makes a running container exit. */
    public synchronized void exit(String id, int code) {
        FakeContainer c = get(id);
        if (c.exitCode != null) return;
        c.exitCode = code;
        c.finishedAt = Instant.now();
        c.exited.countDown();
    }

    @Override
    public String description() {
        return "fake runtime";
    }

    @Override
    public boolean imagePresent(String imageRef) {
        return presentImages.contains(imageRef);
    }

    @Override
    public void pull(String imageRef, RegistryAuth authOrNull) {
        pulls.add(imageRef);
        if (authOrNull != null) pullAuths.add(authOrNull);
        String failure = pullFailures.get(imageRef);
        if (failure != null) throw new ImagePullException(imageRef, failure);
        presentImages.add(imageRef);
    }

    /** Makes every {@link #start} fail with {@code message} (say, a device the engine refuses). */
    public FakeContainerRuntime failStart(String message) {
        startFailure = message;
        return this;
    }

    /** Makes every {@link #createNetwork} fail with {@code message} (say, the engine's address pools are used up). */
    public FakeContainerRuntime failNetworkCreate(String message) {
        networkCreateFailure = message;
        return this;
    }

    /** Puts a network in place as if a previous agent had made it. */
    public FakeContainerRuntime leaveNetwork(ManagedNetwork network) {
        networks.put(network.name(), network);
        return this;
    }

    public boolean networkExists(String name) {
        return networks.containsKey(name);
    }

    @Override
    public void createNetwork(String name, String jobRunUuid, String nodeUuid) {
        if (networkCreateFailure != null) throw new ContainerRuntimeException(networkCreateFailure);
        networksCreated.add(name);
        networks.putIfAbsent(name, new ManagedNetwork(name, jobRunUuid, nodeUuid, Instant.now()));
    }

    @Override
    public void removeNetwork(String name) {
        if (containers.values().stream().anyMatch(c -> name.equals(c.spec.network()))) {
            throw new ContainerRuntimeException("\"" + name + "\" has associated containers with it: network is being used");
        }
        networksRemoved.add(name);
        networks.remove(name);
    }

    @Override
    public List<ManagedNetwork> listManagedNetworks() {
        return List.copyOf(networks.values());
    }

    @Override
    public String start(ContainerSpec spec) {
        return start(spec, true);
    }

    private String start(ContainerSpec spec, boolean nodeLabel) {
        if (!presentImages.contains(spec.image())) throw new ContainerRuntimeException("image " + spec.image() + " is not present (--pull=never)");
        if (startFailure != null) throw new ContainerRuntimeException(startFailure);
        if (!networks.containsKey(spec.network())) throw new ContainerRuntimeException("unable to find network with name or ID " + spec.network() + ": network not found");
        if (spec.name() != null && containers.values().stream().anyMatch(c -> spec.name().equals(c.spec.name()))) {
            throw new ContainerRuntimeException("the container name " + spec.name() + " is already in use");
        }
        starts.add(spec);
        String id = String.format("%064x", ids.incrementAndGet());
        FakeContainer c = new FakeContainer(id, spec, nodeLabel);
        for (int port : spec.ports()) c.ports.put(port, nextHostPort.getAndIncrement());
        c.started = true;
        c.startedAt = Instant.now();
        containers.put(id, c);
        Behaviour behaviour = behaviours.getOrDefault(spec.image(), new Behaviour("hello\n", 0));
        if (behaviour.output() != null) c.output.append(behaviour.output());
        if (behaviour.exitCode() != null) exit(id, behaviour.exitCode());
        return id;
    }

    /** Puts a container in place as if a previous agent had started it (for re-attach tests). */
    public FakeContainer adopt(ContainerSpec spec) {
        return leaveContainer(spec, true);
    }

    /**
     * Puts a container in place as if an agent from before the node label had started it: neither it nor
     * its network carries {@value #LABEL_NODE_UUID} ({@code spec.nodeUuid()} is ignored).
     */
    public FakeContainer adoptUnlabelled(ContainerSpec spec) {
        return leaveContainer(spec, false);
    }

    private FakeContainer leaveContainer(ContainerSpec spec, boolean nodeLabel) {
        presentImages.add(spec.image());
        networks.putIfAbsent(spec.network(), new ManagedNetwork(spec.network(), spec.jobRunUuid(), nodeLabel ? spec.nodeUuid() : null, Instant.now()));
        behaviours.putIfAbsent(spec.image(), new Behaviour("", null));
        String id = start(spec, nodeLabel);
        return get(id);
    }

    @Override
    public ContainerState inspect(String containerId) {
        FakeContainer c = get(containerId);
        return new ContainerState(c.id, c.spec.name(), c.exitCode == null ? "running" : "exited", c.exitCode == null,
                c.exitCode, c.startedAt, c.finishedAt, c.labels);
    }

    @Override
    public int waitForExit(String containerId) {
        FakeContainer c = get(containerId);
        try {
            c.exited.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerRuntimeException("interrupted while waiting for " + containerId);
        }
        return c.exitCode;
    }

    @Override
    public void stop(String containerId, Duration grace) {
        stops.add(containerId);
        FakeContainer c = containers.get(containerId);
        if (c != null) exit(containerId, 143);
    }

    @Override
    public void remove(String containerId) {
        removals.add(containerId);
        if (containers.containsKey(containerId)) exit(containerId, 137);
        containers.remove(containerId);
    }

    public boolean exists(String containerId) {
        return containers.containsKey(containerId);
    }

    @Override
    public List<ManagedContainer> listManaged() {
        List<ManagedContainer> all = new ArrayList<>();
        for (FakeContainer c : containers.values()) all.add(new ManagedContainer(c.id, c.spec.name(), c.spec.jobRunUuid(), inspect(c.id)));
        return all;
    }

    @Override
    public LogStream followLogs(String containerId, Instant sinceOrNull, LogSink sink) {
        FakeContainer c = get(containerId);
        synchronized (this) {
            // Output older than `since` is skipped; the fake treats everything printed so far as older.
            if (sinceOrNull == null && !c.output.isEmpty()) sink.accept(c.output.toString());
            c.followers.add(sink);
        }
        return new LogStream() {
            @Override
            public boolean awaitEnd(Duration timeout) throws InterruptedException {
                return c.exited.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }

            @Override
            public void close() {
                c.followers.remove(sink);
            }
        };
    }

    @Override
    public Map<Integer, Integer> publishedPorts(String containerId) {
        return Map.copyOf(get(containerId).ports);
    }

    private FakeContainer get(String id) {
        FakeContainer c = containers.get(id);
        if (c == null) throw new ContainerNotFoundException(id, "no such container");
        return c;
    }
}
