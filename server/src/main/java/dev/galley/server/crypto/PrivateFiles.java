package dev.galley.server.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files that hold secrets (master key, operator key, node key, the embedded database's password) and the
 * directory they live in. A secret file is created with mode 0600 in the {@code open(2)} call itself, never
 * chmod-ed afterwards, so there is no moment in which another local user could open it; it is written under a
 * temporary name and linked into place complete, so a crash never leaves a half-written key behind.
 */
public final class PrivateFiles {
    private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);
    static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {}

    /** A secret as read or created, and whether this call created it. */
    public record Secret(String value, boolean created) {}

    /**
     * Creates {@code dir} (and missing parents) with mode 0700; an existing one that group or others can use
     * is narrowed to 0700, since it holds keys and the database.
     */
    public static Path ensurePrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (posix(dir.toAbsolutePath().getRoot())) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            } else {
                Files.createDirectories(dir);
            }
            return dir;
        }
        if (posix(dir)) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
            if (!OWNER_ONLY_DIRECTORY.containsAll(perms)) {
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIRECTORY);
                log.warn("{} was open to other users ({}); it is now 0700", dir, PosixFilePermissions.toString(perms));
            }
        }
        return dir;
    }

    /**
     * Reads a secret file, trimmed; empty when it does not exist. A file that group or others may read (left by
     * an older version or a copy) is narrowed to 0600 first.
     */
    public static Optional<String> read(Path file) throws IOException {
        try {
            if (posix(file)) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (!OWNER_READ_WRITE.containsAll(perms)) {
                    Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
                    log.warn("{} was readable by other users ({}); it is now 0600", file, PosixFilePermissions.toString(perms));
                }
            }
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Reads the secret in {@code file}, or creates the file with {@code generate}'s value (see {@link #create}). */
    public static Secret readOrCreate(Path file, Supplier<String> generate) throws IOException {
        Optional<String> existing = read(file);
        if (existing.isPresent()) return new Secret(existing.get(), false);
        String value = generate.get();
        try {
            create(file, value);
            return new Secret(value, true);
        } catch (FileAlreadyExistsException raced) {
            // Another process created it between our read and our create: its value is the one on disk.
            return new Secret(read(file).orElseThrow(() -> raced), false);
        }
    }

    /**
     * Creates {@code file} holding {@code value} and a newline, mode 0600 from its first byte, and makes it
     * durable. Fails with {@link FileAlreadyExistsException} when the file exists (a secret is never overwritten).
     */
    public static void create(Path file, String value) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        ensurePrivateDirectory(dir);
        Path temp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = openNew(temp)) {
                ByteBuffer bytes = ByteBuffer.wrap((value + "\n").getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) ch.write(bytes);
                ch.force(true);
            }
            publish(temp, file);
            forceDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Opens a new, empty file for writing with mode 0600 given to the create call itself (the process umask can
     * only take bits away from it). Fails when the file exists.
     */
    static FileChannel openNew(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (posix(dir)) {
            FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
            return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly);
        }
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Puts the finished temp file in place under its real name, atomically, and never over an existing file. */
    private static void publish(Path temp, Path file) throws IOException {
        try {
            Files.createLink(file, temp); // link(2): atomic, and EEXIST instead of replacing
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.move(temp, file); // no hard links on this file system: a rename that refuses an existing target
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not every platform can open a directory; the file itself is already on disk.
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
