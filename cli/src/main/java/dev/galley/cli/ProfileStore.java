package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The profiles file ({@code config.json} under the XDG config directory):
 * <pre>{@code {"default_profile": "default", "profiles": {"default": {"url": "…", "api_key": "pk_…:sk_…"}}}}</pre>
 * It holds secret keys, so it is written with mode 0600 (its directory 0700) from the first byte: the file is
 * created with those permissions under a temporary name and then moved over the old one.
 */
public final class ProfileStore {
    public static final String DEFAULT_PROFILE = "default";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path file;

    public ProfileStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The profile of that name, if the file has it. */
    public Optional<Profile> find(String name) {
        JsonNode entry = read().path("profiles").path(name);
        if (!entry.isObject()) return Optional.empty();
        return Optional.of(new Profile(text(entry, "url"), text(entry, "api_key")));
    }

    /** The profile used when none is named: the file's {@code default_profile}, else {@value #DEFAULT_PROFILE}. */
    public String defaultProfileName() {
        String name = text(read(), "default_profile");
        return name == null || name.isBlank() ? DEFAULT_PROFILE : name;
    }

    /**
     * Adds or replaces a profile. The first profile saved becomes the default.
     *
     * @throws UsageException when the file cannot be written
     */
    public void save(String name, Profile profile) {
        ObjectNode root = read().deepCopy();
        boolean first = !root.path("profiles").isObject() || root.path("profiles").isEmpty();
        ObjectNode profiles = root.path("profiles").isObject() ? (ObjectNode) root.get("profiles") : root.putObject("profiles");
        profiles.putObject(name).put("url", profile.url()).put("api_key", profile.apiKey());
        if (first || !root.hasNonNull("default_profile")) root.put("default_profile", name);
        write(root);
    }

    private ObjectNode read() {
        if (!Files.exists(file)) return MAPPER.createObjectNode();
        try {
            JsonNode node = MAPPER.readTree(file.toFile());
            if (node instanceof ObjectNode object) return object;
            throw new UsageException(file + " is not a JSON object; fix or delete it and run galley login again");
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage()
                    + "; fix or delete it and run galley login again", e);
        }
    }

    private void write(ObjectNode root) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                if (POSIX) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                else Files.createDirectories(dir);
            }
            Path temp = POSIX
                    ? Files.createTempFile(dir, ".config", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".config", ".tmp");
            try {
                MAPPER.writeValue(temp.toFile(), root);
                try {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            // An older file may have been created looser by hand; the key inside deserves 0600 either way.
            if (POSIX) Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UsageException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
