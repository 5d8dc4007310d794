package dev.galley.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.node.runtime.CliContainerRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The busybox test images the podman tests run. The base one comes from {@code scripts/setup-containers.sh};
 * a job spec has no command field, so each behaviour is an image of its own on top of it, built here
 * when missing.
 */
final class PodmanTestImages {
    static final String BUSYBOX = "localhost/galley-test/busybox:1";
    /** Serves /bin over HTTP on port 8080. */
    static final String HTTPD = "localhost/galley-test/busybox-httpd:1";
    /** Sleeps for ten minutes: a run to look at (and probe from) while it runs. */
    static final String SLEEPER = "localhost/galley-test/busybox-sleep:1";

    private PodmanTestImages() {}

    /** Fails (never skips) when podman or the base image is missing. */
    static void ensure(CliContainerRuntime podman, Path buildDir) throws IOException, InterruptedException {
        assertThat(podman.imagePresent(BUSYBOX)).as(BUSYBOX + " must exist; run scripts/setup-containers.sh").isTrue();
        build(podman, buildDir.resolve("httpd"), HTTPD, "[\"/bin/busybox\", \"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/bin\"]");
        build(podman, buildDir.resolve("sleep"), SLEEPER, "[\"/bin/busybox\", \"sleep\", \"600\"]");
    }

    private static void build(CliContainerRuntime podman, Path context, String image, String cmd) throws IOException, InterruptedException {
        if (podman.imagePresent(image)) return;
        Files.createDirectories(context);
        Files.writeString(context.resolve("Containerfile"), "FROM " + BUSYBOX + "\nCMD " + cmd + "\n");
        CliOutput build = podmanCli(podman, "build", "-q", "-t", image, context.toString());
        assertThat(build.exitCode()).as("podman build " + image + ": " + build.output()).isZero();
    }

    /** What one podman command printed (stdout and stderr together) and its exit code. */
    record CliOutput(int exitCode, String output) {}

    /** Runs the podman CLI directly, for what the test inspects or probes beside the agent. */
    static CliOutput podmanCli(CliContainerRuntime podman, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(podman.executable().toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
        return new CliOutput(process.exitValue(), output);
    }
}
