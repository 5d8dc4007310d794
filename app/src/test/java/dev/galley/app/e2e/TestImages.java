package dev.galley.app.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds the end-to-end test image locally from the static busybox (no registry is reachable here).
 * Its behaviour is chosen by env: prints "hello $WHO", then serves HTTP on 8080 ($HTTPD), sleeps ($SLEEP)
 * and exits with $EXIT_CODE.
 */
final class TestImages {
    static final String IMAGE = "localhost/galley-e2e/busybox";
    static final String TAG = "1";

    private TestImages() {}

    static synchronized void build() throws IOException, InterruptedException {
        if (run(List.of("podman", "image", "exists", IMAGE + ":" + TAG)) == 0) return;
        Path dir = Files.createTempDirectory("galley-e2e-image");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String applet : List.of("sh", "echo", "sleep", "cat", "env", "httpd")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/index.html"), "galley e2e says hi\n");
        Files.writeString(dir.resolve("Containerfile"), """
                FROM scratch
                COPY bin /bin
                COPY www /www
                CMD ["/bin/sh", "-c", "echo \\"hello $WHO from node $GALLEY_NODE_INDEX of $GALLEY_NODE_COUNT\\"; if [ -n \\"$HTTPD\\" ]; then exec httpd -f -p 8080 -h /www; fi; sleep ${SLEEP:-0}; echo bye; exit ${EXIT_CODE:-0}"]
                """);
        int code = run(List.of("podman", "build", "-t", IMAGE + ":" + TAG, dir.toString()));
        if (code != 0) throw new IllegalStateException("podman build failed with exit code " + code + " (is podman set up? run scripts/setup-containers.sh)");
    }

    static int run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    static String output(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(1, TimeUnit.MINUTES);
        return out;
    }
}
