package dev.galley.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command may touch outside itself: the environment, the standard streams and whether standard output
 * is a terminal. Commands take it in their constructor so tests run them in-process with their own environment
 * and captured output.
 *
 * @param terminal whether output goes to a terminal: decides live status lines versus plain lines
 */
public record CliContext(Map<String, String> env, PrintStream out, PrintStream err, InputStream in, boolean terminal) {
    public CliContext {
        env = Map.copyOf(env);
    }

    /** The process's real environment and streams. */
    public static CliContext system() {
        return new CliContext(System.getenv(), System.out, System.err, System.in, stdoutIsTerminal());
    }

    /**
     * {@code $XDG_CONFIG_HOME/galley/config.json}, else {@code ~/.config/galley/config.json} (XDG Base
     * Directory spec), with the home directory from {@code HOME} so tests can point it elsewhere.
     */
    public Path configFile() {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base;
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            base = Path.of(xdg);
        } else {
            String home = env.getOrDefault("HOME", System.getProperty("user.home"));
            base = Path.of(home, ".config");
        }
        return base.resolve("galley").resolve("config.json");
    }

    /**
     * Since JDK 22 {@code System.console()} exists even when output is redirected and {@code Console.isTerminal()}
     * tells the two apart; on JDK 21 (the compile target) a console exists only for a terminal. Reflection
     * lets the same jar ask the better question where it can.
     */
    private static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return true;
        }
    }
}
