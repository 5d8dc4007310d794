package dev.galley.node.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one CLI command as an argument list (never through a shell, so image names, env names or
 * labels cannot inject anything), with extra environment, optional stdin, and a time limit. stdout and
 * stderr are drained on virtual threads so a chatty command cannot block on a full pipe.
 */
final class CommandRunner {
    /**
     * How long to wait for the output pipes to close after the command exited. A helper the CLI forks
     * (podman's conmon, say) could inherit them; its output is not ours to wait for.
     */
    private static final long PIPE_GRACE_MILLIS = 5_000;

    private CommandRunner() {}

    /**
     * @param timeoutOrNull null waits as long as it takes (for {@code wait}); interrupting the calling
     *                      thread kills the command either way
     */
    static CommandResult run(List<String> command, Map<String, String> extraEnv, byte[] stdinOrNull, Duration timeoutOrNull) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(extraEnv);
        if (stdinOrNull == null) builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new ContainerRuntimeException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        Drain stdout = new Drain(process.getInputStream());
        Drain stderr = new Drain(process.getErrorStream());
        try {
            if (stdinOrNull != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdinOrNull);
                } catch (IOException e) {
                    // The command exited before reading its input; its exit code and stderr will say why.
                }
            }
            boolean ended;
            if (timeoutOrNull == null) {
                process.waitFor();
                ended = true;
            } else {
                ended = process.waitFor(timeoutOrNull.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (!ended) {
                process.destroyForcibly();
                throw new ContainerRuntimeException(String.join(" ", command) + " did not finish within " + timeoutOrNull
                        + (stderr.text().isBlank() ? "" : ": " + stderr.text().strip()));
            }
            return new CommandResult(command, process.exitValue(), stdout.awaitText(), stderr.awaitText());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ContainerRuntimeException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Copies one output pipe into memory on a virtual thread. */
    private static final class Drain {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CountDownLatch done = new CountDownLatch(1);

        Drain(InputStream stream) {
            Thread.ofVirtual().name("cli-output").start(() -> {
                try (stream) {
                    byte[] chunk = new byte[8192];
                    int n;
                    while ((n = stream.read(chunk)) >= 0) {
                        synchronized (buffer) {
                            buffer.write(chunk, 0, n);
                        }
                    }
                } catch (IOException e) {
                    // Pipe closed under us (process killed); keep what was read.
                } finally {
                    done.countDown();
                }
            });
        }

        String awaitText() throws InterruptedException {
            done.await(PIPE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            return text();
        }

        String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
