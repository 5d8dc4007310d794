package dev.galley.server.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutations of a body's bytes, below the JSON tree: broken syntax (truncated, trailing garbage, comments, single
 * quotes, trailing commas), a byte-order mark or another encoding, and bytes that are no UTF-8 at all.
 */
final class ByteMutations {
    enum Kind { TRUNCATE, TRAILING, LEADING, BOM, OTHER_ENCODING, COMMENT, LENIENT_SYNTAX, INVALID_UTF8, RAW_CONTROL, FLIP, REPLACE_WHOLE }

    /** Byte sequences that are not UTF-8: a lone continuation, an overlong NUL, an encoded surrogate, past U+10FFFF, 0xFF. */
    private static final List<byte[]> INVALID_UTF8 = List.of(
            new byte[]{(byte) 0x80}, new byte[]{(byte) 0xC3, 0x28}, new byte[]{(byte) 0xC0, (byte) 0x80},
            new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[]{(byte) 0xFF}, new byte[]{(byte) 0xFE, (byte) 0xFF}, new byte[]{(byte) 0xE2, (byte) 0x82});

    private static final List<String> TRAILING = List.of("}", "]", ",", " garbage", "{}", "\n{}", "\u0000", "\"", "/*", "//x", "\r\n\r\nGET / HTTP/1.1");
    private static final List<String> LEADING = List.of(")]}',\n", "\u0000", " \t\r\n", "[", "garbage", "\u00a0", "//\n");

    /** Whole bodies that are no object, or nothing at all. */
    private static final List<String> WHOLE = List.of("", " ", "\n", "null", "[]", "[{}]", "\"text\"", "1", "true", "{}", "{", "}", "{\"\":}",
            "{,}", "{\"a\"}", "{\"a\":1,}", "{'a':1}", "{a:1}", "[1,2,]", "\"\\u0000\"", "\u0000\u0000\u0000\u0000", "\uFEFF{}", "{}{}",
            "{\"a\":NaN}", "{\"a\":0x10}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\t\"}");

    private final SplittableRandom random;

    ByteMutations(SplittableRandom random) {
        this.random = random;
    }

    /** The mutated body and what was done. */
    record Mutated(byte[] body, String description) {}

    Mutated apply(byte[] body, Kind kind) {
        return switch (kind) {
            case TRUNCATE -> {
                int at = body.length == 0 ? 0 : random.nextInt(body.length);
                yield new Mutated(Arrays.copyOf(body, at), "truncate at " + at + " of " + body.length);
            }
            case TRAILING -> {
                String tail = oneOf(TRAILING);
                yield new Mutated(concat(body, utf8(tail)), "trailing " + printable(tail));
            }
            case LEADING -> {
                String head = oneOf(LEADING);
                yield new Mutated(concat(utf8(head), body), "leading " + printable(head));
            }
            case BOM -> new Mutated(concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, body), "UTF-8 byte-order mark");
            case OTHER_ENCODING -> {
                Charset charset = List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE,
                        Charset.forName("UTF-32"), StandardCharsets.ISO_8859_1).get(random.nextInt(5));
                yield new Mutated(new String(body, StandardCharsets.UTF_8).getBytes(charset), "encoded as " + charset.name());
            }
            case COMMENT -> {
                String comment = random.nextBoolean() ? "/* c */" : "// c\n";
                yield new Mutated(insertAfterFirst(body, (byte) '{', utf8(comment)), "comment " + printable(comment));
            }
            case LENIENT_SYNTAX -> lenient(body);
            case INVALID_UTF8 -> {
                byte[] bad = INVALID_UTF8.get(random.nextInt(INVALID_UTF8.size()));
                yield new Mutated(insertInString(body, bad), "invalid UTF-8 " + hex(bad) + " in a string");
            }
            case RAW_CONTROL -> {
                byte control = (byte) random.nextInt(0x20);
                yield new Mutated(insertInString(body, new byte[]{control}), "raw control byte " + hex(new byte[]{control}) + " in a string");
            }
            case FLIP -> {
                byte[] copy = body.clone();
                int flips = 1 + random.nextInt(3);
                for (int i = 0; i < flips && copy.length > 0; i++) copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                yield new Mutated(copy, "flip " + flips + " random bytes");
            }
            case REPLACE_WHOLE -> {
                String whole = oneOf(WHOLE);
                yield new Mutated(utf8(whole), "whole body " + printable(whole));
            }
        };
    }

    /** Syntax that lenient readers accept and a strict one must refuse: single quotes, trailing commas, bare names. */
    private Mutated lenient(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return switch (random.nextInt(4)) {
            case 0 -> new Mutated(utf8(text.replaceFirst("\"", "'").replaceFirst("\":", "':")), "single-quoted member name");
            case 1 -> new Mutated(utf8(text.replaceFirst("}$", ",}")), "trailing comma");
            case 2 -> new Mutated(utf8(text.replaceFirst("\"([a-z_]+)\":", "$1:")), "unquoted member name");
            default -> new Mutated(utf8(text.replaceFirst(":", ":: ")), "double colon");
        };
    }

    /** Inserts {@code bytes} right after the first {@code "} that opens a string value (or at the end). */
    private byte[] insertInString(byte[] body, byte[] bytes) {
        int quotes = 0;
        for (int i = 0; i < body.length; i++) if (body[i] == '"') quotes++;
        if (quotes == 0) return concat(body, bytes);
        int target = random.nextInt(quotes);
        for (int i = 0, seen = 0; i < body.length; i++) {
            if (body[i] == '"' && seen++ == target) return splice(body, i + 1, bytes);
        }
        return concat(body, bytes);
    }

    private static byte[] insertAfterFirst(byte[] body, byte marker, byte[] bytes) {
        for (int i = 0; i < body.length; i++) if (body[i] == marker) return splice(body, i + 1, bytes);
        return concat(bytes, body);
    }

    private static byte[] splice(byte[] body, int at, byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + bytes.length);
        out.write(body, 0, at);
        out.write(bytes, 0, bytes.length);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String oneOf(List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) sb.append(String.format("%02X", b & 0xff));
        return sb.toString();
    }

    /** Text with control characters written as escapes, for descriptions. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder("'");
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02X", (int) c));
            else sb.append(c);
        }
        return sb.append("'").toString();
    }
}
