package dev.galley.server.crypto;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random key material: {@code pk_} + 128 bits and {@code sk_} + 256 bits, hex. */
public final class ApiKeyGenerator {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeyGenerator() {}

    public static String publicKey() {
        return "pk_" + hex(16);
    }

    public static String secretKey() {
        return "sk_" + hex(32);
    }

    public static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
