package dev.galley.server.ledger;

import dev.galley.core.list.ListQuery;
import dev.galley.server.db.ListSql;
import dev.galley.server.db.Transactions;
import dev.galley.server.http.ApiException;
import dev.galley.server.http.Json;
import dev.galley.server.idempotency.Idempotency;
import dev.galley.server.idempotency.IdempotencyRepository;
import dev.galley.server.idempotency.IdempotentResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** The ledger as the API shows it (spec §9): lists, balances, and operators' grants and adjustments. */
public final class LedgerService {
    private final Transactions tx;
    private final LedgerRepository repository;
    private final Ledger ledger;
    private final IdempotencyRepository idempotency;
    private final Runnable creditChanged;
    private final Clock clock;

    /** @param creditChanged called after a grant or adjustment commits (jobs waiting for credit may be placeable now) */
    public LedgerService(Transactions tx, LedgerRepository repository, Ledger ledger, IdempotencyRepository idempotency,
                         Runnable creditChanged, Clock clock) {
        this.tx = tx;
        this.repository = repository;
        this.ledger = ledger;
        this.idempotency = idempotency;
        this.creditChanged = creditChanged;
        this.clock = clock;
    }

    /** @param accountOrNull the account whose transactions to list; null for every account's */
    public ListSql.Page<LedgerRow> list(UUID accountOrNull, ListQuery q) {
        return tx.withHandle(h -> repository.list(h, accountOrNull, q));
    }

    public Optional<AccountBalance> balance(UUID account) {
        return tx.withHandle(h -> repository.balance(h, account));
    }

    /**
     * Posts an operator's entry. With an {@code Idempotency-Key} ({@code key}, hashed request {@code hash}), a repeat of
     * the same request answers the first answer and posts nothing; the same key with another request is a 409 (the
     * mechanism and table of job creation, same 24 h). Concurrent twins: the key is claimed in the posting
     * transaction, so of two twins one commits and the other rolls back and replays the first one's answer.
     */
    public IdempotentResponse post(UUID callerAccount, String key, String hash, Ledger.Entry entry) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant expired = now.minus(Idempotency.WINDOW);
        IdempotentResponse answer;
        try {
            answer = tx.inTransaction(h -> {
                if (key != null) {
                    var first = replay(h, callerAccount, key, hash, expired);
                    if (first.isPresent()) return first.get();
                }
                List<LedgerRow> rows;
                try {
                    rows = ledger.post(h, List.of(entry), now);
                } catch (Ledger.UnknownAccount e) {
                    throw ApiException.badRequest("account_uuid", "names no account");
                }
                byte[] response = Json.bytes(LedgerView.of(rows.getFirst()));
                if (key != null && idempotency.claimAll(h, new UUID[] {callerAccount}, new String[] {key}, new String[] {hash},
                        201, new byte[][] {response}, now, expired).isEmpty()) {
                    throw new KeyTaken(); // a twin committed first: roll this one back and answer as it did
                }
                return new IdempotentResponse(201, response);
            });
        } catch (KeyTaken taken) {
            return tx.withHandle(h -> replay(h, callerAccount, key, hash, expired))
                    .orElseThrow(() -> ApiException.conflict("Idempotency-Key '" + key + "' is in use by a concurrent request; retry"));
        }
        creditChanged.run();
        return answer;
    }

    private Optional<IdempotentResponse> replay(Handle h, UUID account, String key, String hash, Instant expired) {
        return Idempotency.replay(idempotency, h, account, key, hash, expired);
    }

    /** Thrown inside the posting transaction to roll it back when a concurrent twin holds the key. */
    private static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super(null, null, false, false);
        }
    }

    public String currency() {
        return ledger.currency();
    }
}
