package dev.galley.app.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** WireClient against the JDK's own HTTP server (and a raw socket for the framings that server never produces). */
class WireClientTest {
    private HttpServer server;
    private URI origin;
    /** Every client port the server saw a request from: one per TCP connection. */
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    /** What the server received, for the request-side assertions. */
    private final Map<String, String> lastRequest = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/plain", ex -> reply(ex, 200, Map.of("Retry-After", "7"), ("plain " + ex.getRequestURI()).getBytes(StandardCharsets.UTF_8)));
        server.createContext("/echo", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            lastRequest.put("method", ex.getRequestMethod());
            lastRequest.put("uri", ex.getRequestURI().toString());
            lastRequest.put("host", String.valueOf(ex.getRequestHeaders().getFirst("Host")));
            lastRequest.put("content-type", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
            lastRequest.put("x-nonce", String.valueOf(ex.getRequestHeaders().getFirst("X-Nonce")));
            lastRequest.put("content-length", String.valueOf(ex.getRequestHeaders().getFirst("Content-Length")));
            reply(ex, 201, Map.of(), body);
        });
        server.createContext("/chunked", ex -> {
            clientPorts.add(ex.getRemoteAddress().getPort());
            ex.sendResponseHeaders(200, 0); // length 0 = chunked in the JDK server
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 50; i++) {
                    out.write(("part-" + i + ";").getBytes(StandardCharsets.UTF_8));
                    out.flush(); // each flush becomes its own chunk
                }
            }
        });
        server.createContext("/close", ex -> reply(ex, 200, Map.of("Connection", "close"), "bye".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/empty", ex -> {
            clientPorts.add(ex.getRemoteAddress().getPort());
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.createContext("/status", ex -> reply(ex, 429, Map.of(), "{\"error\":\"slow down\"}".getBytes(StandardCharsets.UTF_8)));
        server.start();
        origin = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void reply(HttpExchange ex, int status, Map<String, String> headers, byte[] body) throws IOException {
        clientPorts.add(ex.getRemoteAddress().getPort());
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void keepAliveReusesOneConnectionForSequentialRequests() throws IOException {
        try (WireClient c = new WireClient(origin)) {
            for (int i = 0; i < 200; i++) {
                WireClient.Response r = c.send("GET", "/plain?i=" + i, Map.of("Accept", "application/json"), null);
                assertThat(r.status()).isEqualTo(200);
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("plain /plain?i=" + i);
            }
            assertThat(c.connectionsOpened()).isEqualTo(1);
            assertThat(c.idleConnections()).isEqualTo(1);
            assertThat(clientPorts).hasSize(1);
        }
    }

    @Test
    void headersAreLookedUpCaseInsensitively() throws IOException {
        try (WireClient c = new WireClient(origin)) {
            WireClient.Response r = c.send("GET", "/plain", Map.of(), null);
            assertThat(r.header("retry-after")).contains("7");
            assertThat(r.header("RETRY-AFTER")).contains("7");
            assertThat(r.header("X-Missing")).isEmpty();
            assertThat(r.headers().get("content-length")).containsExactly("12");
        }
    }

    @Test
    void chunkedResponseIsReassembledAndTheConnectionKept() throws IOException {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50; i++) expected.append("part-").append(i).append(';');
        try (WireClient c = new WireClient(origin)) {
            for (int i = 0; i < 3; i++) {
                WireClient.Response r = c.send("GET", "/chunked", Map.of(), null);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Transfer-Encoding")).hasValueSatisfying(v -> assertThat(v).containsIgnoringCase("chunked"));
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(expected.toString());
            }
            // The chunked body ended at its zero chunk, not at EOF, so the same connection served all three.
            assertThat(c.connectionsOpened()).isEqualTo(1);
            assertThat(c.send("GET", "/plain", Map.of(), null).status()).isEqualTo(200);
            assertThat(c.connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void connectionCloseIsNotPooledAndTheNextRequestReopens() throws IOException {
        try (WireClient c = new WireClient(origin)) {
            WireClient.Response bye = c.send("GET", "/close", Map.of(), null);
            assertThat(bye.status()).isEqualTo(200);
            assertThat(new String(bye.body(), StandardCharsets.UTF_8)).isEqualTo("bye");
            assertThat(c.idleConnections()).isZero();

            WireClient.Response next = c.send("GET", "/plain", Map.of(), null);
            assertThat(next.status()).isEqualTo(200);
            assertThat(c.connectionsOpened()).isEqualTo(2);
            assertThat(clientPorts).hasSize(2);
            assertThat(c.idleConnections()).isEqualTo(1);
        }
    }

    @Test
    void postBodyLargerThanTheBuffersIsSentAndEchoedExactly() throws IOException {
        byte[] body = new byte[200_000];
        new Random(42).nextBytes(body);
        try (WireClient c = new WireClient(origin)) {
            WireClient.Response r = c.send("POST", "/echo?x=1", Map.of("Content-Type", "application/json", "X-Nonce", "n1"), body);
            assertThat(r.status()).isEqualTo(201);
            assertThat(r.body()).isEqualTo(body);
            assertThat(lastRequest).containsEntry("method", "POST").containsEntry("uri", "/echo?x=1")
                    .containsEntry("host", origin.getAuthority()).containsEntry("content-type", "application/json")
                    .containsEntry("x-nonce", "n1").containsEntry("content-length", "200000");

            // A small POST right after on the same connection: the framing of the big one was exact.
            WireClient.Response small = c.send("POST", "/echo", Map.of(), "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(small.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
            assertThat(c.connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void emptyBodiesAndErrorStatusesAreAnswersNotFailures() throws IOException {
        try (WireClient c = new WireClient(origin)) {
            WireClient.Response none = c.send("DELETE", "/empty", Map.of(), null);
            assertThat(none.status()).isEqualTo(204);
            assertThat(none.body()).isEmpty();
            WireClient.Response posted = c.send("POST", "/echo", Map.of(), null);
            assertThat(posted.status()).isEqualTo(201);
            assertThat(lastRequest).containsEntry("content-length", "0");
            WireClient.Response limited = c.send("GET", "/status", Map.of(), null);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(new String(limited.body(), StandardCharsets.UTF_8)).contains("slow down");
            assertThat(c.connectionsOpened()).isEqualTo(1);
        }
    }

    @Test
    void fiftyVirtualThreadsShareThePoolWithoutMixingUpResponses() throws Exception {
        int threads = 50;
        int perThread = 40;
        CountDownLatch go = new CountDownLatch(1);
        try (WireClient c = new WireClient(origin)) {
            List<Future<Integer>> done = new ArrayList<>();
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    done.add(ex.submit(() -> {
                        go.await();
                        int ok = 0;
                        for (int i = 0; i < perThread; i++) {
                            // Each body is unique, so a response handed to the wrong caller would be noticed.
                            String mine = "{\"thread\":" + thread + ",\"i\":" + i + "}";
                            WireClient.Response r = i % 2 == 0
                                    ? c.send("POST", "/echo", Map.of("Content-Type", "application/json"), mine.getBytes(StandardCharsets.UTF_8))
                                    : c.send("GET", "/plain?t=" + thread + "&i=" + i, Map.of(), null);
                            String expected = i % 2 == 0 ? mine : "plain /plain?t=" + thread + "&i=" + i;
                            if (r.status() / 100 == 2 && new String(r.body(), StandardCharsets.UTF_8).equals(expected)) ok++;
                        }
                        return ok;
                    }));
                }
                go.countDown();
            }
            int ok = 0;
            for (Future<Integer> f : done) ok += f.get(30, TimeUnit.SECONDS);
            assertThat(ok).isEqualTo(threads * perThread);
            // Never more connections than concurrent callers, all of them back in the pool afterwards.
            assertThat(c.connectionsOpened()).isBetween(1L, (long) threads);
            assertThat(c.idleConnections()).isEqualTo((int) c.connectionsOpened());
            assertThat(clientPorts).hasSize((int) c.connectionsOpened());
        }
    }

    @Test
    void connectionsIdleLongerThanTheLimitAreNotReused() throws Exception {
        try (WireClient c = new WireClient(origin, Duration.ofSeconds(5), Duration.ofMillis(50))) {
            assertThat(c.send("GET", "/plain", Map.of(), null).status()).isEqualTo(200);
            Thread.sleep(120); // the idle time is what is under test: longer than the 50 ms limit
            assertThat(c.send("GET", "/plain", Map.of(), null).status()).isEqualTo(200);
            assertThat(c.connectionsOpened()).isEqualTo(2);
            assertThat(c.idleConnections()).isEqualTo(1);
        }
    }

    @Test
    void bodyWithoutLengthEndsAtEofAndThatConnectionIsDropped() throws Exception {
        // The JDK server always frames its bodies; a raw socket sends the HTTP/1.0-style "until close" body.
        try (ServerSocket raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor();
             WireClient c = new WireClient(URI.create("http://127.0.0.1:" + raw.getLocalPort()))) {
            ex.submit(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket s = raw.accept()) {
                        readHead(s.getInputStream());
                        s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close " + i)
                                .getBytes(StandardCharsets.US_ASCII));
                    }
                }
                return null;
            });
            WireClient.Response first = c.send("GET", "/a", Map.of(), null);
            assertThat(new String(first.body(), StandardCharsets.US_ASCII)).isEqualTo("until close 0");
            assertThat(c.idleConnections()).isZero();
            WireClient.Response second = c.send("GET", "/b", Map.of(), null);
            assertThat(new String(second.body(), StandardCharsets.US_ASCII)).isEqualTo("until close 1");
            assertThat(c.connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndOneThatHangsUpIsAnError() throws Exception {
        try (ServerSocket raw = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor();
             WireClient c = new WireClient(URI.create("http://127.0.0.1:" + raw.getLocalPort()), Duration.ofMillis(300), Duration.ofSeconds(60))) {
            CountDownLatch release = new CountDownLatch(1);
            ex.submit(() -> {
                try (Socket silent = raw.accept()) {
                    readHead(silent.getInputStream());
                    release.await(); // never answers while the client waits
                }
                try (Socket hangUp = raw.accept()) {
                    readHead(hangUp.getInputStream()); // and this one closes without a word
                }
                return null;
            });
            assertThatThrownBy(() -> c.send("GET", "/slow", Map.of(), null)).isInstanceOf(SocketTimeoutException.class);
            release.countDown();
            assertThatThrownBy(() -> c.send("GET", "/gone", Map.of(), null)).isInstanceOf(IOException.class)
                    .hasMessageContaining("closed");
            assertThat(c.idleConnections()).isZero();
        }
    }

    @Test
    void refusesWhatWouldCorruptTheRequest() {
        try (WireClient c = new WireClient(origin)) {
            assertThatThrownBy(() -> c.send("GET", "/a b", Map.of(), null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.send("GET", "/a", Map.of("X-Evil", "a\r\nX-Injected: 1"), null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> c.send("GET", "no-slash", Map.of(), null)).isInstanceOf(IllegalArgumentException.class);
            assertThat(c.connectionsOpened()).isZero(); // checked before anything is written; the connection is dropped
        }
        assertThatThrownBy(() -> new WireClient(URI.create("https://127.0.0.1:1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WireClient(URI.create("http://127.0.0.1:1/prefix"))).isInstanceOf(IllegalArgumentException.class);
    }

    /** Reads a request head (up to the blank line); the raw servers above never get a body. */
    private static void readHead(InputStream in) throws IOException {
        int state = 0; // matched bytes of \r\n\r\n
        int b;
        while (state < 4 && (b = in.read()) >= 0) {
            state = (b == "\r\n\r\n".charAt(state)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
