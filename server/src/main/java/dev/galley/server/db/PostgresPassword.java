package dev.galley.server.db;

import dev.galley.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.postgresql.util.PasswordUtil;

/**
 * Password authentication for the embedded PostgreSQL: {@code pg_hba.conf} admits only connections that give
 * the password (SCRAM), over TCP from 127.0.0.1 or a Unix socket (none is opened; the line is there should
 * someone open one). Data directories made by older versions trusted every local connection; they are
 * upgraded in place on their next start, before the server listens: the password is set with the single-user
 * backend (no network), then {@code pg_hba.conf} is replaced.
 */
final class PostgresPassword {
    static final String SUPERUSER = "postgres";
    static final String HBA = """
            # Written by galley server at every start; edits here are overwritten.
            # Every connection must give the password kept in the galley data dir (postgres.password).
            # TYPE  DATABASE  USER  ADDRESS        METHOD
            local   all       all                  scram-sha-256
            host    all       all   127.0.0.1/32   scram-sha-256
            """;

    private PostgresPassword() {}

    /** True when {@code pg_hba.conf} is ours; anything else (an older version's "trust") needs the upgrade. */
    static boolean hbaIsCurrent(Path pgData) {
        try {
            return Files.readString(pgData.resolve("pg_hba.conf")).equals(HBA);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sets the superuser's password in a stopped cluster and writes our {@code pg_hba.conf}. The single-user
     * backend gets a SCRAM verifier computed here, so the password itself never reaches PostgreSQL or its log.
     */
    static void apply(PostgresBinaries binaries, Path pgData, String password) {
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray());
        var r = Postmaster.run(binaries.command("postgres", "--single", "-D", pgData.toString(), "-c", "exit_on_error=on", SUPERUSER),
                "ALTER ROLE " + SUPERUSER + " PASSWORD '" + verifier + "';\n", Duration.ofMinutes(5));
        if (r.exit() != 0) {
            throw new ConfigException("could not set the embedded PostgreSQL's password (exit " + r.exit() + "): "
                    + r.output().replace(verifier, "<verifier>").strip());
        }
        writeHba(pgData);
    }

    static void writeHba(Path pgData) {
        Path hba = pgData.resolve("pg_hba.conf");
        Path temp = pgData.resolve("pg_hba.conf.galley-new");
        try {
            Files.writeString(temp, HBA, StandardCharsets.UTF_8);
            Files.move(temp, hba, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ConfigException("cannot write " + hba + ": " + e.getMessage(), e);
        }
    }
}
