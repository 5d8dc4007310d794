package dev.galley.client;

/**
 * A public/secret key pair as the CLI and the bootstrap setting take it: {@code pk_…:sk_…}.
 * {@link #toString()} never shows the secret, so a pair can be logged or printed in an error safely.
 */
public record ApiKeyPair(String publicKey, String secretKey) {
    public ApiKeyPair {
        if (publicKey == null || !publicKey.startsWith("pk_") || publicKey.length() == 3) {
            throw new IllegalArgumentException("the public key must start with pk_ and have more after it");
        }
        if (secretKey == null || !secretKey.startsWith("sk_") || secretKey.length() == 3) {
            throw new IllegalArgumentException("the secret key must start with sk_ and have more after it");
        }
        if (hasWhitespaceOrColon(publicKey)) throw new IllegalArgumentException("the public key must not contain spaces or ':'");
        if (hasWhitespace(secretKey)) throw new IllegalArgumentException("the secret key must not contain spaces");
    }

    /**
     * Parses {@code pk_…:sk_…} (surrounding whitespace ignored). Error messages never repeat the input, because
     * it may hold a secret.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static ApiKeyPair parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the API key is empty; expected pk_…:sk_… (public key, ':', secret key)");
        }
        String trimmed = text.strip();
        int colon = trimmed.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(trimmed.startsWith("sk_")
                    ? "the API key holds only a secret key; expected pk_…:sk_… (public key, ':', secret key)"
                    : "the API key has no ':'; expected pk_…:sk_… (public key, ':', secret key)");
        }
        String publicKey = trimmed.substring(0, colon);
        String secretKey = trimmed.substring(colon + 1);
        if (publicKey.startsWith("sk_") && secretKey.startsWith("pk_")) {
            throw new IllegalArgumentException("the API key has the secret key first; expected pk_…:sk_…");
        }
        return new ApiKeyPair(publicKey, secretKey);
    }

    @Override
    public String toString() {
        return "ApiKeyPair[" + publicKey + ":sk_****]";
    }

    private static boolean hasWhitespace(String s) {
        return s.chars().anyMatch(Character::isWhitespace);
    }

    private static boolean hasWhitespaceOrColon(String s) {
        return hasWhitespace(s) || s.indexOf(':') >= 0;
    }
}
