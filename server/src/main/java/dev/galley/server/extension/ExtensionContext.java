package dev.galley.server.extension;

import dev.galley.server.crypto.SecretBox;
import dev.galley.server.db.Transactions;
import java.net.URI;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What the server lends an extension: the database (for the extension's own tables, through its own
 * repositories), the secret box under the master key, the clock, and the URL of this replica's own API (known
 * once it has started), so an extension can call the documented API of its own replica over loopback.
 */
public record ExtensionContext(Transactions tx, SecretBox box, Clock clock, Supplier<URI> selfUrl) {}
