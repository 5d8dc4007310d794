package dev.galley.server.auth;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Claims a request's nonce for routes that write in a transaction of their own (create and cook): the claim
 * then commits with the job instead of in a separate transaction, one commit per request instead of two. A
 * request that fails before its transaction claims the nonce on its own, so a reused nonce is refused either
 * way.
 */
public final class NonceClaim {
    private final NonceRepository nonces;

    public NonceClaim(NonceRepository nonces) {
        this.nonces = nonces;
    }

    /** Inside the caller's transaction: 401 (and the transaction rolls back) when the nonce was used already. */
    public void claim(Handle h, Caller caller) {
        if (caller.pendingNonce() == null) return;
        if (!nonces.claim(h, caller.publicKey(), caller.pendingNonce())) throw Authenticator.reusedNonce(caller.pendingNonce());
    }

    /**
     * After a failure before the transaction: the nonce still counts as used, and a resent request whose nonce
     * was used already gets the 401 a reused nonce always gets, whatever else is wrong with it.
     */
    public void claimAlone(Jdbi jdbi, Caller caller) {
        if (caller.pendingNonce() == null) return;
        boolean fresh = jdbi.withHandle(h -> nonces.claim(h, caller.publicKey(), caller.pendingNonce()));
        if (!fresh) throw Authenticator.reusedNonce(caller.pendingNonce());
    }
}
