package dev.galley.server.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a running (or crashed) PostgreSQL wrote in {@code <data dir>/postmaster.pid}: its pid, the data
 * directory it was started on, its port and its state ({@code starting}, {@code ready}, {@code stopping}).
 */
public record PostmasterPidFile(long pid, Path dataDir, int port, String status) {
    static final String NAME = "postmaster.pid";

    /** The pid file of {@code pgData}, if there is a readable one. */
    public static Optional<PostmasterPidFile> read(Path pgData) {
        try {
            return parse(Files.readAllLines(pgData.resolve(NAME)));
        } catch (IOException e) {
            return Optional.empty(); // none, or not ours to read
        }
    }

    /** Parses the lines of a pid file; empty when it is truncated (a postmaster that died while writing it). */
    static Optional<PostmasterPidFile> parse(List<String> lines) {
        if (lines.size() < 4) return Optional.empty();
        try {
            long pid = Long.parseLong(lines.get(0).trim());
            int port = Integer.parseInt(lines.get(3).trim());
            String status = lines.size() >= 8 ? lines.get(7).trim() : "";
            return pid > 0 ? Optional.of(new PostmasterPidFile(pid, Path.of(lines.get(1).trim()), port, status)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
