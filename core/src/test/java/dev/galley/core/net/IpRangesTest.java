package dev.galley.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpRangesTest {
    private static List<IpRange> ranges(String... texts) {
        return Arrays.stream(texts).map(IpRange::parse).toList();
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
            "10.0.0.0/8, 10.1.0.0/16, true",
            "10.1.0.0/16, 10.0.0.0/8, false",
            "10.0.0.0/8, 10.0.0.0/8, true",
            "10.0.0.0/8, 11.0.0.1, false",
            "0.0.0.0/0, 203.0.113.7, true",
            "2001:db8::/32, 2001:db8:1::/48, true",
            "2001:db8:1::/48, 2001:db8::/32, false",
            "2001:db8::/32, 2001:db9::1, false",
            "::/0, 10.0.0.0/8, true",
            "::ffff:10.0.0.0/104, 10.1.2.3, true",
            "10.0.0.0/8, ::ffff:10.1.0.0/112, true",
            "0.0.0.0/0, 2001:db8::1, false",
            "10.0.0.0/8, ::a00:1, false"})
    void a_range_contains_the_ranges_inside_it_across_the_ipv4_mapped_space(String outer, String inner, boolean expected) {
        assertThat(IpRange.parse(outer).containsRange(IpRange.parse(inner))).isEqualTo(expected);
    }

    @Test
    void intersection_of_nested_ranges_is_the_smaller_one() {
        assertThat(IpRanges.intersection(ranges("10.0.0.0/8"), ranges("10.1.0.0/16", "192.168.0.0/16")))
                .containsExactly(IpRange.parse("10.1.0.0/16"));
        assertThat(IpRanges.intersection(ranges("10.1.0.0/16", "192.168.1.0/24"), ranges("10.0.0.0/8", "192.168.0.0/16")))
                .containsExactly(IpRange.parse("10.1.0.0/16"), IpRange.parse("192.168.1.0/24"));
    }

    @Test
    void intersection_of_disjoint_sets_is_empty_and_of_anything_with_nothing_too() {
        assertThat(IpRanges.intersection(ranges("10.0.0.0/8"), ranges("11.0.0.0/8", "2001:db8::/32"))).isEmpty();
        assertThat(IpRanges.intersection(ranges("10.0.0.0/8"), List.of())).isEmpty();
        assertThat(IpRanges.intersection(List.of(), ranges("::/0"))).isEmpty();
    }

    @Test
    void intersection_works_for_ipv6_and_for_ipv4_inside_ipv6() {
        assertThat(IpRanges.intersection(ranges("2001:db8::/32"), ranges("2001:db8:ab::/48", "2001:db9::/32")))
                .containsExactly(IpRange.parse("2001:db8:ab::/48"));
        assertThat(IpRanges.intersection(ranges("::/0"), ranges("203.0.113.0/24"))).containsExactly(IpRange.parse("203.0.113.0/24"));
    }

    @Test
    void intersection_has_no_duplicates_and_no_range_inside_another() {
        assertThat(IpRanges.intersection(ranges("10.0.0.0/8", "10.0.0.0/16"), ranges("10.0.0.0/8", "10.0.0.0/24")))
                .containsExactly(IpRange.parse("10.0.0.0/8"));
        assertThat(IpRanges.withoutNested(ranges("10.0.0.5", "10.0.0.0/24", "10.0.0.0/24", "::ffff:10.0.0.0/120")))
                .containsExactly(IpRange.parse("10.0.0.0/24"));
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "10.0.0.0/8, 10.1.0.0/16, true",
            "10.1.0.0/16, 10.0.0.0/8, false",
            "10.0.0.0/9 10.128.0.0/9, 10.0.0.0/8, true",
            "10.0.0.0/9 10.128.0.0/10, 10.0.0.0/8, false",
            "203.0.113.7, 203.0.113.7, true",
            "203.0.113.7, 203.0.113.8, false",
            "2001:db8::/33 2001:db8:8000::/33, 2001:db8::/32, true",
            "2001:db8::/33, 2001:db8::/32, false",
            "10.0.0.0/8 10.0.0.0/9, 10.0.0.0/8, true",
            "10.0.0.0/8, 2001:db8::1, false",
            "::/0, 192.0.2.1, true"})
    void a_set_covers_a_range_when_every_address_is_in_one_of_its_ranges(String set, String range, boolean expected) {
        assertThat(IpRanges.covers(ranges(set.split(" ")), IpRange.parse(range))).isEqualTo(expected);
    }

    @Test
    void sizes_count_addresses() {
        assertThat(IpRange.parse("10.0.0.0/8").size().longValue()).isEqualTo(1L << 24);
        assertThat(IpRange.parse("203.0.113.7").size().longValue()).isEqualTo(1);
        assertThat(IpRange.parse("::/0").size()).isEqualTo(java.math.BigInteger.ONE.shiftLeft(128));
    }
}
