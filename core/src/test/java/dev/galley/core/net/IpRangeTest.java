package dev.galley.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no DNS
    }

    @Test
    void ipv4_cidr_contains_addresses_inside_and_not_outside() throws Exception {
        IpRange range = IpRange.parse("10.1.0.0/16");
        assertThat(range.contains(ip("10.1.0.0"))).isTrue();
        assertThat(range.contains(ip("10.1.255.255"))).isTrue();
        assertThat(range.contains(ip("10.2.0.0"))).isFalse();
        assertThat(range.contains(ip("10.0.255.255"))).isFalse();
    }

    @Test
    void bare_ipv4_is_a_single_address() throws Exception {
        IpRange range = IpRange.parse("203.0.113.7");
        assertThat(range.prefixLength()).isEqualTo(32);
        assertThat(range.contains(ip("203.0.113.7"))).isTrue();
        assertThat(range.contains(ip("203.0.113.8"))).isFalse();
    }

    @Test
    void prefix_zero_contains_every_address_of_its_family_only() throws Exception {
        assertThat(IpRange.parse("0.0.0.0/0").contains(ip("198.51.100.1"))).isTrue();
        assertThat(IpRange.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
        assertThat(IpRange.parse("::/0").contains(ip("2001:db8::1"))).isTrue();
    }

    @Test
    void odd_prefix_lengths_mask_inside_a_byte() throws Exception {
        IpRange range = IpRange.parse("192.168.1.128/25");
        assertThat(range.contains(ip("192.168.1.200"))).isTrue();
        assertThat(range.contains(ip("192.168.1.127"))).isFalse();
    }

    @Test
    void ipv6_cidr_and_bare_address() throws Exception {
        IpRange range = IpRange.parse("2001:db8::/32");
        assertThat(range.isIpv4()).isFalse();
        assertThat(range.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(range.contains(ip("2001:db9::1"))).isFalse();
        assertThat(IpRange.parse("::1").contains(ip("::1"))).isTrue();
        assertThat(IpRange.parse("::1").contains(ip("::2"))).isFalse();
    }

    @Test
    void ipv4_mapped_ipv6_address_matches_ipv4_ranges() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        InetAddress mappedAddress = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(mappedAddress).isInstanceOf(Inet6Address.class);
        assertThat(IpRange.parse("10.0.0.0/8").contains(mappedAddress)).isTrue();
        assertThat(IpRange.parse("11.0.0.0/8").contains(mappedAddress)).isFalse();
    }

    @Test
    void plain_ipv6_address_never_matches_an_ipv4_range() throws Exception {
        assertThat(IpRange.parse("0.0.0.0/0").contains(ip("::a01:203"))).isFalse();
    }

    @Test
    void ipv4_address_matches_a_mapped_ipv6_range() throws Exception {
        assertThat(IpRange.parse("::ffff:10.0.0.0/104").contains(ip("10.9.9.9"))).isTrue();
        assertThat(IpRange.parse("::ffff:10.0.0.0/104").contains(ip("11.9.9.9"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "10.1.2.3/8, 10.0.0.0/8",
            "203.0.113.7, 203.0.113.7",
            "203.0.113.7/32, 203.0.113.7",
            "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
            "2001:db8::/32, 2001:db8::/32",
            "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
            "::, ::",
            "0:0:0:0:0:0:0:1, ::1",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "::ffff:1.2.3.4, ::ffff:1.2.3.4",
            "::FFFF:0102:0304/120, ::ffff:1.2.3.0/120",
            "' 10.0.0.0/8 ', 10.0.0.0/8"})
    void to_string_is_canonical(String input, String canonical) {
        assertThat(IpRange.parse(input)).hasToString(canonical);
        assertThat(IpRange.parse(canonical)).isEqualTo(IpRange.parse(input));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "localhost", "example.com", "10.0.0", "10.0.0.0.0", "256.1.1.1", "01.2.3.4",
            "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/08", "::/129", "1:2:3:4:5:6:7:8:9",
            "1::2::3", "12345::", "fe80::1%eth0", "1.2.3.4::", ":1::", "g::1", "1:2:3:4:5:6:7", "10.0.0.a"})
    void rejects_what_is_not_an_ip_literal(String input) {
        assertThat(IpRange.isValid(input)).isFalse();
        assertThatThrownBy(() -> IpRange.parse(input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IP");
    }

    @Test
    void null_is_rejected_with_a_message() {
        assertThat(IpRange.isValid(null)).isFalse();
        assertThatThrownBy(() -> IpRange.parse(null)).hasMessageContaining("missing");
    }

    @Test
    void error_message_says_what_is_wrong() {
        assertThatThrownBy(() -> IpRange.parse("10.0.0.0/40")).hasMessageContaining("<= 32");
        assertThatThrownBy(() -> IpRange.parse("300.0.0.1")).hasMessageContaining("0..255");
    }

    @Test
    void contains_null_is_false() {
        assertThat(IpRange.parse("0.0.0.0/0").contains(null)).isFalse();
    }
}
