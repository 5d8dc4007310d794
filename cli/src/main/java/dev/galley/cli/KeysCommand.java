package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.client.ApiKey;
import dev.galley.client.Galley;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code galley keys …}: API keys of your account. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Create, list and revoke API keys.",
        subcommands = {KeysCommand.CreateKey.class, KeysCommand.ListKeys.class, KeysCommand.RevokeKey.class},
        footer = {"", "Examples:", "  galley keys create --name ci", "  galley keys create --name node-1 --permission preset:compute_node",
                "  galley keys revoke 5e0d…"})
public final class KeysCommand extends CommandGroup {
    static Table table() {
        return new Table("UUID", "NAME", "PUBLIC KEY", "PERMISSIONS", "REVOKED", "EXPIRES", "LAST USED");
    }

    static Object[] row(JsonNode k) {
        List<String> permissions = new ArrayList<>();
        k.path("permissions").forEach(p -> permissions.add(p.asText()));
        return new Object[] {Cells.text(k, "uuid"), Cells.text(k, "name"), Cells.text(k, "public_key"),
                String.join(",", permissions), Cells.yesNo(k, "is_revoked"), Cells.time(k, "expires_at"), Cells.time(k, "last_used_at")};
    }

    @Command(name = "create", description = {"Create an API key. Its secret key is shown only now: store it."},
            footer = {"", "Examples:", "  galley keys create --name ci",
                    "  galley keys create --name node-1 --permission preset:compute_node --allowed-ip 10.0.0.0/8",
                    "  galley keys create --name ci -q     # prints pk_…:sk_… only"})
    static final class CreateKey extends ClientCommand {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "a name to recognise the key by")
        String name;

        @Option(names = "--permission", paramLabel = "P",
                description = "permission or preset (repeatable; default preset:compute_consumer)")
        List<String> permissions = new ArrayList<>();

        @Option(names = "--allowed-ip", paramLabel = "IP|CIDR", description = "only usable from these addresses (repeatable)")
        List<String> allowedIps = new ArrayList<>();

        @Option(names = "--expires-at", paramLabel = "TIME", description = "RFC 3339 time after which the key stops working")
        String expiresAt;

        @Override
        protected int run(Galley galley) {
            ObjectNode body = JsonPrinter.MAPPER.createObjectNode().put("name", name);
            ArrayNode perms = body.putArray("permissions");
            (permissions.isEmpty() ? List.of("preset:compute_consumer") : permissions).forEach(perms::add);
            if (!allowedIps.isEmpty()) allowedIps.forEach(body.putArray("allowed_ips")::add);
            if (expiresAt != null) body.put("expires_at", expiresAt);
            ApiKey key = galley.keys().create(body);
            if (options.json()) {
                ctx.out().println(JsonPrinter.pretty(key.json()));
            } else if (options.quiet()) {
                // The one thing a script needs from a new key is the pair to sign with.
                ctx.out().println(key.publicKey() + ":" + key.secretKey());
            } else {
                table().row(row(key.json())).print(ctx.out());
                ctx.out().println();
                ctx.out().println("API key (shown only now): " + key.publicKey() + ":" + key.secretKey());
            }
            ctx.out().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "List your account's API keys (never their secrets).",
            footer = {"", "Examples:", "  galley keys list", "  galley keys list --revoked"})
    static final class ListKeys extends ClientCommand {
        @Mixin PageOptions paging = new PageOptions();

        @Option(names = "--revoked", description = "only revoked keys")
        boolean revoked;

        @Option(names = "--active", description = "only keys not revoked")
        boolean active;

        @Override
        protected int run(Galley galley) {
            if (revoked && active) throw new UsageException("--revoked and --active exclude each other");
            String filter = revoked ? "true" : active ? "false" : null;
            printPage(galley.keys().list(paging.query().filter("is_revoked", filter)), table(), KeysCommand::row);
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", description = "Revoke an API key: it is rejected from then on.",
            footer = {"", "Examples:", "  galley keys revoke 5e0d…"})
    static final class RevokeKey extends ClientCommand {
        @Parameters(paramLabel = "KEY", description = "key uuid")
        String key;

        @Override
        protected int run(Galley galley) {
            ApiKey revoked = galley.keys().revoke(key);
            printOne(revoked.json(), table().row(row(revoked.json())));
            return ExitCodes.OK;
        }
    }
}
