package dev.galley.core.auth;

import static dev.galley.core.spec.SpecFixtures.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.core.error.FieldError;
import dev.galley.core.net.IpRange;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §8: a key minted by a key never out-reaches it. */
class KeyLimitsTest {
    private static final Instant NOON = Instant.parse("2027-01-01T12:00:00Z");

    private static List<IpRange> ips(String... texts) {
        return Arrays.stream(texts).map(IpRange::parse).toList();
    }

    @Test
    void an_unlimited_parent_grants_what_is_asked() {
        var child = KeyLimits.UNLIMITED.mint(NOON, ips("10.0.0.0/8"));
        assertThat(child).isEqualTo(new KeyLimits(NOON, ips("10.0.0.0/8")));
        assertThat(KeyLimits.UNLIMITED.mint(null, null)).isEqualTo(KeyLimits.UNLIMITED);
    }

    @Test
    void asking_for_nothing_inherits_the_parents_limits() {
        var parent = new KeyLimits(NOON, ips("10.0.0.0/8", "2001:db8::/32"));
        assertThat(parent.mint(null, null)).isEqualTo(parent);
        assertThat(parent.mint(null, List.of())).as("[] is 'no restriction asked', not 'anywhere'").isEqualTo(parent);
    }

    @Test
    void an_earlier_expiry_and_a_narrower_range_are_granted() {
        var parent = new KeyLimits(NOON, ips("10.0.0.0/8", "2001:db8::/32"));
        var child = parent.mint(NOON.minusSeconds(60), ips("10.1.2.3", "2001:db8:1::/48"));
        assertThat(child).isEqualTo(new KeyLimits(NOON.minusSeconds(60), ips("10.1.2.3", "2001:db8:1::/48")));
        assertThat(parent.mint(NOON, null).expiresAt()).as("the same instant is not later").isEqualTo(NOON);
    }

    @Test
    void a_later_expiry_than_the_parents_is_refused_naming_expires_at() {
        var parent = new KeyLimits(NOON, List.of());
        assertThat(errorsOf(() -> parent.mint(NOON.plusMillis(1), null))).extracting(FieldError::field).containsExactly("expires_at");
    }

    @Test
    void a_never_expiring_parent_allows_any_expiry_and_an_expiring_one_never_none() {
        assertThat(KeyLimits.UNLIMITED.mint(NOON.plusSeconds(86_400 * 3650L), null).expiresAt()).isEqualTo(NOON.plusSeconds(86_400 * 3650L));
        assertThat(new KeyLimits(NOON, List.of()).mint(null, null).expiresAt()).isEqualTo(NOON);
    }

    @Test
    void a_range_outside_the_parents_is_refused_naming_its_index() {
        var parent = new KeyLimits(null, ips("10.0.0.0/8", "2001:db8::/32"));
        var errors = errorsOf(() -> parent.mint(null, ips("10.1.0.0/16", "0.0.0.0/0", "2001:db9::1", "11.0.0.1")));
        assertThat(errors).extracting(FieldError::field).containsExactly("allowed_ips[1]", "allowed_ips[2]", "allowed_ips[3]");
        assertThat(errors.get(0).message()).contains("10.0.0.0/8, 2001:db8::/32");
    }

    @Test
    void a_range_covered_by_several_parent_ranges_together_is_granted() {
        var parent = new KeyLimits(null, ips("10.0.0.0/9", "10.128.0.0/9"));
        assertThat(parent.mint(null, ips("10.0.0.0/8")).allowedIps()).containsExactly(IpRange.parse("10.0.0.0/8"));
    }

    @Test
    void every_problem_is_reported_at_once() {
        var parent = new KeyLimits(NOON, ips("192.0.2.0/24"));
        assertThat(errorsOf(() -> parent.mint(NOON.plusSeconds(1), ips("198.51.100.0/24"))))
                .extracting(FieldError::field).containsExactly("expires_at", "allowed_ips[0]");
    }
}
