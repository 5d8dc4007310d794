package dev.galley.node.hardware;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the machine's {@code nvidia-smi} with one query and a time limit. A driver that hangs must not hang the
 * agent: past the limit the process is killed and the answer says so.
 */
final class NvidiaSmi {
    private final Path executable;

    NvidiaSmi(Path executable) {
        this.executable = Objects.requireNonNull(executable, "executable");
    }

    /** What nvidia-smi printed (stdout and stderr together) when it exited 0, else why there is no output. */
    record Answer(String output, String problem) {
        boolean ok() {
            return problem == null;
        }
    }

    Path executable() {
        return executable;
    }

    Answer query(List<String> args, Duration timeout) throws InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            return new Answer(null, "cannot run " + executable + ": " + e.getMessage());
        }
        try {
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()),
                    runnable -> Thread.ofVirtual().start(runnable));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new Answer(null, executable + " did not answer within " + timeout.toSeconds() + " s");
            }
            String text = output.join();
            if (process.exitValue() != 0) {
                return new Answer(null, executable + " exited with " + process.exitValue() + ": " + text.strip());
            }
            return new Answer(text, null);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            var out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
