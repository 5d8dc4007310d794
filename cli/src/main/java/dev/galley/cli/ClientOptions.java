package dev.galley.cli;

import dev.galley.client.ApiKeyPair;
import dev.galley.client.Galley;
import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine.Option;

/**
 * The options every consumer command shares: where to connect, with which key, and how to print.
 *
 * <p>Where the URL and key come from, first match wins: {@code --url} / {@code --api-key}; the profile named by
 * {@code --profile} (an explicit choice beats the environment); {@code GALLEY_URL} / {@code GALLEY_API_KEY};
 * the profile named by {@code GALLEY_PROFILE}, else the default profile of the config file; and for the URL
 * finally {@code http://localhost:8080}.
 */
public final class ClientOptions {
    static final String DEFAULT_URL = "http://localhost:8080";

    @Option(names = "--url", paramLabel = "URL", description = "server URL (default: profile, GALLEY_URL, " + DEFAULT_URL + ")")
    String url;

    @Option(names = "--api-key", paramLabel = "PK:SK",
            description = "API key pk_…:sk_… (default: profile or GALLEY_API_KEY; visible in the process list)")
    String apiKey;

    @Option(names = "--profile", paramLabel = "NAME", description = "saved profile to use (see galley login)")
    String profile;

    @Option(names = "--json", description = "print the API's JSON objects unchanged")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "print only ids")
    boolean quiet;

    @Option(names = "--debug", description = "show stack traces and retries")
    boolean debug;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    public boolean json() {
        return json;
    }

    public boolean quiet() {
        return quiet;
    }

    public boolean debug() {
        return debug;
    }

    /** The server URL and key these options, the environment and the profile file resolve to. */
    public record Settings(URI url, ApiKeyPair key, String source) {}

    public Settings resolve(CliContext ctx) {
        ProfileStore store = new ProfileStore(ctx.configFile());
        String profileName = profile != null ? profile : ctx.env().get("GALLEY_PROFILE");
        Profile saved;
        if (profileName != null) {
            saved = store.find(profileName).orElseThrow(() -> new UsageException("there is no profile '" + profileName
                    + "' in " + store.file() + "; create it with galley login --profile " + profileName + " --url URL --api-key PK:SK"));
        } else {
            saved = store.find(store.defaultProfileName()).orElse(null);
        }
        boolean profileFirst = profile != null; // --profile on the command line beats the environment
        String urlText = firstNonBlank(url, profileFirst ? field(saved, true) : null, ctx.env().get("GALLEY_URL"),
                field(saved, true), DEFAULT_URL);
        String keyText = firstNonBlank(apiKey, profileFirst ? field(saved, false) : null, ctx.env().get("GALLEY_API_KEY"),
                field(saved, false));
        if (keyText == null) {
            throw new UsageException("no API key: run galley login --url URL --api-key pk_…:sk_…, or export"
                    + " GALLEY_API_KEY=pk_…:sk_…, or pass --api-key");
        }
        ApiKeyPair key;
        try {
            key = ApiKeyPair.parse(keyText);
        } catch (IllegalArgumentException e) {
            throw new UsageException("the API key is not usable: " + e.getMessage());
        }
        URI uri;
        try {
            uri = new URI(urlText.strip());
        } catch (URISyntaxException e) {
            throw new UsageException("the server URL '" + urlText + "' is not a URL: " + e.getMessage());
        }
        return new Settings(uri, key, saved == null ? "environment" : "profile");
    }

    /** A connected SDK for these settings. */
    public Galley connect(CliContext ctx) {
        Settings settings = resolve(ctx);
        try {
            return Galley.connect(settings.url(), settings.key());
        } catch (IllegalArgumentException e) {
            throw new UsageException("the server URL '" + settings.url() + "' is not usable: " + e.getMessage());
        }
    }

    private static String field(Profile profile, boolean url) {
        if (profile == null) return null;
        return url ? profile.url() : profile.apiKey();
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }
}
