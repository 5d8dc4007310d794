package dev.galley.server.extension;

import dev.galley.server.crypto.SecretBox;
import dev.galley.server.db.Transactions;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the server lends an extension: the database (for the extension's own tables, through its own
 * repositories), the secret box under the master key, the clock, and the URL of this replica's own API (known
 * once it has started), so an extension can call the documented API of its own replica over loopback.
 * {@code markHandled} tells the server that a request was answered by the extension, so a 404 page it wrote is
 * not replaced by the API's JSON "no such endpoint".
 */
public record ExtensionContext(Transactions tx, SecretBox box, Clock clock, Supplier<URI> selfUrl, Consumer<Context> markHandled) {}
