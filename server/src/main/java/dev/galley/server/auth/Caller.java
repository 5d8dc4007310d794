package dev.galley.server.auth;

import dev.galley.core.auth.Permission;
import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.auth.PermissionSet;
import dev.galley.core.auth.Scope;
import dev.galley.server.http.ApiException;
import java.util.UUID;

/**
 * Who is calling: the authenticated key, its account and what it may do. {@code pendingNonce} is set when the
 * route claims the request's nonce itself, inside its own write transaction (create and cook: see {@code JobGroupCommit}).
 */
public record Caller(UUID keyUuid, String publicKey, UUID accountUuid, PermissionSet permissions, String pendingNonce) {

    /** True when the key may do {@code action} on its own account's {@code resource}. */
    public boolean can(Resource resource, Action action) {
        return permissions.allows(resource, action, Scope.OWN);
    }

    /** True when the key may do {@code action} on {@code resource} of every account. */
    public boolean canAll(Resource resource, Action action) {
        return permissions.allows(resource, action, Scope.ALL);
    }

    /** Throws 403 unless the key holds {@code resource.action.own} (or broader). */
    public void require(Resource resource, Action action) {
        if (!can(resource, action)) throw lacks(new Permission(resource, action, Scope.OWN));
    }

    public void requireAll(Resource resource, Action action) {
        if (!canAll(resource, action)) throw lacks(new Permission(resource, action, Scope.ALL));
    }

    /** The 403 of a key without {@code permission}. */
    public static ApiException lacks(Permission permission) {
        return ApiException.forbidden("this API key lacks the permission " + permission);
    }

    /** May the caller see/act on a row owned by {@code ownerAccount}? */
    public boolean owns(UUID ownerAccount) {
        return accountUuid.equals(ownerAccount);
    }
}
