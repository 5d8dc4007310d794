package dev.galley.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.app.cli.CliRunner.Result;
import dev.galley.client.Galley;
import dev.galley.client.Job;
import dev.galley.client.ListQuery;
import dev.galley.client.Recipe;
import dev.galley.server.it.TestServer;
import dev.galley.server.it.TestServer.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consumer commands run against the real server: their output, their JSON and their exit codes. */
class ConsumerCommandsIT {
    static final String RECIPE_YAML = """
            name: cli-render
            description: renders frames
            payload:
              title: "render {{scene}}"
              task: BATCH
              max_timeout_run_ms: 600000
              parameters:
                parameters:
                  image: busybox
                  env:
                    SCENE: "{{scene}}"
                    MODE: slow
            input_schema:
              - key: scene
                type: string
                required: true
              - key: frames
                type: number
                default_value: 10
            """;

    @TempDir Path home;
    Tenant tenant;
    Galley galley;
    CliRunner cli = new CliRunner();

    @BeforeEach
    void setUp() {
        tenant = TestServer.newTenant();
        galley = SdkFixtures.galley(tenant);
        cli.env.put("HOME", home.toString());
        cli.env.put("GALLEY_URL", TestServer.baseUrl().toString());
        cli.env.put("GALLEY_API_KEY", tenant.keyPair());
    }

    private Path recipeFile(String name, String text) throws Exception {
        Path file = home.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** The job without the fields the scheduler may change between two reads of a PENDING job. */
    private static JsonNode stable(JsonNode job) {
        var copy = (com.fasterxml.jackson.databind.node.ObjectNode) job.deepCopy();
        copy.remove(List.of("status_reason", "status_reason_code", "updated_at", "timeout_assign_at_ms"));
        return copy;
    }

    private String createRecipe() throws Exception {
        Result r = cli.run("recipes", "create", "-f", recipeFile("render.yaml", RECIPE_YAML).toString(), "-q");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.out().strip();
    }

    @Test
    void loginStoresAPrivateProfileThatLaterCommandsUse() throws Exception {
        cli.env.remove("GALLEY_URL");
        cli.env.remove("GALLEY_API_KEY");
        Result noKey = cli.run("jobs", "list");
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.err()).contains("galley login");

        Result login = cli.run("login", "--url", TestServer.baseUrl().toString(), "--api-key", tenant.keyPair());
        assertThat(login.exitCode()).as(login.err()).isZero();
        Path config = home.resolve(".config/galley/config.json");
        assertThat(login.out()).contains("saved profile 'default'").contains(config.toString())
                .doesNotContain(tenant.keyPair().substring(tenant.keyPair().indexOf(':') + 1));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        assertThat(Files.readString(config)).contains(tenant.keyPair());

        galley.jobs().create(SdkFixtures.jobSpec("seen through the profile"));
        Result list = cli.run("jobs", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("seen through the profile");

        Result missing = cli.run("jobs", "list", "--profile", "staging");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no profile 'staging'");

        cli.env.put("XDG_CONFIG_HOME", home.resolve("xdg").toString());
        Result elsewhere = cli.run("login", "--profile", "staging", "--url", TestServer.baseUrl().toString(),
                "--api-key", tenant.keyPair());
        assertThat(elsewhere.exitCode()).isZero();
        assertThat(home.resolve("xdg/galley/config.json")).exists();
        assertThat(cli.run("jobs", "list", "--profile", "staging").exitCode()).isZero();
    }

    @Test
    void loginRejectsAKeyTheServerDoesNotKnowAndSavesNothing() {
        Result r = cli.run("login", "--url", TestServer.baseUrl().toString(), "--api-key", "pk_nobody123:sk_nothing123");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("unauthenticated").doesNotContain("Exception");
        assertThat(home.resolve(".config/galley/config.json")).doesNotExist();
    }

    @Test
    void recipesCreateFromYamlThenListGetEditForkArchiveDelete() throws Exception {
        String uuid = createRecipe();
        assertThat(galley.recipes().get(uuid).name()).isEqualTo("cli-render");

        Result list = cli.run("recipes", "list");
        assertThat(list.exitCode()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(0)).startsWith("UUID").contains("NAME", "VISIBILITY");
        assertThat(lines.get(1)).startsWith(uuid).contains("cli-render", "PRIVATE");
        assertThat(lines.get(1).indexOf("cli-render")).as("columns are aligned").isEqualTo(lines.get(0).indexOf("NAME"));

        Result byName = cli.run("recipes", "get", "cli-render", "--json");
        assertThat(byName.exitCode()).isZero();
        assertThat(SdkFixtures.json(byName.out()).get("uuid").asText()).isEqualTo(uuid);

        Result edit = cli.run("recipes", "edit", "cli-render", "--set", "visibility=PUBLIC", "--set", "payload.cpu_count=4");
        assertThat(edit.exitCode()).as(edit.err()).isZero();
        Recipe edited = galley.recipes().get(uuid);
        assertThat(edited.visibility()).isEqualTo("PUBLIC");
        assertThat(edited.payload().get("cpu_count").asInt()).isEqualTo(4);
        assertThat(edited.payload().at("/parameters/parameters/env/MODE").asText()).as("the rest of the payload kept").isEqualTo("slow");

        Result editor = cli.run("recipes", "edit", uuid);
        assertThat(editor.exitCode()).isEqualTo(2);
        cli.env.put("EDITOR", "sed -i -e 's/renders frames/renders more frames/'");
        Result edited2 = cli.run("recipes", "edit", uuid);
        assertThat(edited2.exitCode()).as(edited2.err()).isZero();
        assertThat(galley.recipes().get(uuid).json().get("description").asText()).isEqualTo("renders more frames");

        Result fork = cli.run("recipes", "fork", "cli-render", "--name", "cli-render-2", "-q");
        assertThat(fork.exitCode()).isZero();
        String forkUuid = fork.out().strip();
        assertThat(galley.recipes().get(forkUuid).json().get("forked_from_recipe_uuid").asText()).isEqualTo(uuid);

        assertThat(cli.run("recipes", "archive", "cli-render-2").exitCode()).isZero();
        assertThat(galley.recipes().get(forkUuid).visibility()).isEqualTo("ARCHIVED");
        Result delete = cli.run("recipes", "delete", "cli-render-2");
        assertThat(delete.exitCode()).as(delete.err()).isZero();
        assertThat(delete.out()).contains("deleted recipe " + forkUuid);

        Result asFile = cli.run("recipes", "get", uuid, "--as-file");
        assertThat(asFile.out()).contains("name: cli-render").contains("payload:").doesNotContain("uuid:");
    }

    @Test
    void anInvalidRecipeFilePrintsTheApiMessageAndEveryFieldErrorWithoutAStackTrace() throws Exception {
        Path bad = recipeFile("bad.json", """
                {"name": "bad", "payload": {"title": "t", "task": "BATCH", "max_timeout_run_ms": 1, "cpu_count": -1,
                 "parameters": {"parameters": {"image": "busybox"}}}}""");
        Result r = cli.run("recipes", "create", "-f", bad.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("galley: invalid_request: ")
                .contains("  payload.max_timeout_run_ms: ").contains("  payload.cpu_count: ").contains("request id")
                .doesNotContain("Exception").doesNotContain("\tat ");
        Result debug = cli.run("recipes", "create", "-f", bad.toString(), "--debug");
        assertThat(debug.err()).contains("GalleyApiException").contains("\tat ");

        Result notYaml = cli.run("recipes", "create", "-f", recipeFile("broken.yaml", "name: [unclosed\n").toString());
        assertThat(notYaml.exitCode()).isEqualTo(2);
        assertThat(notYaml.err()).contains("is not valid YAML");
        assertThat(cli.run("recipes", "create", "-f", home.resolve("nope.yaml").toString()).err()).contains("cannot read");
    }

    @Test
    void cookTurnsSetsAndInputsIntoTheOverrideBody() throws Exception {
        String uuid = createRecipe();
        Result r = cli.run("cook", "cli-render", "--set", "parameters.parameters.env.MODE=fast", "--set", "cpu_count=2",
                "--set", "parameters.parameters.env.EPOCHS=10", "--input", "scene=forest", "--input", "frames=24", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode job = SdkFixtures.json(r.out());
        assertThat(job.get("object").asText()).isEqualTo("job");
        assertThat(job.get("source_recipe_uuid").asText()).isEqualTo(uuid);
        assertThat(job.get("cpu_count").asInt()).isEqualTo(2);
        assertThat(job.get("title").asText()).isEqualTo("render forest");
        assertThat(job.at("/parameters/parameters/env/MODE").asText()).isEqualTo("fast");
        assertThat(job.at("/parameters/parameters/env/EPOCHS").asText()).as("env values stay strings").isEqualTo("10");
        assertThat(job.at("/parameters/parameters/env/SCENE").asText()).isEqualTo("forest");
        assertThat(stable(job)).as("the API object, unchanged").isEqualTo(stable(galley.jobs().get(job.get("uuid").asText()).json()));

        Result table = cli.run("cook", uuid, "--input", "scene=lake");
        assertThat(table.out().lines().toList().get(0)).startsWith("UUID").contains("STATUS");
        assertThat(table.out()).contains("render lake", "PENDING");

        Result missingInput = cli.run("cook", uuid);
        assertThat(missingInput.exitCode()).isEqualTo(1);
        assertThat(missingInput.err()).contains("invalid_request").contains("inputs.scene");

        Result badNumber = cli.run("cook", uuid, "--input", "scene=x", "--input", "frames=many");
        assertThat(badNumber.exitCode()).isEqualTo(2);
        assertThat(badNumber.err()).contains("frames").contains("not a number");

        Result unknown = cli.run("cook", "no-such-recipe");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no recipe named 'no-such-recipe'");
    }

    @Test
    void aRecipeNameSharedByTwoRecipesIsRefusedAsAmbiguous() throws Exception {
        String first = createRecipe();
        String second = createRecipe();
        Result r = cli.run("cook", "cli-render", "--input", "scene=x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("several recipes").contains(first).contains(second);
        assertThat(galley.jobs().list(ListQuery.defaults()).total()).isZero();
    }

    @Test
    void cookWaitTimesOutWithItsOwnExitCodeAndAClearMessage() throws Exception {
        createRecipe();
        Result r = cli.run("cook", "cli-render", "--input", "scene=x", "--wait", "--timeout", "2s", "--poll", "200ms");
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.out()).contains("cooked job").containsPattern("PENDING  \\d+s \\([A-Z_]+: .+\\)");
        List<String> statusLines = r.out().lines().filter(l -> l.startsWith("job ")).toList();
        // About ten polls in 2 s; the scheduler may change the reason once (waiting → no matching node).
        assertThat(statusLines).as("plain output: a line per change, not per poll").hasSizeBetween(1, 2).doesNotHaveDuplicates();
        assertThat(r.out()).doesNotContain("\r");
        assertThat(r.err()).contains("timed out after 2s").contains("still PENDING");
        assertThat(cli.run("jobs", "watch", "x", "--timeout", "soon").exitCode()).isEqualTo(2);
    }

    @Test
    void waitingOnAJobThatGetsCancelledExitsNonZero() throws Exception {
        createRecipe();
        CompletableFuture<Result> waiting = CompletableFuture.supplyAsync(
                () -> cli.run("cook", "cli-render", "--input", "scene=x", "--wait", "--poll", "100ms", "--json"));
        Job job = await().atMost(Duration.ofSeconds(20)).until(
                () -> galley.jobs().list(ListQuery.defaults()).data(), jobs -> !jobs.isEmpty()).get(0);
        Result cancel = cli.run("jobs", "cancel", job.uuid(), "--reason", "test over", "-q");
        assertThat(cancel.exitCode()).isZero();
        assertThat(cancel.out().strip()).isEqualTo(job.uuid());

        Result r = waiting.join();
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(SdkFixtures.json(r.out()).get("status").asText()).as("--json: the final job").isEqualTo("CANCELLED");
        assertThat(r.err()).contains("was CANCELLED").contains("test over");

        Result watch = cli.run("jobs", "watch", job.uuid());
        assertThat(watch.exitCode()).isEqualTo(4);
        Result again = cli.run("jobs", "cancel", job.uuid());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).startsWith("galley: conflict: ");
    }

    @Test
    void aLiveStatusLineIsRedrawnInPlaceOnATerminal() {
        Job job = galley.jobs().create(SdkFixtures.jobSpec("live"));
        cli.terminal = true;
        Result r = cli.run("jobs", "watch", job.uuid(), "--timeout", "1s", "--poll", "200ms");
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.out()).contains("\r\033[2Kjob " + job.uuid() + "  PENDING  ");
        assertThat(r.out().split("\r\033\\[2K", -1).length).as("redrawn on several polls").isGreaterThan(2);
    }

    @Test
    void jobsListJsonParsesBackIntoTheApiObjectsAndQuietPrintsIds() {
        Job a = galley.jobs().create(SdkFixtures.jobSpec("first"));
        Job b = galley.jobs().create(SdkFixtures.jobSpec("second"));
        galley.jobs().cancel(a.uuid(), null);

        Result json = cli.run("jobs", "list", "--json");
        JsonNode envelope = SdkFixtures.json(json.out());
        assertThat(envelope.get("total").asInt()).isEqualTo(2);
        assertThat(stable(envelope.get("data").get(0))).isEqualTo(stable(galley.jobs().get(b.uuid()).json()));

        Result quiet = cli.run("jobs", "list", "-q", "--status", "pending");
        assertThat(quiet.out().lines().toList()).containsExactly(b.uuid());
        assertThat(cli.run("jobs", "list", "-q", "--status", "pending,cancelled").out().lines().toList())
                .containsExactlyInAnyOrder(a.uuid(), b.uuid());
        Result unknown = cli.run("jobs", "list", "--status", "DONE");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("--status").contains("CANCELLING");

        Result one = cli.run("jobs", "get", a.uuid());
        assertThat(one.out()).contains("status").contains("CANCELLED").contains("title").contains("first");

        Result page = cli.run("jobs", "list", "--limit", "1");
        assertThat(page.out().lines().count()).isEqualTo(2);
        assertThat(page.err()).contains("--page 2 for more");

        Result notFound = cli.run("jobs", "get", "00000000-0000-0000-0000-000000000000");
        assertThat(notFound.exitCode()).isEqualTo(1);
        assertThat(notFound.err()).startsWith("galley: not_found: ");
    }

    @Test
    void jobsGetListAndCancelShowTheJobsMoneyExactlyAsTheApiSendsItWithTheCurrency() {
        Job job = galley.jobs().create(SdkFixtures.jobSpec("priced"));
        JsonNode api = galley.jobs().get(job.uuid()).json();
        String price = api.get("price_per_hour").asText();
        String cost = api.get("cost_so_far").asText();
        String currency = galley.billing().balance().currency();
        assertThat(price).as("a decimal string with six digits").matches("\\d+\\.\\d{6}");
        assertThat(new java.math.BigDecimal(price)).as("1 CPU core at the seeded prices").isPositive();
        assertThat(currency).matches("[A-Z]{3}");

        Result get = cli.run("jobs", "get", job.uuid());
        assertThat(get.exitCode()).as(get.err()).isZero();
        assertThat(get.out()).containsPattern("(?m)^price_per_hour +" + java.util.regex.Pattern.quote(price + " " + currency) + "$")
                .containsPattern("(?m)^cost_so_far +" + java.util.regex.Pattern.quote(cost + " " + currency) + "$")
                .as("only the money gets a currency").containsPattern("(?m)^cpu_count +1$");

        Result list = cli.run("jobs", "list");
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(0)).contains("GPUS  COST (" + currency + ")  CREATED");
        assertThat(lines.get(1)).startsWith(job.uuid()).containsPattern("  " + java.util.regex.Pattern.quote(cost) + "  +\\d{4}-");
        Result cancel = cli.run("jobs", "cancel", job.uuid());
        assertThat(cancel.out()).contains("COST (" + currency + ")").contains(job.uuid());

        // --json and -q are exactly what they were: the API's object, the uuid; no currency is asked for or added.
        assertThat(SdkFixtures.json(cli.run("jobs", "get", job.uuid(), "--json").out()).get("price_per_hour").asText()).isEqualTo(price);
        assertThat(cli.run("jobs", "get", job.uuid(), "-q").out().strip()).isEqualTo(job.uuid());
    }

    @Test
    void aKeyThatMayNotReadItsBalanceStillSeesTheAmountsWithoutACurrency() {
        Tenant narrow = TestServer.newTenant(List.of("jobs.read.own", "jobs.create.own"));
        Job job = SdkFixtures.galley(narrow).jobs().create(SdkFixtures.jobSpec("no ledger"));
        String price = SdkFixtures.galley(narrow).jobs().get(job.uuid()).json().get("price_per_hour").asText();
        cli.env.put("GALLEY_API_KEY", narrow.keyPair());

        Result get = cli.run("jobs", "get", job.uuid());
        assertThat(get.exitCode()).as(get.err()).isZero();
        assertThat(get.err()).isEmpty();
        assertThat(get.out()).containsPattern("(?m)^price_per_hour +" + java.util.regex.Pattern.quote(price) + "$");
        Result list = cli.run("jobs", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().lines().findFirst().orElseThrow()).containsPattern("GPUS +COST +CREATED");
    }

    @Test
    void jobsCanBeFilteredByRecipe() throws Exception {
        String uuid = createRecipe();
        galley.jobs().create(SdkFixtures.jobSpec("unrelated"));
        cli.run("cook", uuid, "--input", "scene=a");
        Result r = cli.run("jobs", "list", "--recipe", "cli-render", "--json");
        JsonNode envelope = SdkFixtures.json(r.out());
        assertThat(envelope.get("total").asInt()).isEqualTo(1);
        assertThat(envelope.at("/data/0/source_recipe_uuid").asText()).isEqualTo(uuid);
    }

    @Test
    void keysCanBeCreatedListedAndRevoked() {
        Result created = cli.run("keys", "create", "--name", "ci", "-q");
        assertThat(created.exitCode()).as(created.err()).isZero();
        String pair = created.out().strip();
        assertThat(pair).matches("pk_\\S+:sk_\\S+");

        Result table = cli.run("keys", "create", "--name", "node", "--permission", "jobs.read.own");
        assertThat(table.out()).contains("API key (shown only now): pk_");

        Result list = cli.run("keys", "list", "--json");
        JsonNode keys = SdkFixtures.json(list.out()).get("data");
        JsonNode ci = null;
        for (JsonNode k : keys) if (k.get("name").asText().equals("ci")) ci = k;
        assertThat(ci).isNotNull();
        assertThat(ci.has("secret_key")).isFalse();

        Result revoke = cli.run("keys", "revoke", ci.get("uuid").asText());
        assertThat(revoke.exitCode()).isZero();
        assertThat(revoke.out()).contains("yes");
        cli.env.put("GALLEY_API_KEY", pair);
        Result rejected = cli.run("jobs", "list");
        assertThat(rejected.exitCode()).isEqualTo(1);
        assertThat(rejected.err()).contains("unauthenticated");
    }

    @Test
    void gpusNodesAndRunsPrintTables() {
        Result gpus = cli.run("gpus", "--min-vram", "40");
        assertThat(gpus.exitCode()).as(gpus.err()).isZero();
        assertThat(gpus.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("VRAM GB", "AVAILABLE");
        assertThat(SdkFixtures.json(cli.run("gpus", "--json").out()).get("data")).isNotEmpty();

        Job job = galley.jobs().create(SdkFixtures.jobSpec("no runs"));
        Result runs = cli.run("runs", "list", "--job", job.uuid(), "--json");
        assertThat(runs.exitCode()).as(runs.err()).isZero();
        assertThat(SdkFixtures.json(runs.out()).get("data")).isEmpty();
        assertThat(cli.run("runs", "logs", "00000000-0000-0000-0000-000000000000").exitCode()).isEqualTo(1);
        assertThat(cli.run("runs", "logs", "00000000-0000-0000-0000-000000000000", "--follow").err()).contains("not_found");

        cli.env.put("GALLEY_API_KEY", TestServer.OPERATOR_KEY);
        Result nodes = cli.run("nodes", "list", "--json");
        assertThat(nodes.exitCode()).as(nodes.err()).isZero();
        assertThat(SdkFixtures.json(nodes.out()).has("data")).isTrue();
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String[] command : List.of(new String[] {"recipes", "list"}, new String[] {"recipes", "create"},
                new String[] {"recipes", "edit"}, new String[] {"cook"}, new String[] {"jobs", "watch"},
                new String[] {"jobs", "list"}, new String[] {"runs", "logs"}, new String[] {"keys", "create"},
                new String[] {"gpus"}, new String[] {"nodes", "list"}, new String[] {"login"})) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            Result r = cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(r.out()).as(String.join(" ", command)).contains("Usage: galley " + String.join(" ", command))
                    .contains("Examples:");
        }
        assertThat(cli.run("cook").exitCode()).as("missing RECIPE is a usage error").isEqualTo(2);
    }
}
