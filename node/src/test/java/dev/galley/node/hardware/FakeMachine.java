package dev.galley.node.hardware;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Pieces of a machine for the probe and sampler tests: recorded files and a scripted nvidia-smi. */
final class FakeMachine {
    private FakeMachine() {}

    /** A test resource as text, e.g. {@code /proc/stat-2cpu-a.txt}. */
    static String resource(String path) throws IOException {
        try (InputStream in = FakeMachine.class.getResourceAsStream(path)) {
            assertThat(in).as("fixture " + path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** An executable {@code dir/nvidia-smi} running {@code script} with sh. */
    static Path nvidiaSmi(Path dir, String script) throws IOException {
        Path exe = dir.resolve("nvidia-smi");
        Files.writeString(exe, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        return exe;
    }
}
