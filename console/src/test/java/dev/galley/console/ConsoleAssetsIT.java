package dev.galley.console;

import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Page weight, versioned assets with a long cache, and pages the strict CSP needs no exception for. */
class ConsoleAssetsIT {
    static final Pattern ASSET = Pattern.compile("(?:href|src)=\"(/console/assets/[^\"]+)\"");
    static GalleyServer server;
    static TestServer.Tenant alice;
    static String recipe;

    @BeforeAll
    static void setUp() {
        server = ConsoleServer.shared();
        alice = ConsoleServer.tenant(server);
        recipe = ConsoleServer.recipe(alice, "weights");
    }

    @Test
    void everyPageLoadsAtMost150KBOfScriptsAndStylesAllCachedForAYear() {
        var web = new WebClient(ConsoleServer.base(server));
        web.signIn(alice.keyPair());
        for (String page : List.of("/console/jobs", "/console/recipes", "/console/recipes/" + recipe + "/cook", "/console/keys",
                "/console/gpus", "/console/billing", "/console/epochs", "/console/sign-in")) {
            var html = web.get(page).body();
            List<String> assets = new ArrayList<>();
            ASSET.matcher(html).results().forEach(m -> assets.add(m.group(1)));
            assertThat(assets).as(page).hasSize(2);
            long bytes = 0;
            for (String a : assets) {
                var r = web.get(a);
                assertThat(r.status()).as(a).isEqualTo(200);
                assertThat(r.headers().firstValue("Cache-Control")).as(a).hasValue("public, max-age=31536000, immutable");
                bytes += r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
            assertThat(bytes).as(page + " scripts and styles").isLessThanOrEqualTo(150 * 1024);
            // The CSP allows no inline script or style, so a page must not need one.
            assertThat(html).as(page).doesNotContainPattern("<script(?![^>]*\\ssrc=)").doesNotContain(" style=").doesNotContain(" onclick=");
        }
    }

    @Test
    void anAssetUnderAnotherHashIsNotServed() {
        var web = new WebClient(ConsoleServer.base(server));
        assertThat(web.get("/console/assets/0000000000000000/console.js").status()).isEqualTo(404);
        // Only the named assets are served: no other resource of the class path is reachable by name.
        String css = ASSET.matcher(web.get("/console/sign-in").body()).results().map(m -> m.group(1))
                .filter(a -> a.endsWith(".css")).findFirst().orElseThrow();
        String hash = css.split("/")[3];
        assertThat(web.get("/console/assets/" + hash + "/logback.xml").status()).isEqualTo(404);
        assertThat(web.get("/console/assets/" + hash + "/console.css").status()).isEqualTo(200);
    }
}
