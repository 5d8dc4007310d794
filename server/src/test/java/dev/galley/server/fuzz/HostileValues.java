package dev.galley.server.fuzz;

import java.util.List;

/**
 * The values an attacker (or a buggy client) puts where a field should be, as raw JSON text: so a value can be
 * what no JSON writer produces (a lone surrogate escape, {@code 1e309}, {@code NaN}), and the server's own reader
 * decides what it means.
 */
final class HostileValues {
    private HostileValues() {}

    /** Numbers at and past every edge: of int, long, double, BigDecimal, JSON, and the API's own ranges. */
    static final List<String> NUMBERS = List.of(
            "0", "-0", "-0.0", "0.0", "1", "-1", "4.5", "1.0", "1E2", "0e0",
            "1e309", "-1e309", "1e-400", "4.9e-324", "1.7976931348623157e308",
            "2147483647", "2147483648", "-2147483649", "4294967296",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
            "123456789012345678901234567890.5", "0.000000000000000000000000000001",
            "1" + "0".repeat(99), "1" + "0".repeat(120),
            // Exponents that turn a short number into a huge one: a BigDecimal that is asked for its
            // integer value must not compute 10^999999999 (or overflow the exponent).
            "1e999999999", "1E+999999999", "-1e-999999999", "1e2147483647", "1e2147483648", "1e-2147483649",
            // The API's ranges: ports, timeouts, counts.
            "65535", "65536", "299999", "300000", "2592000000", "2592000001", "4096", "4097", "64", "65", "1024", "1025",
            // Not JSON numbers at all.
            "NaN", "Infinity", "-Infinity", "0x10", "01", "+1", ".5", "1.", "1e", "--1", "1_000");

    /** Strings, as JSON literals with their escapes: text no column, argv, header or template may hold. */
    static final List<String> STRINGS = List.of(
            "\"\"", "\" \"", "\"\\t\\n\\r\"", "\"null\"", "\"true\"", "\"0\"", "\"-1\"", "\"1e309\"", "\"NaN\"", "\"Infinity\"",
            "\"a\\u0000b\"", "\"\\u0000\"", "\"\\ud800\"", "\"x\\udc00y\"", "\"\\udbff\\udfff\"", "\"\\ud83d\\ude00\"",
            "\"\\u202eevil\\u202c\"", "\"\\u200b\\u200d\\ufeff\"", "\"\\u2028\\u2029\"", "\"\\u0085\\u007f\\u0001\\u001f\"",
            "\"e\\u0301 \\u00e9\"", "\"😀🏳️‍🌈𝄞\"", "\"日本語テキスト\"", "\"مرحبا\"",
            "\"{{x}}\"", "\"{{who}}\"", "\"{{ who }}\"", "\"{{\"", "\"}}\"", "\"{{{{who}}}}\"", "\"{{size}}{{who}}\"", "\"${jndi:ldap://x/a}\"",
            "\"' OR '1'='1\"", "\"'; DROP TABLE jobs; --\"", "\"\\\"); DELETE FROM api_keys; --\"", "\"%s%s%n%x\"",
            "\"<script>alert(1)</script>\"", "\"<img src=x onerror=alert(1)>\"", "\"javascript:alert(1)\"",
            "\"$(reboot)\"", "\"`id`\"", "\"; rm -rf / #\"", "\"a|b&c>d<e\"", "\"\\\\\"", "\"\\\"\"",
            "\"../../../../etc/passwd\"", "\"/../../root\"", "\"..\\\\..\\\\windows\"", "\"/\"", "\"/dev/null\"",
            "\"%00\"", "\"%2e%2e%2f\"", "\"%ZZ\"", "\"%\"", "\"a\\r\\nX-Injected: 1\"",
            "\"http://169.254.169.254/latest/meta-data/\"", "\"file:///etc/shadow\"",
            "\"0.0.0.0/0\"", "\"::/0\"", "\"10.0.0.0/33\"", "\"1.2.3.4/-1\"", "\"256.1.1.1\"", "\"fe80::1%eth0\"", "\"::ffff:1.2.3.4\"",
            "\"9999-12-31T23:59:59Z\"", "\"+100000-01-01T00:00:00Z\"", "\"-001000-01-01T00:00:00Z\"", "\"0000-01-01T00:00:00Z\"",
            "\"2026-02-30T00:00:00Z\"", "\"2026-01-01T00:00:00+25:00\"", "\"2026-01-01\"",
            "\"*\"", "\"preset:compute_node\"", "\"accounts.create.all\"", "\"api_keys.create.all\"", "\"jobs.update.all\"",
            "\"00000000-0000-0000-0000-000000000000\"", "\"FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF\"", "\"{12345678-1234-1234-1234-123456789abc}\"");

    /** Values of every other type, for a field that expects one. */
    static final List<String> WRONG_TYPES = List.of(
            "null", "true", "false", "\"\"", "\"1\"", "\"true\"", "0", "1", "-1", "[]", "{}", "[null]", "[[]]", "{\"\":null}",
            "[1,\"a\",true,null,{}]", "{\"a\":{\"b\":[]}}", "\"[]\"", "\"{}\"");

    /** Member names a strict reader must refuse (or a careless one might honour), as JSON literals. */
    static final List<String> MEMBER_NAMES = List.of(
            "\"\"", "\" \"", "\"x\"", "\"dry_run\"", "\"__proto__\"", "\"constructor\"", "\"object\"", "\"uuid\"", "\"id\"",
            "\"account_uuid\"", "\"created_at\"", "\"status\"", "\"is_official\"", "\"is_owner\"", "\"secret_key\"",
            "\"a\\u0000b\"", "\"\\ud800\"", "\"\\u202e\"", "\"$where\"", "\"a.b\"", "\"a[0]\"", "\"😀\"");

    /** Raw text for a log upload: what a container may print, and what no text holds. */
    static final List<String> LOG_TEXTS = List.of(
            "", "\n", "\r\n\r\n", "hello\n", "\u0000\u0001\u0002", "\u001b[31mred\u001b[0m\n", "😀 emoji\n", "\u202eevil\n",
            "{{who}}\n", "[galley: 12.3 MiB of earlier output dropped]\n", "'; DROP TABLE job_run_logs; --\n", "%00%ff\n",
            "{\"status\":\"COMPLETED\"}");

    /** Valid JSON fragments whose nesting goes this deep (the server's reader stops at 64). */
    static String nested(int depth, boolean arrays) {
        StringBuilder sb = new StringBuilder(depth * 6 + 4);
        for (int i = 0; i < depth; i++) sb.append(arrays ? "[" : "{\"a\":");
        sb.append('1');
        for (int i = 0; i < depth; i++) sb.append(arrays ? ']' : '}');
        return sb.toString();
    }

    static final int[] NESTING_DEPTHS = {10, 63, 64, 65, 200, 10_000, 100_000};

    /** Lengths around the API's limits (200-character names, 10 000-character descriptions, 64 KiB env, 1 MiB bodies). */
    static final int[] LONG_LENGTHS = {200, 201, 256, 10_000, 10_001, 65_537, 300_000};

    /** What a long string is made of: one byte, two bytes, a surrogate pair, a template and an escape each time. */
    static final List<String> LONG_UNITS = List.of("a", "é", "😀", "{{who}}", "\\n", "\\u0041", "%");
}
