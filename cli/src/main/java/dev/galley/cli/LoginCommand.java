package dev.galley.cli;

import dev.galley.client.ApiKeyPair;
import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyClient;
import dev.galley.client.GalleyConnectionException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code galley login}: checks a server URL and key and saves them as a profile in the user's config
 * directory (mode 0600), so later commands need neither flags nor environment variables.
 */
@Command(name = "login",
        description = {"Save a server URL and API key as a profile (in $XDG_CONFIG_HOME/galley/config.json, mode 0600).",
                "The key is checked against the server first unless --no-verify."},
        footer = {"", "--url, --api-key, GALLEY_URL and GALLEY_API_KEY override a saved profile; --profile picks one.", "",
                "Examples:", "  galley login --url https://galley.example.com --api-key pk_…:sk_…",
                "  galley login --profile staging --url http://staging:8080 --api-key pk_…:sk_…",
                "  GALLEY_API_KEY=pk_…:sk_… galley login --url http://localhost:8080   # keeps the key out of the process list"})
public final class LoginCommand extends CliCommand {
    @Option(names = "--url", required = true, paramLabel = "URL", description = "server URL, e.g. http://localhost:8080")
    String url;

    @Option(names = "--api-key", paramLabel = "PK:SK", description = "API key pk_…:sk_… (default: GALLEY_API_KEY)")
    String apiKey;

    @Option(names = "--profile", paramLabel = "NAME", description = "profile name (default: " + ProfileStore.DEFAULT_PROFILE + ")")
    String profile = ProfileStore.DEFAULT_PROFILE;

    @Option(names = "--no-verify", description = "save without asking the server whether the key works")
    boolean noVerify;

    @Option(names = "--debug", description = "show stack traces")
    boolean debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Override
    public Integer call() {
        try {
            String keyText = apiKey != null ? apiKey : ctx.env().get("GALLEY_API_KEY");
            if (keyText == null || keyText.isBlank()) throw new UsageException("give --api-key pk_…:sk_… or set GALLEY_API_KEY");
            if (!profile.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new UsageException("the profile name may hold letters, digits, '_', '.' and '-' (at most 64)");
            }
            ApiKeyPair key;
            try {
                key = ApiKeyPair.parse(keyText);
            } catch (IllegalArgumentException e) {
                throw new UsageException("the API key is not usable: " + e.getMessage());
            }
            URI uri = parseUrl(url.strip());
            if (!noVerify) verify(uri, key);
            ProfileStore store = new ProfileStore(ctx.configFile());
            store.save(profile, new Profile(uri.toString(), key.publicKey() + ":" + key.secretKey()));
            ctx.out().println("logged in to " + uri + " as " + key.publicKey() + "; saved profile '" + profile + "' in " + store.file());
            ctx.out().flush();
            return ExitCodes.OK;
        } catch (UsageException e) {
            return fail(ExitCodes.USAGE, e.getMessage(), e);
        } catch (GalleyConnectionException e) {
            return fail(ExitCodes.ERROR, e.getMessage() + " (use --no-verify to save anyway)", e);
        } catch (GalleyApiException e) {
            return fail(ExitCodes.ERROR, "the server refused the key: " + ClientCommand.describe(e), e);
        }
    }

    /**
     * Signs one cheap read. 401 means the key (or the clock) is wrong; 403 still proves the key is genuine, only
     * without permission to list jobs (e.g. a node's key), so it is accepted.
     */
    private static void verify(URI uri, ApiKeyPair key) {
        GalleyClient client = GalleyClient.builder(uri, key).requestTimeout(Duration.ofSeconds(15)).build();
        var response = client.send("GET", "/v1/jobs?limit=1", null, null);
        if (response.isSuccess() || response.status() == 403) return;
        throw new GalleyApiException(response);
    }

    private static URI parseUrl(String text) {
        try {
            URI uri = new URI(text);
            GalleyClient.builder(uri, new ApiKeyPair("pk_x", "sk_x")); // the SDK's own URL checks
            return uri;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new UsageException("--url '" + text + "' is not usable: " + e.getMessage());
        }
    }

    private int fail(int code, String message, Exception e) {
        ctx.err().println("galley login: " + message);
        if (debug) e.printStackTrace(ctx.err());
        ctx.err().flush();
        return code;
    }
}
