package dev.galley.node.agent;

import dev.galley.client.RetryPolicy;
import dev.galley.node.protocol.ControlPlaneClient;
import dev.galley.node.protocol.ControlPlaneException;
import dev.galley.node.protocol.ControlPlaneUnavailableException;
import dev.galley.node.protocol.Delivery;
import dev.galley.node.protocol.RunUpdate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status updates on their way to the server, retried until the server takes them or says it has moved
 * on. A run's final status must not be lost to a server restart or a network blip: the server would
 * otherwise keep the run RUNNING until it decides the node is lost.
 *
 * <p>Why in memory only: the supervisor removes a container only after its final status was accepted,
 * so if the agent dies with an update still pending, the exited container is still there and the next
 * agent re-attaches to it and reports its exit code again.
 */
final class RunStatusOutbox {
    private static final Logger log = LoggerFactory.getLogger(RunStatusOutbox.class);

    private final ControlPlaneClient controlPlane;
    private final RetryPolicy retryPolicy;
    private final Map<String, RunUpdate> pending = new ConcurrentHashMap<>();

    RunStatusOutbox(ControlPlaneClient controlPlane, RetryPolicy retryPolicy) {
        this.controlPlane = controlPlane;
        this.retryPolicy = retryPolicy;
    }

    /**
     * Sends {@code update} until it is {@link Delivery#ACCEPTED} or {@link Delivery#GONE} (404/409). A
     * permanent refusal (400, 401, 403) is logged and counts as GONE: resending the same bytes cannot fix it.
     *
     * @throws InterruptedException when the agent shuts down meanwhile; the update stays undelivered
     */
    Delivery deliver(String runUuid, RunUpdate update) throws InterruptedException {
        pending.put(runUuid, update);
        try {
            for (int attempt = 0; ; attempt++) {
                if (Thread.currentThread().isInterrupted()) throw new InterruptedException("shutting down");
                try {
                    Delivery delivery = controlPlane.updateRun(runUuid, update);
                    if (attempt > 0) log.info("run {}: {} delivered after {} retries", runUuid, update.status(), attempt);
                    if (delivery == Delivery.GONE) {
                        log.info("run {}: the server no longer accepts updates for it (it was cancelled, timed out or"
                                + " removed); not reporting {}", runUuid, update.status());
                    }
                    return delivery;
                } catch (ControlPlaneUnavailableException e) {
                    if (Thread.currentThread().isInterrupted()) throw new InterruptedException("shutting down");
                    if (attempt == 0) {
                        log.warn("run {}: cannot report {} yet ({}); will keep retrying", runUuid, update.status(), e.getMessage());
                    } else {
                        log.debug("run {}: retry {} of {} failed: {}", runUuid, attempt, update.status(), e.getMessage());
                    }
                } catch (ControlPlaneException e) {
                    log.error("run {}: the server refused {} for good: {}", runUuid, update.status(), e.getMessage());
                    return Delivery.GONE;
                }
                Thread.sleep(retryPolicy.backoff(attempt + 1));
            }
        } finally {
            pending.remove(runUuid, update);
        }
    }

    /** Updates not yet delivered, by run. */
    Map<String, RunUpdate> pending() {
        return Map.copyOf(pending);
    }
}
