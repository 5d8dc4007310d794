package dev.galley.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.server.auth.NonceRepository;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A nonce claimed on its own commits without waiting for the disk (NonceRepository.claim); that relaxation must
 * stay inside the claim: a caller's transaction and the pooled session keep synchronous commit, and a used nonce is
 * refused as before.
 */
class NonceClaimIT {
    private final NonceRepository nonces = new NonceRepository();

    private static Jdbi db() {
        TestServer.server(); // the schema
        return Jdbi.create(TestDatabase.jdbcUrl());
    }

    @Test
    void aClaimOnItsOwnIsOnceOnlyAndLeavesTheSessionSynchronous() {
        String key = "pk_nonceclaim" + TestServer.randomHex(8);
        db().useHandle(h -> {
            h.execute("SET synchronous_commit = on"); // as galley server runs it (the test database is throwaway)
            assertThat(nonces.claim(h, key, "n1")).isTrue();
            assertThat(nonces.claim(h, key, "n1")).as("a used nonce").isFalse();
            assertThat(h.createQuery("SHOW synchronous_commit").mapTo(String.class).one())
                    .as("the relaxation ended with the claim's own transaction").isEqualTo("on");
        });
    }

    @Test
    void aClaimInsideATransactionDoesNotRelaxThatTransaction() {
        String key = "pk_nonceclaim" + TestServer.randomHex(8);
        String setting = db().withHandle(handle -> {
            handle.execute("SET synchronous_commit = on"); // as galley server runs it (the test database is throwaway)
            return handle.inTransaction(h -> {
                assertThat(nonces.claim(h, key, "n1")).isTrue();
                return h.createQuery("SHOW synchronous_commit").mapTo(String.class).one();
            });
        });
        assertThat(setting).isEqualTo("on");
    }
}
