package dev.galley.server.db;

import dev.galley.server.config.ConfigException;
import dev.galley.server.crypto.PrivateFiles;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL programs ({@code initdb}, {@code pg_ctl}, {@code postgres}) that ship inside the zonky
 * binaries jar, unpacked once per user into a private cache ({@code $XDG_CACHE_HOME/galley}, else
 * {@code ~/.cache/galley}). Not zonky's shared {@code /tmp/embedded-pg}: that directory is world-writable, so
 * another local user could plant programs there that we would then run as ourselves.
 *
 * <p>PostgreSQL refuses to run as root. As root, every program is started through {@code unshare -U} (a user
 * namespace in which we are not root), as zonky does; the files it writes still belong to root.
 */
public final class PostgresBinaries {
    private static final Logger log = LoggerFactory.getLogger(PostgresBinaries.class);
    private static PostgresBinaries instance;

    private final Path home;
    private final boolean viaUnshare;

    private PostgresBinaries(Path home, boolean viaUnshare) {
        this.home = home;
        this.viaUnshare = viaUnshare;
    }

    /** The unpacked programs, unpacking them first if this user's cache does not have them yet. */
    public static synchronized PostgresBinaries get() {
        if (instance == null) {
            boolean root = "root".equals(System.getProperty("user.name"));
            boolean unshare = root && LinuxUtils.isUnshareAvailable();
            if (root && !unshare) {
                throw new ConfigException("PostgreSQL does not run as root, and `unshare -U` (util-linux) is not usable here; "
                        + "run galley server as another user, or set GALLEY_DATABASE_URL");
            }
            instance = new PostgresBinaries(unpack(), unshare);
        }
        return instance;
    }

    /** The command line that runs one of the programs, e.g. {@code command("pg_ctl", "-D", dir, "status")}. */
    public List<String> command(String program, String... args) {
        List<String> cmd = new ArrayList<>();
        if (viaUnshare) cmd.addAll(List.of("unshare", "-U"));
        cmd.add(home.resolve("bin").resolve(program).toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Path unpack() {
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(operatingSystem(),
                ArchUtils.normalize(System.getProperty("os.arch")))) {
            archive = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("no embedded PostgreSQL for this platform (" + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + "): " + e.getMessage() + "; set GALLEY_DATABASE_URL", e);
        }
        Path cache = cacheDirectory();
        Path home = cache.resolve("postgres-" + sha256(archive).substring(0, 16));
        if (Files.isRegularFile(home.resolve(".complete"))) return home;
        long t0 = System.nanoTime();
        Path temp = cache.resolve(".unpacking-" + UUID.randomUUID());
        try {
            extract(archive, temp);
            Files.createFile(temp.resolve(".complete"));
            try {
                Files.move(temp, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                // Another process unpacked the same archive first; its copy is as good as ours.
            }
            log.info("unpacked the embedded PostgreSQL into {} in {} ms", home, (System.nanoTime() - t0) / 1_000_000);
            return home;
        } catch (IOException e) {
            throw new ConfigException("could not unpack the embedded PostgreSQL into " + cache + ": " + e.getMessage(), e);
        } finally {
            deleteTree(temp);
        }
    }

    /** A directory only we can write to, so nobody can swap the programs we run. */
    private static Path cacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        List<Path> candidates = List.of(base.resolve("galley"),
                Path.of(System.getProperty("java.io.tmpdir"), "galley-" + System.getProperty("user.name")));
        List<String> problems = new ArrayList<>();
        for (Path dir : candidates) {
            try {
                PrivateFiles.ensurePrivateDirectory(dir);
                // Ours if a file we create in it has the directory's owner (no user-name lookup: containers often have none).
                Path probe = Files.createTempFile(dir, ".owner", "");
                var us = Files.getOwner(probe);
                Files.delete(probe);
                if (!Files.getOwner(dir).equals(us)) {
                    problems.add(dir + " belongs to " + Files.getOwner(dir).getName());
                    continue;
                }
                return dir;
            } catch (IOException | RuntimeException e) {
                problems.add(dir + ": " + e.getMessage());
            }
        }
        throw new ConfigException("no private directory to unpack the embedded PostgreSQL into (" + String.join("; ", problems) + ")");
    }

    private static void extract(byte[] archive, Path target) throws IOException {
        Files.createDirectories(target);
        try (var tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                Path path = target.resolve(e.getName()).normalize();
                if (!path.startsWith(target)) throw new IOException("archive entry outside its directory: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(path);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createLink(path, target.resolve(e.getLinkName()).normalize());
                } else if (e.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, permissions(e.getMode()));
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        // Owner-only: nobody else needs to read or run our copy. Executables stay executable.
        return (mode & 0100) != 0 ? Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)
                : Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    private static String operatingSystem() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) return "Linux";
        if (os.contains("mac") || os.contains("darwin")) return "Darwin";
        throw new ConfigException("the embedded PostgreSQL runs on Linux and macOS only; set GALLEY_DATABASE_URL");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort: a leftover temp directory is harmless
        }
    }
}
