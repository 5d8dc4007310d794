package dev.galley.app.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark 3: simulated nodes long-poll for assignments over the real node protocol while cooks arrive at a
 * steady rate; measures the time from the cook's response to the node holding the assignment.
 */
public final class AssignLatencyBenchmark {
    public int nodes;
    public double rate;
    public Duration duration;

    public AssignLatencyBenchmark(Size size) {
        nodes = size.pick(10, 100);
        rate = size.pick(10.0, 50.0);
        duration = Duration.ofSeconds(size.pick(3, 30));
    }

    public Result run(BenchEnv env, Size size) throws Exception {
        Result result = new Result("assign-latency", size);
        result.metric("long-polling nodes", nodes, "");
        result.metric("cook rate", rate, "/s");
        try (BenchEnv.Target t = env.target("assign", Map.of(), false)) {
            String[] consumer = t.account("bench-assign", "preset:compute_consumer");
            String[] owner = t.account("bench-assign-nodes", "preset:compute_node");
            GalleyClient cooks = t.client(consumer[1]);
            JsonNode recipe = t.ok(cooks, "POST", "/v1/job-recipes", """
                    {"name":"bench small","visibility":"PRIVATE","payload":{"title":"small","task":"BATCH","cpu_count":1,
                     "min_ram_gb":1,"max_timeout_run_ms":600000,"parameters":{"parameters":{"image":"busybox"}}}}""", 201);
            // One compute_node key per node, as real agents have (a key registers at most one node).
            Map<String, GalleyClient> nodeClients = new java.util.LinkedHashMap<>();
            for (int i = 0; i < nodes; i++) {
                String nodeKey = t.key(owner[0], "poller-" + i, "preset:compute_node");
                ObjectNode body = BenchEnv.JSON.createObjectNode().put("name", "poller-" + i).put("region_code", "eu-west-1")
                        .put("public_host", "127.0.0.1").put("agent_version", "bench-1");
                ObjectNode hw = body.putObject("hardware");
                hw.putArray("cpus").addObject().put("name", "Sim CPU").put("num_cores", 64);
                hw.putArray("rams").addObject().put("memory_gb_max", 256).put("memory_gb_available", 256);
                hw.putArray("hard_drives").addObject().put("name", "/").put("max_capacity_gb", 1000).put("available_capacity_gb", 1000);
                hw.putArray("gpus");
                GalleyClient agent = GalleyClient.builder(t.url, dev.galley.client.ApiKeyPair.parse(nodeKey))
                        .requestTimeout(Duration.ofSeconds(40)).build();
                nodeClients.put(t.ok(agent, "POST", "/v1/nodes/register", body.toString(), 201).get("uuid").asText(), agent);
            }
            env.log("assign-latency: %d nodes registered; long-polling", nodes);

            Map<String, Long> cookedAt = new ConcurrentHashMap<>();
            Map<String, Long> receivedAt = new ConcurrentHashMap<>();
            Set<String> seenRuns = ConcurrentHashMap.newKeySet();
            AtomicLong nodeErrors = new AtomicLong();
            List<String> nodeErrorSamples = new java.util.concurrent.CopyOnWriteArrayList<>();
            var stop = new java.util.concurrent.atomic.AtomicBoolean();
            ExecutorService pollers = Executors.newVirtualThreadPerTaskExecutor();
            for (var entry : nodeClients.entrySet()) {
                String node = entry.getKey();
                GalleyClient polls = entry.getValue();
                pollers.submit(() -> {
                    long lastBeat = System.nanoTime();
                    while (!stop.get()) {
                        try {
                            ApiResponse r = polls.send("GET", "/v1/nodes/" + node + "/assignments?wait_ms=5000", null, Map.of());
                            long now = System.nanoTime();
                            if (r.status() != 200) throw new IllegalStateException("poll answered " + r.status() + ": " + r.bodyText());
                            for (JsonNode a : r.json().get("assignments")) {
                                String run = a.get("job_run").get("uuid").asText();
                                if (!seenRuns.add(run)) continue;
                                receivedAt.put(a.get("job").get("uuid").asText(), now);
                                // Acknowledge as an agent does, so the run is not handed out again.
                                ApiResponse ack = polls.send("PATCH", "/v1/job-runs/" + run,
                                        "{\"status\":\"PREPARING\"}".getBytes(StandardCharsets.UTF_8), Map.of());
                                if (ack.status() != 200) throw new IllegalStateException("PATCH run answered " + ack.status() + ": " + ack.bodyText());
                            }
                            if (now - lastBeat > 5_000_000_000L) {
                                ApiResponse hb = polls.send("POST", "/v1/nodes/" + node + "/heartbeat",
                                        "{\"metadata\":{\"cpu_load\":0.1}}".getBytes(StandardCharsets.UTF_8), Map.of());
                                if (hb.status() != 200) throw new IllegalStateException("heartbeat answered " + hb.status());
                                lastBeat = now;
                            }
                        } catch (RuntimeException e) {
                            if (stop.get()) return;
                            if (nodeErrors.incrementAndGet() <= 5) nodeErrorSamples.add(e.toString());
                            ServerProcess.sleep(200);
                        }
                    }
                });
            }
            ServerProcess.sleep(500); // let every node's first poll reach the server

            String path = "/v1/job-recipes/" + recipe.get("uuid").asText() + "/cook";
            // Warm up at the same rate first (JIT, connection pools), as the cook benchmark does: the target is the
            // steady state, so it runs until the server's JIT is quiet. Warm-up cooks are not measured (they never
            // enter cookedAt).
            Duration warmUp = duration.compareTo(Duration.ofSeconds(10)) >= 0 ? Duration.ofSeconds(5) : Duration.ofSeconds(1);
            Duration maxWarmUp = duration.compareTo(Duration.ofSeconds(10)) >= 0 ? Duration.ofSeconds(60) : Duration.ofSeconds(1);
            double warmed = JitWarmup.run(env, t.serverPid, warmUp, maxWarmUp, d -> Load.openLoop(cooks,
                    i -> Load.Request.of("POST", path, "{\"title\":\"warm-up " + i + "\"}"), 201, rate, d, 1000, resp -> { }));
            ServerProcess.sleep(1000);
            env.log("assign-latency: warmed up for %.0f s", warmed);
            result.metric("warm-up, until the server's JIT is quiet", warmed, "s");
            var cpu = t.cpuMeter();
            Load.Outcome o = Load.openLoop(cooks, i -> Load.Request.of("POST", path, "{\"title\":\"small " + i + "\"}"), 201, rate,
                    duration, 1000, resp -> cookedAt.put(resp.json().get("uuid").asText(), System.nanoTime()));
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            // Wait for every measured cook (receivedAt also holds the warm-up's assignments, so compare keys).
            while (!receivedAt.keySet().containsAll(cookedAt.keySet()) && System.nanoTime() < deadline) ServerProcess.sleep(50);
            double[] pct = cpu.stop();
            stop.set(true);
            pollers.shutdownNow(); // pollers blocked in a long-poll end with their request; nothing waits for them

            long[] lat = new long[cookedAt.size()];
            int n = 0;
            long missing = 0;
            for (var e : cookedAt.entrySet()) {
                Long got = receivedAt.get(e.getKey());
                if (got == null) missing++;
                else lat[n++] = Math.max(0, got - e.getValue());
            }
            Stats s = Stats.of(lat, n);
            env.log("assign-latency: %d cooks, %d assignments received; %s", cookedAt.size(), n, s);
            result.error(o.errors(), "failed cooks, e.g. " + o.errorSamples());
            result.error(missing, "cooked jobs whose node never received the assignment within 15 s");
            result.error(nodeErrors.get(), "node protocol errors, e.g. " + nodeErrorSamples);
            result.metric("assignments received", n, "");
            result.metric("cook → node has the assignment p50", s.p50Ms(), "ms");
            result.atMost("cook → node has the assignment p99", s.p99Ms(), "ms", 100);
            result.metric("cook → node has the assignment max", s.maxMs(), "ms");
            result.latency("cook response", o.latency(), Double.NaN);
            result.cpu("assign-latency", pct);
        }
        return result;
    }
}
