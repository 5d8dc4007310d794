package dev.galley.server.keys;

import dev.galley.server.accounts.AccountRepository;
import dev.galley.server.accounts.AccountRow;
import dev.galley.server.auth.ApiKeyRepository;
import dev.galley.server.auth.ApiKeyRow;
import dev.galley.server.config.ConfigException;
import dev.galley.server.crypto.SecretBox;
import dev.galley.server.db.Transactions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * GALLEY_BOOTSTRAP_KEY=pk_…:sk_…: make sure an account "operator" holds that key with permission "*".
 * Idempotent: a restart with the same key changes nothing; also safe when two replicas start at once.
 */
public final class Bootstrap {
    public static final String OPERATOR_ACCOUNT = "operator";

    private Bootstrap() {}

    public static void ensureOperatorKey(Transactions tx, String pair, SecretBox secrets, AccountRepository accounts, ApiKeyRepository keys) {
        int colon = pair.indexOf(':');
        if (colon < 0) throw new ConfigException("GALLEY_BOOTSTRAP_KEY must look like pk_…:sk_…");
        String pk = pair.substring(0, colon).trim();
        String sk = pair.substring(colon + 1).trim();
        if (!pk.matches("pk_[A-Za-z0-9_]{8,128}") || !sk.matches("sk_[A-Za-z0-9_]{16,256}")) {
            throw new ConfigException("GALLEY_BOOTSTRAP_KEY must look like pk_…:sk_… (letters, digits, _; secret at least 16 characters)");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        tx.useTransaction(h -> {
            keys.lockForBootstrap(h);
            accounts.insert(h, AccountRow.created(UUID.randomUUID(), OPERATOR_ACCOUNT, now));
            AccountRow operator = accounts.byName(h, OPERATOR_ACCOUNT).orElseThrow();
            var existing = keys.byPublicKey(h, pk);
            if (existing.isPresent()) {
                var k = existing.get();
                if (!k.accountUuid().equals(operator.uuid()) || !secrets.decrypt(k.secretCiphertext()).equals(sk)) {
                    throw new ConfigException("GALLEY_BOOTSTRAP_KEY's public key already exists with another secret or account");
                }
                keys.restoreAsOperatorKey(h, k.uuid());
                return;
            }
            keys.insert(h, new ApiKeyRow(UUID.randomUUID(), operator.uuid(), "bootstrap operator key", pk,
                    secrets.encrypt(sk), List.of("*"), List.of(), null, false, now, now, null, null)); // no parent
        });
    }
}
