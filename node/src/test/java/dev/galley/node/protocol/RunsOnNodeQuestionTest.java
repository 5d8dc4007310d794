package dev.galley.node.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.GalleyClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ControlPlaneClient#runsOnNode}: how the agent asks which runs of unlabelled containers are its
 * node's, against a scripted server that answers like {@code GET /v1/job-runs} (its real counterpart is
 * checked in the app module's {@code NodeRunLookupIT}).
 */
@Timeout(30)
class RunsOnNodeQuestionTest {
    private static final String NODE = "0a0a0a0a-0000-4000-8000-00000000000a";
    private static final String OTHER_NODE = "0b0b0b0b-0000-4000-8000-00000000000b";
    private HttpServer server;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    /** What the scripted server knows: run uuid → node uuid. */
    private volatile Map<String, String> placements = Map.of();
    private volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/job-runs", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            queries.add(query);
            String body = status == 200 ? page(query) : "{\"error\":{\"type\":\"invalid_request\",\"message\":\"scripted\"}}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Ignores the node filter on purpose: the client must not trust that the server applied it. */
    private String page(String query) {
        String uuids = query.replaceAll(".*filter\\[uuid]=([^&]*).*", "$1");
        String data = List.of(uuids.split(",")).stream().filter(placements::containsKey)
                .map(r -> "{\"uuid\":\"" + r + "\",\"object\":\"job_run\",\"node_uuid\":\"" + placements.get(r) + "\"}")
                .collect(Collectors.joining(","));
        return "{\"data\":[" + data + "],\"page\":1,\"limit\":50,\"total\":0}";
    }

    private ControlPlaneClient client() {
        return new ControlPlaneClient(GalleyClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                new ApiKeyPair("pk_a", "sk_b")).build(), new dev.galley.client.RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(1)));
    }

    private static String run(int i) {
        return String.format("%08d-0000-4000-8000-000000000000", i);
    }

    @Test
    void answersTheRunsTheServerPlacesOnThisNodeOnly() {
        placements = Map.of(run(1), NODE, run(2), OTHER_NODE);
        assertThat(client().runsOnNode(NODE, List.of(run(1), run(2), run(3)))).containsExactly(run(1));
        assertThat(queries).singleElement().satisfies(q -> assertThat(q)
                .contains("filter[node_uuid]=" + NODE).contains("filter[uuid]=" + run(1) + "," + run(2) + "," + run(3)).contains("limit=50"));
    }

    @Test
    void manyRunsAreAskedAboutFiftyAtATime() {
        List<String> runs = IntStream.rangeClosed(1, 120).mapToObj(RunsOnNodeQuestionTest::run).toList();
        placements = Map.of(run(1), NODE, run(77), NODE, run(120), NODE);
        assertThat(client().runsOnNode(NODE, runs)).containsExactlyInAnyOrder(run(1), run(77), run(120));
        assertThat(queries).hasSize(3);
        List<Integer> sizes = new ArrayList<>();
        for (String q : queries) sizes.add(q.replaceAll(".*filter\\[uuid]=([^&]*).*", "$1").split(",").length);
        assertThat(sizes).containsExactly(50, 50, 20);
    }

    @Test
    void nothingToAskAboutAsksNothing() {
        assertThat(client().runsOnNode(NODE, Set.of())).isEmpty();
        assertThat(queries).isEmpty();
    }

    @Test
    void aRefusalIsAnError() {
        status = 400;
        assertThatThrownBy(() -> client().runsOnNode(NODE, List.of(run(1)))).isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining("which runs are on this node");
    }
}
