package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.server.GalleyServer;
import dev.galley.server.it.SimulatedNode;
import dev.galley.server.it.TestServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver): a user signs in, cooks a recipe
 * from its form with one input and one override, watches the job run and its log arrive without reloading,
 * creates a key and sees its secret once, revokes it, signs out and finds every page closed. Screenshots of the
 * main pages go to target/screenshots (docs/console.md shows them).
 */
class ConsoleBrowserIT {
    static final Path SHOTS = Path.of("target", "screenshots");
    static GalleyServer server;
    static TestServer.Tenant alice;
    static WebDriver browser;
    static String base;

    @BeforeAll
    static void setUp() throws IOException {
        server = ConsoleServer.shared();
        // A consumer who also runs a node: the nodes and epochs pages (and their screenshots) show real content.
        alice = ConsoleServer.provider(server);
        base = ConsoleServer.base(server).toString();
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File("/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--disable-gpu", "--force-prefers-reduced-motion");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) browser.quit();
    }

    WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    static void shot(String name) throws IOException {
        File f = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aUserCooksWatchesTheRunLiveManagesKeysAndSignsOut() throws IOException {
        String recipe = ConsoleServer.recipe(alice, "Render a scene");
        browser.get(base + "/console/jobs");
        assertThat(browser.getCurrentUrl()).contains("/console/sign-in");
        shot("sign-in");

        // Sign in with the key pair.
        int colon = alice.keyPair().indexOf(':');
        browser.findElement(By.name("public_key")).sendKeys(alice.keyPair().substring(0, colon));
        browser.findElement(By.name("secret_key")).sendKeys(alice.keyPair().substring(colon + 1));
        browser.findElement(By.cssSelector("button[type=submit].primary")).click();
        waiting().until(ExpectedConditions.urlContains("/console/jobs"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Jobs");
        shot("jobs-empty");

        browser.get(base + "/console/recipes");
        assertThat(browser.findElement(By.cssSelector("[data-recipe='" + recipe + "'] .recipe-name")).getText()).isEqualTo("Render a scene");
        shot("recipes");

        // Cook from the form: one input and one override, with the live preview from the dry run.
        browser.findElement(By.cssSelector("[data-recipe='" + recipe + "'] a.primary")).click();
        waiting().until(ExpectedConditions.urlContains("/cook"));
        browser.findElement(By.name("inputs.scene")).sendKeys("harbour");
        browser.findElement(By.cssSelector("details.overrides summary")).click();
        browser.findElement(By.name("cpu_count")).sendKeys("3");
        waiting().until(ExpectedConditions.textToBe(By.id("preview-title"), "render harbour"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("preview"), "3 CPU"));
        shot("cook");
        browser.findElement(By.id("cook")).click();
        waiting().until(ExpectedConditions.urlMatches("/console/jobs/[0-9a-f-]{36}$"));
        String jobUuid = browser.getCurrentUrl().substring(browser.getCurrentUrl().lastIndexOf('/') + 1);
        JsonNode job = alice.ok("GET", "/v1/jobs/" + jobUuid, null, 200);
        assertThat(job.get("title").asText()).isEqualTo("render harbour");
        assertThat(job.get("cpu_count").asInt()).isEqualTo(3);
        assertThat(job.get("source_recipe_uuid").asText()).isEqualTo(recipe);
        marker();

        // A node takes the job; the job's page shows the run appear without a reload.
        SimulatedNode node = Nodes.register(server, alice, "browser-node");
        try {
            JsonNode assignment = Nodes.assignmentFor(node, jobUuid);
            String run = assignment.path("job_run").path("uuid").asText();
            node.reportOk(run, "{\"status\":\"PREPARING\"}");
            node.reportOk(run, "{\"status\":\"RUNNING\"}");
            node.log(run, "frame 1 of 2\n");
            waiting().until(ExpectedConditions.textToBe(By.cssSelector(".head [data-status]"), "RUNNING"));
            waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a[href='/console/job-runs/" + run + "']")));
            assertThat(markerSurvived()).as("the page was not reloaded").isTrue();
            shot("job");

            // The jobs list in one tab, the run's log in another: both follow the run live.
            browser.get(base + "/console/jobs");
            marker();
            String jobsTab = browser.getWindowHandle();
            browser.switchTo().newWindow(WindowType.TAB);
            browser.get(base + "/console/job-runs/" + run);
            marker();
            waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("logs"), "frame 1 of 2"));
            node.log(run, "frame 2 of 2 <b>done</b>\n");
            waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("logs"), "frame 2 of 2 <b>done</b>"));
            assertThat(browser.findElements(By.cssSelector("#logs b"))).as("log text stays text").isEmpty();
            node.reportOk(run, "{\"status\":\"COMPLETED\",\"exit_code\":0}");
            waiting().until(ExpectedConditions.textToBe(By.id("run-status"), "COMPLETED"));
            waiting().until(ExpectedConditions.textToBe(By.id("exit-code"), "0"));
            assertThat(markerSurvived()).isTrue();
            shot("run");
            browser.close();
            browser.switchTo().window(jobsTab);
            waiting().until(ExpectedConditions.textToBe(By.cssSelector("tr[data-job='" + jobUuid + "'] [data-status]"), "COMPLETED"));
            assertThat(markerSurvived()).as("the jobs page was not reloaded").isTrue();
            shot("jobs");

            // The node's load over the last hour (the server keeps a sample a minute): a sparkline on the nodes page.
            long now = System.currentTimeMillis();
            for (int i = 30; i >= 0; i--) {
                Nodes.sendLoad(node, now - i * 120_000L, Math.round(200 + 600 * Math.abs(Math.sin(i / 4.0))) / 10.0, 40 + i % 7 * 6);
            }
            browser.get(base + "/console/nodes");
            assertThat(browser.findElements(By.cssSelector("tr[data-node='" + node.uuid + "'] svg.spark polyline.cpu"))).hasSize(1);
            shot("nodes");
        } finally {
            node.fallSilent();
        }

        browser.get(base + "/console/epochs");
        assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Reward epochs");
        assertThat(browser.findElements(By.cssSelector("tr[data-epoch]"))).as("the current epoch").isNotEmpty();
        shot("epochs");
        browser.get(base + "/console/gpus");
        shot("gpus");
        browser.get(base + "/console/billing");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Billing");
        assertThat(browser.findElements(By.id("balance"))).as("the account's balance is shown").hasSize(1);
        shot("billing");

        // Create a key: its secret is shown once.
        browser.get(base + "/console/keys");
        browser.findElement(By.name("name")).sendKeys("render farm");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("expires_in_days"))).selectByValue("30");
        browser.findElement(By.name("allowed_ips")).sendKeys("10.0.0.0/8");
        browser.findElement(By.cssSelector("#create-key button[type=submit]")).click();
        String secret = waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("new-secret-key"))).getText();
        String publicKey = browser.findElement(By.id("new-public-key")).getText();
        assertThat(secret).startsWith("sk_");
        shot("keys-created");
        browser.get(base + "/console/keys");
        assertThat(browser.getPageSource()).doesNotContain(secret).contains(publicKey);

        // Revoke it.
        browser.findElement(By.cssSelector("button[data-revoke='" + publicKey + "']")).click();
        waiting().until(ExpectedConditions.textToBe(By.cssSelector("tr[data-key='" + publicKey + "'] .status"), "REVOKED"));
        shot("keys");
        JsonNode keys = alice.ok("GET", "/v1/api-keys?limit=50", null, 200);
        assertThat(keys.get("data")).anySatisfy(k -> {
            assertThat(k.get("public_key").asText()).isEqualTo(publicKey);
            assertThat(k.get("is_revoked").asBoolean()).isTrue();
            assertThat(k.get("allowed_ips").get(0).asText()).isEqualTo("10.0.0.0/8");
        });

        // A phone-width look at the jobs page.
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(base + "/console/jobs");
        shot("jobs-phone");
        browser.manage().window().setSize(new Dimension(1280, 900));

        // Sign out: every page is closed.
        browser.findElement(By.id("sign-out")).click();
        waiting().until(ExpectedConditions.urlContains("/console/sign-in"));
        for (String page : List.of("/console/jobs", "/console/jobs/" + jobUuid, "/console/recipes", "/console/recipes/" + recipe + "/cook",
                "/console/nodes", "/console/gpus", "/console/keys", "/console/billing", "/console/accounts")) {
            browser.get(base + page);
            assertThat(browser.getCurrentUrl()).as(page).contains("/console/sign-in");
        }
    }

    /** Marks the current document; a reload would lose the mark. */
    static void marker() {
        ((JavascriptExecutor) browser).executeScript("window.__galleyMarker = 42;");
    }

    static boolean markerSurvived() {
        return Long.valueOf(42).equals(((JavascriptExecutor) browser).executeScript("return window.__galleyMarker;"));
    }
}
