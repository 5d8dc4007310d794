package dev.galley.app.bench;

import dev.galley.client.ApiKeyPair;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyClient;
import dev.galley.client.RequestSigning;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Load loops over signed HTTP on virtual threads, always bounded in count and time. Requests go over
 * {@link WireClient} (signed exactly as the SDK signs them), so the generator costs little CPU per request.
 */
public final class Load {
    private static final byte[] NO_BODY = new byte[0];

    private Load() {}

    /** One request to send: method, path and body (signed freshly for every send). */
    public record Request(String method, String path, byte[] body) {
        public static Request of(String method, String path, String body) {
            return new Request(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** What a loop did: successes, failures (with a few samples) and every success's latency. */
    public record Outcome(long ok, long errors, List<String> errorSamples, Stats latency, double seconds, double throughput) {}

    private static final class Errors {
        final AtomicLong count = new AtomicLong();
        final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();

        void add(String what) {
            if (count.incrementAndGet() <= 5) samples.add(what);
        }
    }

    /** How the loops reach the server: the cheap wire transport plus the key every request is signed with. */
    private record Wire(WireClient http, ApiKeyPair key) {}

    // One Wire per GalleyClient, so the measured loop reuses the connections its warm-up opened (as it did with the
    // GalleyClient's own pool). Weak keys: when a benchmark drops its client, its Wire and sockets can go too.
    private static final Map<GalleyClient, Wire> WIRES = Collections.synchronizedMap(new WeakHashMap<>());

    private static Wire wire(GalleyClient client) {
        return WIRES.computeIfAbsent(client, c -> new Wire(new WireClient(c.baseUrl()), c.key()));
    }

    /**
     * Sends one request as {@link GalleyClient#send} does (same headers, signed the same way with a fresh time and
     * nonce) but over {@link WireClient}: java.net.http costs about 1 ms of CPU per request, which on a small
     * machine is taken from the server and database being measured.
     */
    private static void send(Wire wire, Request r, int expect, Errors errors, Consumer<ApiResponse> onOk, Runnable ok) {
        try {
            String method = r.method().toUpperCase(Locale.ROOT);
            byte[] body = r.body() == null ? NO_BODY : r.body();
            Map<String, String> headers = new LinkedHashMap<>(8);
            headers.put("Accept", "application/json");
            headers.putAll(RequestSigning.headers(wire.key(), method, r.path(), body, System.currentTimeMillis(),
                    RequestSigning.randomNonce()));
            if (body.length > 0) headers.put("Content-Type", "application/json");
            WireClient.Response resp = wire.http().send(method, r.path(), headers, body);
            if (resp.status() != expect) {
                String text = new String(resp.body(), StandardCharsets.UTF_8);
                errors.add(resp.status() + " " + text.substring(0, Math.min(200, text.length())));
                return;
            }
            if (onOk != null) onOk.accept(new ApiResponse(resp.status(), resp.headers(), resp.body()));
            ok.run();
        } catch (IOException e) {
            errors.add("request failed: " + e);
        } catch (RuntimeException e) {
            errors.add(e.toString());
        }
    }

    /** {@code concurrency} workers send back to back for {@code duration} (max throughput). */
    public static Outcome closedLoop(GalleyClient client, Request r, int expect, int concurrency, Duration duration) {
        Wire wire = wire(client);
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        Errors errors = new Errors();
        List<long[]> perWorker = new ArrayList<>();
        int[] counts = new int[concurrency];
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                long[][] buf = {new long[4096]};
                int worker = w;
                perWorker.add(null);
                ex.submit(() -> {
                    while (System.nanoTime() < end) {
                        long s = System.nanoTime();
                        send(wire, r, expect, errors, null, () -> {
                            long lat = System.nanoTime() - s;
                            if (counts[worker] == buf[0].length) buf[0] = Arrays.copyOf(buf[0], buf[0].length * 2);
                            buf[0][counts[worker]++] = lat;
                        });
                    }
                    synchronized (perWorker) {
                        perWorker.set(worker, buf[0]);
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int pos = 0;
        for (int w = 0; w < concurrency; w++) {
            System.arraycopy(perWorker.get(w), 0, all, pos, counts[w]);
            pos += counts[w];
        }
        return new Outcome(total, errors.count.get(), List.copyOf(errors.samples), Stats.of(all, total), seconds, total / seconds);
    }

    /**
     * Sends at a fixed rate regardless of how fast answers come (open loop). Latency is measured from each
     * request's <em>intended</em> send time, so a stalled server or a late generator shows up in the numbers
     * instead of being hidden (no coordinated omission). At most {@code maxInFlight} requests are outstanding;
     * a send that would exceed it counts as an error.
     */
    public static Outcome openLoop(GalleyClient client, java.util.function.IntFunction<Request> requests, int expect, double rate,
                                   Duration duration, int maxInFlight, Consumer<ApiResponse> onOk) {
        Wire wire = wire(client);
        int n = (int) Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
        long interval = (long) (1e9 / rate);
        long[] lat = new long[n];
        Arrays.fill(lat, -1);
        Errors errors = new Errors();
        AtomicInteger inFlight = new AtomicInteger();
        long start = System.nanoTime() + 20_000_000;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                long intended = start + i * interval;
                long wait;
                while ((wait = intended - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                if (inFlight.incrementAndGet() > maxInFlight) {
                    inFlight.decrementAndGet();
                    errors.add("more than " + maxInFlight + " requests in flight: the server fell behind");
                    continue;
                }
                int idx = i;
                Request r = requests.apply(i);
                ex.submit(() -> {
                    try {
                        send(wire, r, expect, errors, onOk, () -> lat[idx] = System.nanoTime() - intended);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] okLat = Arrays.stream(lat).filter(v -> v >= 0).toArray();
        return new Outcome(okLat.length, errors.count.get(), List.copyOf(errors.samples), Stats.of(okLat, okLat.length), seconds,
                okLat.length / seconds);
    }
}
