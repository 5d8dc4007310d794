package dev.galley.console;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The console's vendored scripts and styles, served at {@code /console/assets/<content hash>/<name>}: a new
 * release changes the URL, so browsers may cache each for a year without ever running a stale script.
 */
final class Assets {
    record Asset(String name, String contentType, byte[] bytes, String hash) {
        String url() {
            return "/console/assets/" + hash + "/" + name;
        }
    }

    private final Map<String, Asset> byName;

    Assets() {
        byName = Map.of(
                "console.css", load("console.css", "text/css; charset=utf-8"),
                "console.js", load("console.js", "text/javascript; charset=utf-8"));
    }

    String url(String name) {
        return byName.get(name).url();
    }

    /** The asset at this hash and name; another hash (an old release's) is not served, so it cannot be cached wrong. */
    Optional<Asset> find(String hash, String name) {
        Asset a = byName.get(name);
        return a != null && a.hash().equals(hash) ? Optional.of(a) : Optional.empty();
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = Assets.class.getResourceAsStream("/console-assets/" + name)) {
            if (in == null) throw new IllegalStateException("missing console asset " + name);
            byte[] bytes = in.readAllBytes();
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
            return new Asset(name, contentType, bytes, hash);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
