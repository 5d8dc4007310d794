package dev.galley.server.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-replica wake-ups over PostgreSQL LISTEN/NOTIFY: "a run was assigned to node X" (wakes that node's
 * long-poll on whichever replica holds it) and "a job wants placement" (wakes every scheduler loop).
 * Notifications are sent inside the writer's transaction, so they arrive only after it commits.
 */
public final class Signals implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Signals.class);
    static final String ASSIGN = "galley_assign";
    static final String JOBS = "galley_jobs";
    static final String KEYS = "galley_keys";
    static final String RECIPES = "galley_recipes";
    private volatile java.util.function.Consumer<String> keyRevoked = pk -> { };
    private volatile java.util.function.Consumer<UUID> recipeChanged = r -> { };

    /** A counter per node, bumped on each assignment signal; waiters block until it moves. */
    private final Map<UUID, long[]> nodeVersions = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger nodeWaiters = new java.util.concurrent.atomic.AtomicInteger();
    private final Object schedulerMonitor = new Object();
    private volatile long schedulerVersion;
    private final String url;
    private final String user;
    private final String password;
    private volatile boolean running = true;
    private final Thread listener;

    public Signals(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.listener = Thread.ofPlatform().name("galley-listen").daemon().start(this::listen);
    }

    /** Queues "runs were assigned" for these nodes; delivered when the caller's transaction commits. */
    public void nodesAssigned(Handle h, Collection<UUID> nodes) {
        if (nodes.isEmpty()) return;
        if (nodes.size() > BROADCAST_OVER) {
            // One "everyone look" beats thousands of notifications: each waiter re-reads only its own node.
            h.createQuery("SELECT pg_notify('" + ASSIGN + "', '*')").mapTo(String.class).one();
            return;
        }
        h.createQuery("SELECT count(pg_notify('" + ASSIGN + "', n::text)) FROM unnest(CAST(:nodes AS uuid[])) n")
                .bind("nodes", nodes.toArray(UUID[]::new)).mapTo(Long.class).one();
    }

    private static final int BROADCAST_OVER = 64;

    /** Queues "this key changed" for every replica's key cache; delivered when the caller's transaction commits. */
    public void keyChanged(Handle h, String publicKey) {
        h.createQuery("SELECT pg_notify('" + KEYS + "', :pk)").bind("pk", publicKey).mapTo(String.class).one();
    }

    /** As {@link #keyChanged}, for many keys in one statement (a revocation and every key below it). */
    public void keysChanged(Handle h, Collection<String> publicKeys) {
        if (publicKeys.isEmpty()) return;
        h.createQuery("SELECT count(pg_notify('" + KEYS + "', pk)) FROM unnest(CAST(:pks AS text[])) pk")
                .bind("pks", publicKeys.toArray(String[]::new)).mapTo(Long.class).one();
    }

    public void onKeyChanged(java.util.function.Consumer<String> listener) {
        this.keyRevoked = listener;
    }

    /** Queues "this recipe changed or is gone" for every replica's recipe cache; delivered when the caller's transaction commits. */
    public void recipeChanged(Handle h, UUID recipe) {
        h.createQuery("SELECT pg_notify('" + RECIPES + "', :r)").bind("r", recipe.toString()).mapTo(String.class).one();
    }

    public void onRecipeChanged(java.util.function.Consumer<UUID> listener) {
        this.recipeChanged = listener;
    }

    /** Queues "a job wants placement"; delivered when the caller's transaction commits. */
    public void jobsWaiting(Handle h) {
        h.createQuery("SELECT pg_notify('" + JOBS + "', '')").mapTo(String.class).one();
    }

    public long nodeVersion(UUID node) {
        long[] v = nodeVersions.computeIfAbsent(node, k -> new long[1]);
        synchronized (v) {
            return v[0];
        }
    }

    /** Waits until {@code node}'s version moves past {@code seen}, or the time is up. */
    public void awaitNode(UUID node, long seen, long timeoutMs) throws InterruptedException {
        long[] v = nodeVersions.computeIfAbsent(node, k -> new long[1]);
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (v) {
            nodeWaiters.incrementAndGet();
            try {
                while (v[0] == seen) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) return;
                    v.wait(left);
                }
            } finally {
                nodeWaiters.decrementAndGet();
            }
        }
    }

    /** Assignment long-polls blocked in {@link #awaitNode} right now: how many nodes wait for work here. */
    public int nodeWaiters() {
        return nodeWaiters.get();
    }

    public void wakeNode(UUID node) {
        long[] v = nodeVersions.computeIfAbsent(node, k -> new long[1]);
        synchronized (v) {
            v[0]++;
            v.notifyAll();
        }
    }

    public long schedulerVersion() {
        return schedulerVersion;
    }

    /** Waits until a job signal arrives after {@code seen}, or the time is up. */
    public void awaitJobs(long seen, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        synchronized (schedulerMonitor) {
            while (schedulerVersion == seen) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) return;
                schedulerMonitor.wait(left);
            }
        }
    }

    /**
     * Jobs this replica just committed: handed to its own scheduler by uuid, so that a round on an unchanged
     * cluster reads exactly these instead of scanning for new ones.
     */
    public void jobsCreated(java.util.Collection<UUID> jobs) {
        created.addAll(jobs);
        wakeScheduler();
    }

    /** Takes the jobs handed over since the last call. */
    public java.util.Set<UUID> takeCreatedJobs() {
        java.util.Set<UUID> taken = new java.util.HashSet<>();
        for (UUID u; (u = created.poll()) != null; ) taken.add(u);
        return taken;
    }

    private final java.util.concurrent.ConcurrentLinkedQueue<UUID> created = new java.util.concurrent.ConcurrentLinkedQueue<>();

    public void wakeScheduler() {
        synchronized (schedulerMonitor) {
            schedulerVersion++;
            schedulerMonitor.notifyAll();
        }
    }

    private void listen() {
        boolean lost = false;
        while (running) {
            try (Connection c = DriverManager.getConnection(url, user, password)) {
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + ASSIGN);
                    st.execute("LISTEN " + JOBS);
                    st.execute("LISTEN " + KEYS);
                    st.execute("LISTEN " + RECIPES);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                if (lost) log.info("notification listener reconnected");
                lost = false;
                // After (re)connecting, wake everyone once: a signal may have been missed meanwhile.
                wakeScheduler();
                nodeVersions.keySet().forEach(this::wakeNode);
                while (running) {
                    PGNotification[] ns = pg.getNotifications(500);
                    if (ns == null) continue;
                    for (PGNotification n : ns) {
                        if (n.getName().equals(ASSIGN) && n.getParameter().equals("*")) {
                            nodeVersions.keySet().forEach(this::wakeNode);
                        } else if (n.getName().equals(ASSIGN)) {
                            try {
                                wakeNode(UUID.fromString(n.getParameter()));
                            } catch (IllegalArgumentException ignored) {
                                // not ours
                            }
                        } else if (n.getName().equals(KEYS)) {
                            keyRevoked.accept(n.getParameter());
                        } else if (n.getName().equals(RECIPES)) {
                            try {
                                recipeChanged.accept(UUID.fromString(n.getParameter()));
                            } catch (IllegalArgumentException ignored) {
                                // not ours
                            }
                        } else {
                            wakeScheduler();
                        }
                    }
                }
            } catch (SQLException e) {
                if (!running) return;
                // Once per outage at WARN; the attempts after it (one a second until the database is back) at DEBUG.
                if (lost) log.debug("notification listener still cannot connect ({}); retrying in 1 s", e.getMessage());
                else log.warn("notification listener lost its connection ({}); reconnecting every second", e.getMessage());
                lost = true;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        listener.interrupt();
    }
}
