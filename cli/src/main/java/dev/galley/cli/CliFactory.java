package dev.galley.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Creates command objects for picocli, handing each command that wants one the {@link CliContext} (a constructor
 * taking it), so subcommands declared by class still run against the test's environment and streams. Classes
 * without such a constructor are made by picocli's default factory.
 *
 * <pre>{@code new CommandLine(new Root(), new CliFactory(CliContext.system()))}</pre>
 */
public final class CliFactory implements CommandLine.IFactory {
    private final CliContext context;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    public CliFactory(CliContext context) {
        this.context = context;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        try {
            Constructor<K> constructor = cls.getDeclaredConstructor(CliContext.class);
            constructor.setAccessible(true);
            return constructor.newInstance(context);
        } catch (NoSuchMethodException noContextConstructor) {
            return fallback.create(cls);
        }
    }
}
