package dev.galley.server.extension;

import io.javalin.config.RoutesConfig;

/**
 * A part of {@code galley server} that is not the API and lives in a module of its own (the web console): the
 * server calls it once while it builds its routes, so the server module need not know it. The {@code app} module,
 * which builds the executable, passes the extensions in.
 */
@FunctionalInterface
public interface ServerExtension {
    void register(RoutesConfig routes, ExtensionContext context);
}
