package dev.galley.server.crypto;

import dev.galley.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** Finds the master key: GALLEY_MASTER_KEY, else (embedded mode) a generated 0600 key file in the data dir. */
public final class MasterKeys {
    private MasterKeys() {}

    public static byte[] resolve(Optional<String> fromEnv, Path dataDir, boolean mayGenerate) {
        if (fromEnv.isPresent()) return decode(fromEnv.get(), "GALLEY_MASTER_KEY");
        if (!mayGenerate) {
            throw new ConfigException("GALLEY_MASTER_KEY is required with an external database "
                    + "(32 random bytes, base64: `head -c32 /dev/urandom | base64`)");
        }
        Path file = dataDir.resolve("master.key");
        try {
            if (Files.exists(file)) return decode(Files.readString(file).trim(), file.toString());
            Files.createDirectories(dataDir);
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system; nothing more we can do.
            }
            return key;
        } catch (IOException e) {
            throw new ConfigException("cannot read or create the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] decode(String base64, String source) {
        try {
            byte[] key = Base64.getDecoder().decode(base64.trim());
            if (key.length != 32) throw new ConfigException(source + " must be 32 bytes encoded as base64, got " + key.length + " bytes");
            return key;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source + " is not valid base64", e);
        }
    }
}
