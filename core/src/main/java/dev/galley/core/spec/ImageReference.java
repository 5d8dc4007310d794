package dev.galley.core.spec;

import java.util.regex.Pattern;

/**
 * A container image reference, checked with the grammar of the Docker distribution library
 * ({@code distribution/reference}), minus bracketed IPv6 registry hosts:
 * <pre>
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ registry "/" ] path-component ( "/" path-component )*
 *   registry  := host-component ( "." host-component )* [ ":" port ]   e.g. ghcr.io, localhost:5000
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*   (lower case only)
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest    := "sha256:" 64 hex | "sha512:" 128 hex
 * </pre>
 * As in Docker, the first component is a registry host only when it contains a "." or ":" or is
 * {@code localhost}; otherwise {@code team/app} is a Docker Hub path. The name is at most 255 characters.
 *
 * <p>The job spec keeps a separate {@code tag} field (Dispersed compatibility). When {@code image} itself carries a
 * tag or digest, that one wins and {@code tag} is ignored: {@link #pullReference(String)} builds what the node pulls.
 */
public record ImageReference(String registry, String path, String tag, String digest) {
    private static final Pattern HOST_COMPONENT = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?");
    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}");
    private static final int MAX_NAME_LENGTH = 255;

    /** Parses a reference; throws {@link IllegalArgumentException} saying which part is wrong. */
    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("image reference is empty");
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches())
                throw new IllegalArgumentException("digest must be sha256:<64 hex> or sha512:<128 hex>");
        }
        String tag = null;
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!isValidTag(tag)) throw new IllegalArgumentException("tag \"" + tag + "\" is not a valid tag");
        }
        if (rest.isEmpty()) throw new IllegalArgumentException("image name is empty");
        if (rest.length() > MAX_NAME_LENGTH) throw new IllegalArgumentException("image name is longer than " + MAX_NAME_LENGTH + " characters");
        String registry = null;
        int firstSlash = rest.indexOf('/');
        if (firstSlash >= 0) {
            String first = rest.substring(0, firstSlash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                checkRegistry(first);
                registry = first;
                rest = rest.substring(firstSlash + 1);
            }
        }
        for (String component : rest.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches())
                throw new IllegalArgumentException("\"" + component + "\" is not a valid image path component"
                        + " (lower-case letters, digits and single . _ __ or - separators)");
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean isValidTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    /** What the node pulls: the image as written if it names a tag or digest, else {@code image:defaultTag}. */
    public String pullReference(String defaultTag) {
        String name = registry == null ? path : registry + "/" + path;
        if (tag == null && digest == null) return name + ":" + (defaultTag == null ? "latest" : defaultTag);
        return name + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    private static void checkRegistry(String host) {
        String name = host;
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            String port = host.substring(colon + 1);
            name = host.substring(0, colon);
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535)
                throw new IllegalArgumentException("registry port \"" + port + "\" must be a number 0..65535");
        }
        for (String part : name.split("\\.", -1)) {
            if (!HOST_COMPONENT.matcher(part).matches())
                throw new IllegalArgumentException("registry host \"" + host + "\" is not a valid host name");
        }
    }
}
