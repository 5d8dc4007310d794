package dev.galley.server.crypto;

import dev.galley.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** Finds the master key: GALLEY_MASTER_KEY, else (embedded mode) a key file in the data dir, generated once (0600 from its first byte). */
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
            var key = PrivateFiles.readOrCreate(file, MasterKeys::newKey);
            return decode(key.value(), file.toString());
        } catch (IOException e) {
            throw new ConfigException("cannot read or create the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
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
