package dev.galley.node.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * A stand-in docker/podman executable (a shell script) that records its arguments, the environment
 * variables given to it, and any credentials file it was pointed at, then answers like the real CLI.
 * It lets unit tests check exactly what the adapter puts in argv without a container engine.
 */
final class FakeCli {
    final Path dir;
    final Path executable;

    FakeCli(Path dir, String runStdout, int exitCode, String stderr) throws IOException {
        this.dir = dir;
        this.executable = dir.resolve("fakecli");
        String script = """
                #!/bin/sh
                printf '%s\\n' "$@" > "$(dirname "$0")/args"
                env > "$(dirname "$0")/env"
                prev=""
                for a in "$@"; do
                  if [ "$prev" = "--authfile" ]; then cat "$a" > "$(dirname "$0")/auth"; fi
                  if [ "$prev" = "--config" ]; then cat "$a/config.json" > "$(dirname "$0")/auth"; echo "$a" > "$(dirname "$0")/authdir"; fi
                  prev="$a"
                done
                printf 'STDOUT'
                printf 'STDERR' >&2
                exit EXIT
                """
                .replace("STDOUT", runStdout.replace("'", ""))
                .replace("STDERR", stderr.replace("'", ""))
                .replace("EXIT", Integer.toString(exitCode));
        Files.writeString(executable, script);
        Files.setPosixFilePermissions(executable, PosixFilePermissions.fromString("rwx------"));
    }

    CliContainerRuntime runtime(CliFlavor flavor) {
        return new CliContainerRuntime(executable, flavor, "fake 1.0", Duration.ofSeconds(20), Duration.ofSeconds(20));
    }

    List<String> args() throws IOException {
        return Files.readAllLines(dir.resolve("args"));
    }

    String env() throws IOException {
        return Files.readString(dir.resolve("env"));
    }

    String auth() throws IOException {
        return Files.readString(dir.resolve("auth"));
    }

    Path authDir() throws IOException {
        return Path.of(Files.readString(dir.resolve("authdir")).strip());
    }
}
