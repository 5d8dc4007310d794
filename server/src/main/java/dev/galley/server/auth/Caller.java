package dev.galley.server.auth;

import dev.galley.core.auth.PermissionSet;
import dev.galley.core.auth.Scope;
import dev.galley.server.http.ApiException;
import java.util.UUID;

/**
 * Who is calling: the authenticated key, its account and what it may do. {@code pendingNonce} is set when the
 * route claims the request's nonce itself, inside its own write transaction (see {@link NonceClaim}).
 */
public record Caller(UUID keyUuid, String publicKey, UUID accountUuid, PermissionSet permissions, String pendingNonce) {

    /** True when the key may do {@code action} on its own account's {@code resource}. */
    public boolean can(String resource, String action) {
        return permissions.allows(resource, action, Scope.OWN);
    }

    /** True when the key may do {@code action} on {@code resource} of every account. */
    public boolean canAll(String resource, String action) {
        return permissions.allows(resource, action, Scope.ALL);
    }

    /** Throws 403 unless the key holds {@code resource.action.own} (or broader). */
    public void require(String resource, String action) {
        if (!can(resource, action)) {
            throw ApiException.forbidden("this API key lacks the permission " + resource + "." + action + ".own");
        }
    }

    public void requireAll(String resource, String action) {
        if (!canAll(resource, action)) {
            throw ApiException.forbidden("this API key lacks the permission " + resource + "." + action + ".all");
        }
    }

    /** May the caller see/act on a row owned by {@code ownerAccount}? */
    public boolean owns(UUID ownerAccount) {
        return accountUuid.equals(ownerAccount);
    }
}
