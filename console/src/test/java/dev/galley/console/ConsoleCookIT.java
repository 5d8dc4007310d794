package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.galley.console.WebClient.form;
import static org.assertj.core.api.Assertions.assertThat;

/** The cook form without JavaScript: plain form posts, the preview as a full page and as the live fragment. */
class ConsoleCookIT {
    static GalleyServer server;
    static TestServer.Tenant alice;
    static String recipe;

    @BeforeAll
    static void setUp() {
        server = ConsoleServer.shared();
        alice = ConsoleServer.tenant(server);
        recipe = ConsoleServer.recipe(alice, "form");
    }

    WebClient signedIn() {
        var web = new WebClient(ConsoleServer.base(server));
        web.signIn(alice.keyPair());
        return web;
    }

    @Test
    void theFormCooksWithAnInputAndOverridesAndLandsOnTheJob() {
        var web = signedIn();
        var page = web.get("/console/recipes/" + recipe + "/cook");
        assertThat(page.body()).contains("name=\"inputs.scene\"").contains("name=\"cpu_count\"");
        String idem = page.body().replaceAll("(?s).*name=\"_idem\" value=\"([^\"]+)\".*", "$1");
        var cooked = web.post("/console/recipes/" + recipe + "/cook", form("_csrf", page.csrf(), "_idem", idem,
                "inputs.scene", "dock", "cpu_count", "4", "env", "QUALITY=high\nSEED=7"));
        assertThat(cooked.status()).as(cooked.body()).isEqualTo(303);
        String jobUuid = cooked.location().substring("/console/jobs/".length());
        JsonNode job = alice.ok("GET", "/v1/jobs/" + jobUuid, null, 200);
        assertThat(job.get("title").asText()).isEqualTo("render dock");
        assertThat(job.get("cpu_count").asInt()).isEqualTo(4);
        assertThat(job.at("/parameters/parameters/env/SCENE").asText()).isEqualTo("dock");
        assertThat(job.at("/parameters/parameters/env/QUALITY").asText()).isEqualTo("high");
        // The same form sent twice (a double click) is one job.
        var again = web.post("/console/recipes/" + recipe + "/cook", form("_csrf", page.csrf(), "_idem", idem,
                "inputs.scene", "dock", "cpu_count", "4", "env", "QUALITY=high\nSEED=7"));
        assertThat(again.location()).isEqualTo(cooked.location());
        assertThat(web.get(cooked.location()).body()).contains("render dock");
    }

    @Test
    void refusedFieldsComeBackNextToTheirInputsAndNothingIsCreated() {
        var web = signedIn();
        int before = alice.ok("GET", "/v1/jobs?limit=50", null, 200).get("total").asInt();
        String csrf = web.get("/console/recipes/" + recipe + "/cook").csrf();
        var refused = web.post("/console/recipes/" + recipe + "/cook", form("_csrf", csrf, "cpu_count", "-2", "min_ram_gb", "lots"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("field invalid").contains("inputs.scene").contains("cpu_count").contains("min_ram_gb");
        assertThat(alice.ok("GET", "/v1/jobs?limit=50", null, 200).get("total").asInt()).isEqualTo(before);
    }

    @Test
    void previewShowsTheJobTheCookWouldCreateAndCreatesNothing() {
        var web = signedIn();
        int before = alice.ok("GET", "/v1/jobs?limit=50", null, 200).get("total").asInt();
        String csrf = web.get("/console/recipes/" + recipe + "/cook").csrf();
        var fragment = web.post("/console/recipes/" + recipe + "/preview", form("_csrf", csrf, "inputs.scene", "<i>moon</i>"));
        assertThat(fragment.status()).isEqualTo(200);
        assertThat(fragment.body()).contains("render &lt;i&gt;moon&lt;/i&gt;").doesNotContain("<i>moon");
        var bad = web.post("/console/recipes/" + recipe + "/preview", form("_csrf", csrf, "gpu_count", "many"));
        assertThat(bad.body()).contains("would be refused").contains("gpu_count").contains("inputs.scene");
        var noJs = web.post("/console/recipes/" + recipe + "/cook", form("_csrf", csrf, "_action", "preview", "inputs.scene", "sun"));
        assertThat(noJs.status()).isEqualTo(200);
        assertThat(noJs.body()).contains("id=\"preview-title\">render sun<");
        assertThat(alice.ok("GET", "/v1/jobs?limit=50", null, 200).get("total").asInt()).isEqualTo(before);
    }
}
