package dev.galley.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encoding for the parts of a request target the SDK builds from caller-given text. */
final class Urls {
    private Urls() {}

    /**
     * Encodes a query key or value (RFC 3986 style: space as {@code %20}), so that a filter value holding
     * {@code &}, {@code =}, {@code +} or {@code #} reaches the server as the caller typed it.
     */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * One path segment, such as an id a user typed: encoded so that {@code ../keys} cannot walk to
     * another endpoint. A malformed id then simply reaches the server, which answers 404.
     */
    static String segment(String id) {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("the id is empty");
        return encode(id.strip());
    }
}
