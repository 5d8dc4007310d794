package dev.galley.core.auth;

import dev.galley.core.error.FieldErrors;
import dev.galley.core.net.IpRange;
import dev.galley.core.net.IpRanges;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How far an API key reaches: until when it works ({@code expiresAt}, null = never) and where requests may come
 * from ({@code allowedIps}, empty = anywhere). Spec §8: a key minted by a key never out-reaches the key that made it.
 *
 * <p>Decisions (docs/authentication.md): asking for a later expiry than the parent's, or for an address range the
 * parent's {@code allowed_ips} do not cover, is a 400 naming the field rather than a silent clamp, so nobody plans
 * on a key that will stop working earlier than they asked. Asking for nothing ({@code expires_at} absent or null,
 * {@code allowed_ips} absent, null or {@code []}) inherits the parent's limits.
 */
public record KeyLimits(Instant expiresAt, List<IpRange> allowedIps) {
    public static final KeyLimits UNLIMITED = new KeyLimits(null, List.of());

    public KeyLimits {
        allowedIps = List.copyOf(allowedIps);
    }

    /**
     * The limits of a key this key mints, given what the request asked for ({@code null} = not given). Errors are
     * thrown together as a {@link dev.galley.core.error.ValidationException} naming {@code expires_at} and
     * {@code allowed_ips[i]}.
     */
    public KeyLimits mint(Instant requestedExpiresAt, List<IpRange> requestedIps) {
        var errors = new FieldErrors();
        Instant expires = requestedExpiresAt == null ? expiresAt : requestedExpiresAt;
        if (requestedExpiresAt != null && expiresAt != null && requestedExpiresAt.isAfter(expiresAt)) {
            errors.add("expires_at", "must not be later than " + expiresAt + ", when the key creating it expires"
                    + " (a key cannot outlive the key that made it; leave expires_at out to inherit it)");
        }
        List<IpRange> ips = requestedIps == null || requestedIps.isEmpty() ? allowedIps : requestedIps;
        if (!allowedIps.isEmpty() && requestedIps != null) {
            for (int i = 0; i < requestedIps.size(); i++) {
                if (!IpRanges.covers(allowedIps, requestedIps.get(i))) {
                    errors.add("allowed_ips[" + i + "]", "is not within the allowed_ips of the key creating it ("
                            + allowedIps.stream().map(IpRange::toString).collect(Collectors.joining(", "))
                            + "; a key cannot reach further than the key that made it)");
                }
            }
        }
        errors.throwIfAny();
        return new KeyLimits(expires, ips);
    }
}
