package dev.galley.core.spec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * Checks an OpenSSH public key line ({@code authorized_keys} format): {@code <type> <base64 blob> [comment]}.
 * The blob must be valid base64 and must itself begin with the same key type, which catches pasted private keys,
 * truncated blobs and keys whose type word was edited. Options before the type (as in {@code authorized_keys}) are
 * not accepted: the platform writes the line, the user supplies only the key.
 */
public final class SshPublicKey {
    public static final Set<String> KEY_TYPES = Set.of(
            "ssh-ed25519", "ssh-rsa", "ssh-dss",
            "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
            "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");

    /** Long enough for a 16384-bit RSA key with a comment. */
    public static final int MAX_LENGTH = 8192;

    private SshPublicKey() {}

    /** Null when {@code line} is a valid key line, else why not. */
    public static String problem(String line) {
        if (line == null) return "must be an OpenSSH public key line";
        if (line.length() > MAX_LENGTH) return "must be at most " + MAX_LENGTH + " characters";
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) return "must be a single line (one OpenSSH public key)";
        String[] parts = line.strip().split("[ \t]+", 3);
        if (parts.length < 2 || !KEY_TYPES.contains(parts[0]))
            return "must be an OpenSSH public key line such as \"ssh-ed25519 AAAAC3... user@host\"";
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return "key data is not valid base64";
        }
        if (blob.length < 4) return "key data is too short";
        int typeLength = ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
        if (typeLength <= 0 || typeLength > blob.length - 4) return "key data is malformed";
        String embeddedType = new String(blob, 4, typeLength, StandardCharsets.US_ASCII);
        if (!embeddedType.equals(parts[0])) return "key data is for \"" + embeddedType + "\" but the line says \"" + parts[0] + "\"";
        if (blob.length == 4 + typeLength) return "key data holds no key";
        return null;
    }

    public static boolean isValid(String line) {
        return problem(line) == null;
    }
}
