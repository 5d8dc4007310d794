package dev.galley.server.crypto;

import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key files: 0600 from the first byte, never half-written, never overwritten; their directory 0700. */
class PrivateFilesTest {
    @TempDir
    Path dir;

    @Test
    void a_new_secret_file_is_owner_only_before_a_single_byte_is_written() throws Exception {
        Path file = dir.resolve("fresh.key");
        // The moment of creation: had the mode been set after writing (chmod), the umask's 0644 would show here.
        try (FileChannel ch = PrivateFiles.openNew(file)) {
            assertThat(ch.size()).isZero();
            assertThat(mode(file)).isEqualTo("rw-------");
        }
    }

    @Test
    void create_writes_the_whole_secret_under_its_name_at_once_with_mode_0600_and_leaves_no_temp_file() throws Exception {
        Path keys = dir.resolve("data");
        PrivateFiles.create(keys.resolve("master.key"), "c2VjcmV0");
        assertThat(Files.readString(keys.resolve("master.key"))).isEqualTo("c2VjcmV0\n");
        assertThat(mode(keys.resolve("master.key"))).isEqualTo("rw-------");
        assertThat(mode(keys)).as("the data directory it made").isEqualTo("rwx------");
        try (Stream<Path> s = Files.list(keys)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("master.key");
        }
    }

    @Test
    void a_secret_is_never_overwritten() throws Exception {
        Path file = dir.resolve("operator.key");
        PrivateFiles.create(file, "first");
        assertThatThrownBy(() -> PrivateFiles.create(file, "second")).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("first\n");
    }

    @Test
    void read_or_create_generates_once_and_then_reads_what_is_on_disk() throws Exception {
        Path file = dir.resolve("postgres.password");
        AtomicInteger generated = new AtomicInteger();
        var first = PrivateFiles.readOrCreate(file, () -> "pw-" + generated.incrementAndGet());
        var second = PrivateFiles.readOrCreate(file, () -> "pw-" + generated.incrementAndGet());
        assertThat(first).isEqualTo(new PrivateFiles.Secret("pw-1", true));
        assertThat(second).isEqualTo(new PrivateFiles.Secret("pw-1", false));
        assertThat(generated).hasValue(1);
    }

    @Test
    void a_key_file_others_can_read_is_narrowed_to_0600_when_read() throws Exception {
        Path file = dir.resolve("local-node.key");
        Files.writeString(file, "pk_x:sk_y\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(PrivateFiles.read(file)).contains("pk_x:sk_y");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void an_existing_data_directory_open_to_others_is_narrowed_to_0700() throws Exception {
        Path data = Files.createDirectory(dir.resolve("galley"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        PrivateFiles.ensurePrivateDirectory(data);
        assertThat(mode(data)).isEqualTo("rwx------");
    }

    @Test
    void a_missing_file_reads_as_empty() throws Exception {
        assertThat(PrivateFiles.read(dir.resolve("nothing"))).isEmpty();
        assertThat(List.of(dir.toFile().list())).isEmpty();
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
