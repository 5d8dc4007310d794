package dev.galley.core.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address block: a literal address ({@code 203.0.113.7}, {@code 2001:db8::1}) or a CIDR
 * ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). A bare address is a /32 or /128.
 *
 * <p>Parsing is done by hand on purpose: {@link InetAddress#getByName} resolves host names through DNS, and a
 * validator or a request filter must never block on (or leak) a lookup. Host bits under the prefix are
 * allowed and dropped ({@code 10.1.2.3/8} is {@code 10.0.0.0/8}), as most firewalls do. Zone ids
 * ({@code fe80::1%eth0}) and leading zeros in IPv4 octets (octal ambiguity) are rejected.
 */
public final class IpRange {
    private final byte[] network; // 4 or 16 bytes, host bits cleared
    private final int prefixLength;

    private IpRange(byte[] network, int prefixLength) {
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Parses an IP literal or CIDR; throws {@link IllegalArgumentException} explaining what is wrong. */
    public static IpRange parse(String ipOrCidr) {
        if (ipOrCidr == null) throw new IllegalArgumentException("IP range is missing");
        String text = ipOrCidr.strip();
        if (text.isEmpty()) throw new IllegalArgumentException("IP range is empty");
        if (text.length() > 64) throw new IllegalArgumentException("not an IP address or CIDR: too long");
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        byte[] address = text.indexOf(':') >= 0 ? parseIpv6(addressText, text) : parseIpv4(addressText, text);
        int maxPrefix = address.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            String prefixText = text.substring(slash + 1);
            if (!prefixText.matches("\\d{1,3}")) throw invalid(text, "prefix length must be a number");
            prefix = Integer.parseInt(prefixText);
            if (prefix > maxPrefix) throw invalid(text, "prefix length must be <= " + maxPrefix);
            if (prefixText.length() > 1 && prefixText.startsWith("0")) throw invalid(text, "prefix length has a leading zero");
        }
        return new IpRange(mask(address, prefix), prefix);
    }

    /** True when {@code ipOrCidr} is something {@link #parse} accepts. */
    public static boolean isValid(String ipOrCidr) {
        try {
            parse(ipOrCidr);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * True when {@code addr} lies in this range. An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, what a
     * dual-stack socket reports for an IPv4 client) is compared as the IPv4 address it carries, and an IPv4
     * address matches IPv6 ranges through its mapped form.
     */
    public boolean contains(InetAddress addr) {
        if (addr == null) return false;
        byte[] candidate = addr.getAddress();
        if (network.length == 4 && candidate.length == 16) {
            if (!isIpv4Mapped(candidate)) return false;
            candidate = Arrays.copyOfRange(candidate, 12, 16);
        } else if (network.length == 16 && candidate.length == 4) {
            candidate = ipv4Mapped(candidate);
        }
        return Arrays.equals(mask(candidate, prefixLength), network);
    }

    /**
     * True when every address of {@code other} lies in this range. As in {@link #contains(InetAddress)}, an IPv4
     * range and its IPv4-mapped IPv6 form ({@code ::ffff:10.0.0.0/104} for {@code 10.0.0.0/8}) are the same addresses.
     */
    public boolean containsRange(IpRange other) {
        int prefix = mappedPrefixLength();
        return prefix <= other.mappedPrefixLength() && Arrays.equals(mask(other.mappedNetwork(), prefix), mappedNetwork());
    }

    /** How many addresses the range holds. */
    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(128 - mappedPrefixLength());
    }

    /** The network in the 128-bit space both families share: IPv4 as its IPv4-mapped IPv6 form. */
    private byte[] mappedNetwork() {
        return network.length == 16 ? network : ipv4Mapped(network);
    }

    private int mappedPrefixLength() {
        return network.length == 16 ? prefixLength : 96 + prefixLength;
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    public int prefixLength() {
        return prefixLength;
    }

    /** The first address of the range. */
    public InetAddress networkAddress() {
        try {
            return network.length == 4 ? Inet4Address.getByAddress(network) : Inet6Address.getByAddress(null, network, -1);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }

    /**
     * Canonical text: the network address (IPv6 in RFC 5952 form), followed by {@code /prefix} unless the range
     * is a single address ({@code 10.0.0.0/8}, {@code 203.0.113.7}, {@code 2001:db8::/32}, {@code ::1}).
     */
    @Override
    public String toString() {
        String address = network.length == 4 ? formatIpv4(network) : formatIpv6(network);
        return prefixLength == network.length * 8 ? address : address + "/" + prefixLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpRange other && prefixLength == other.prefixLength && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("not an IP address or CIDR: \"" + text + "\" (" + why + ")");
    }

    private static byte[] parseIpv4(String s, String whole) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) throw invalid(whole, "an IPv4 address has 4 dot-separated numbers");
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) out[i] = (byte) parseOctet(parts[i], whole);
        return out;
    }

    private static int parseOctet(String part, String whole) {
        if (!part.matches("\\d{1,3}")) throw invalid(whole, "\"" + part + "\" is not a number 0..255");
        if (part.length() > 1 && part.startsWith("0")) throw invalid(whole, "\"" + part + "\" has a leading zero");
        int value = Integer.parseInt(part);
        if (value > 255) throw invalid(whole, "\"" + part + "\" is not a number 0..255");
        return value;
    }

    private static byte[] parseIpv6(String s, String whole) {
        if (s.indexOf('%') >= 0) throw invalid(whole, "zone ids are not allowed");
        if (!s.matches("[0-9A-Fa-f:.]+")) throw invalid(whole, "unexpected character in an IPv6 address");
        byte[] out = new byte[16];
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) throw invalid(whole, "\"::\" may appear only once");
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        int[] headGroups = parseGroups(head, whole, doubleColon < 0);
        int[] tailGroups = parseGroups(tail, whole, true);
        int total = headGroups.length + tailGroups.length;
        if (doubleColon < 0 && total != 8) throw invalid(whole, "an IPv6 address has 8 groups");
        if (doubleColon >= 0 && total > 7) throw invalid(whole, "too many groups for \"::\"");
        for (int i = 0; i < headGroups.length; i++) putGroup(out, i, headGroups[i]);
        for (int i = 0; i < tailGroups.length; i++) putGroup(out, 8 - tailGroups.length + i, tailGroups[i]);
        return out;
    }

    /** Parses colon-separated 16-bit groups; the last one may be a dotted IPv4 address worth two groups. */
    private static int[] parseGroups(String s, String whole, boolean mayEndWithIpv4) {
        if (s.isEmpty()) return new int[0];
        String[] parts = s.split(":", -1);
        int[] groups = new int[parts.length + 1];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.indexOf('.') >= 0) {
                if (i != parts.length - 1 || !mayEndWithIpv4) throw invalid(whole, "an embedded IPv4 address must come last");
                byte[] v4 = parseIpv4(p, whole);
                groups[n++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                groups[n++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
            } else {
                if (p.isEmpty() || p.length() > 4) throw invalid(whole, "each IPv6 group has 1 to 4 hex digits");
                groups[n++] = Integer.parseInt(p, 16);
            }
        }
        return Arrays.copyOf(groups, n);
    }

    private static void putGroup(byte[] out, int index, int value) {
        out[index * 2] = (byte) (value >>> 8);
        out[index * 2 + 1] = (byte) value;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        return out;
    }

    private static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] ipv4Mapped(byte[] v4) {
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(v4, 0, out, 12, 4);
        return out;
    }

    private static String formatIpv4(byte[] a) {
        return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }

    /** RFC 5952: IPv4-mapped in dotted form, else lower-case hex, no leading zeros, the longest run (>= 2) of zero groups shortened to "::". */
    private static String formatIpv6(byte[] a) {
        if (isIpv4Mapped(a)) return "::ffff:" + formatIpv4(Arrays.copyOfRange(a, 12, 16)); // RFC 5952 section 5
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((a[i * 2] & 0xff) << 8) | (a[i * 2 + 1] & 0xff);
        int bestStart = -1, bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength && j - i >= 2) { bestStart = i; bestLength = j - i; }
            i = j;
        }
        var sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
