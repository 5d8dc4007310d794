package dev.galley.app.cli;

import dev.galley.app.Main;
import dev.galley.cli.CliContext;
import dev.galley.cli.CliFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * Runs {@code galley …} in-process through the real root command ({@link Main}), with its own environment and
 * captured output: {@link CliFactory} hands every command the test's {@link CliContext}.
 */
final class CliRunner {
    record Result(int exitCode, String out, String err) {}

    final Map<String, String> env = new HashMap<>();
    boolean terminal;
    byte[] stdin = new byte[0];

    Result run(String... args) {
        return execute(new ByteArrayOutputStream(), args);
    }

    /** A command running on a thread of its own; {@link #outSoFar()} is what it printed up to now. */
    record Running(ByteArrayOutputStream out, CompletableFuture<Result> result) {
        String outSoFar() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    Running start(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return new Running(out, CompletableFuture.supplyAsync(() -> execute(out, args), Thread.ofVirtual()::start));
    }

    private Result execute(ByteArrayOutputStream out, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CliContext ctx = new CliContext(env, o, e, new ByteArrayInputStream(stdin), terminal);
        CommandLine cli = Main.commandLine(new CliFactory(ctx));
        cli.setOut(new PrintWriter(o, true));
        cli.setErr(new PrintWriter(e, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
