package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiKeyPair;
import dev.galley.client.ApiResponse;
import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyClient;
import dev.galley.client.GalleyConnectionException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code galley api METHOD PATH}: one signed raw request, like curl with the signing done for you. Meant for
 * scripts and for trying endpoints the typed commands do not cover yet.
 *
 * <p>Exit codes: 0 for a 2xx answer, 1 for any other answer or when the server cannot be reached, 2 for
 * usage or configuration errors (picocli's own usage errors are 2 as well). Errors are one line on stderr,
 * never a stack trace.
 *
 * <p>The root command must call {@code CommandLine.setExpandAtFiles(false)}: picocli's own {@code @file}
 * argument expansion would otherwise replace {@code --data @job.json} with the file's words before this
 * command sees it. ({@code --data=@job.json} is immune either way.)
 */
@Command(name = "api",
        description = {"Send one signed request to the Galley API and print the response body.",
                "Configured by GALLEY_URL (default http://localhost:8080) and GALLEY_API_KEY=pk_…:sk_…."},
        footer = {"", "Examples:",
                "  galley api GET '/v1/jobs?filter[status]=RUNNING'",
                "  galley api POST /v1/jobs --data @job.json",
                "  echo '{}' | galley api POST /v1/job-recipes/UUID/cook --data @- -H 'Idempotency-Key: k1'"})
public final class ApiCommand extends CliCommand {

    @Parameters(index = "0", paramLabel = "METHOD", description = "GET, POST, PUT, PATCH or DELETE")
    String method;

    @Parameters(index = "1", paramLabel = "PATH", description = "path and query, e.g. /v1/jobs?page=2")
    String path;

    @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE|@-",
            description = "request body: JSON text, @file to read a file, @- to read standard input")
    String data;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", description = "extra request header (repeatable)")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-i", "--include"}, description = "print the status line and response headers first")
    boolean include;

    @Option(names = "--url", paramLabel = "URL", description = "server URL (overrides GALLEY_URL)")
    String url;

    @Option(names = "--api-key", paramLabel = "PK:SK",
            description = "API key as pk_…:sk_… (overrides GALLEY_API_KEY; visible to other users in the process list)")
    String apiKey;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;

    @Override
    public Integer call() {
        try {
            ApiKeyPair key = keyPair();
            GalleyClient client = client(key);
            byte[] body = requestBody();
            Map<String, String> extra = extraHeaders();
            ApiResponse response = client.send(method, path, body, extra);
            print(response);
            if (response.isSuccess()) return ExitCodes.OK;
            ctx.err().println("galley api: " + new GalleyApiException(response).getMessage());
            return ExitCodes.ERROR;
        } catch (UsageException e) {
            ctx.err().println("galley api: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (GalleyConnectionException e) {
            ctx.err().println("galley api: " + e.getMessage() + "; check GALLEY_URL or --url");
            return ExitCodes.ERROR;
        } catch (IllegalArgumentException e) {
            // Bad method, path or header, rejected while building the request.
            ctx.err().println("galley api: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (RuntimeException e) {
            ctx.err().println("galley api: unexpected error: " + e);
            return ExitCodes.ERROR;
        }
    }

    private GalleyClient client(ApiKeyPair key) {
        Map<String, String> env = ctx.env();
        String source = url != null ? "--url" : env.containsKey("GALLEY_URL") ? "GALLEY_URL" : "the default URL";
        String text = (url != null ? url : env.getOrDefault("GALLEY_URL", ClientOptions.DEFAULT_URL)).strip();
        try {
            return new GalleyClient(new URI(text), key);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new UsageException(source + " '" + text + "' is not usable: " + e.getMessage());
        }
    }

    private ApiKeyPair keyPair() {
        String text = apiKey != null ? apiKey : ctx.env().get("GALLEY_API_KEY");
        if (text == null || text.isBlank()) {
            throw new UsageException("GALLEY_API_KEY is not set; export GALLEY_API_KEY=pk_…:sk_… (your public and"
                    + " secret key joined by ':') or pass --api-key");
        }
        try {
            return ApiKeyPair.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException((apiKey != null ? "--api-key" : "GALLEY_API_KEY") + ": " + e.getMessage());
        }
    }

    private byte[] requestBody() {
        if (data == null) return null;
        if (!data.startsWith("@")) return data.getBytes(StandardCharsets.UTF_8);
        String source = data.substring(1);
        if (source.isEmpty()) throw new UsageException("--data @ needs a file name, or @- for standard input");
        try {
            return source.equals("-") ? ctx.in().readAllBytes() : Files.readAllBytes(Path.of(source));
        } catch (IOException | InvalidPathException e) {
            throw new UsageException("cannot read the --data file '" + source + "': " + e.getMessage());
        }
    }

    private Map<String, String> extraHeaders() {
        Map<String, String> extra = new LinkedHashMap<>();
        for (String header : headers) {
            int colon = header.indexOf(':');
            String name = colon < 0 ? "" : header.substring(0, colon).strip();
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new UsageException("bad header '" + header + "': expected 'Name: value'");
            }
            extra.put(name, header.substring(colon + 1).strip());
        }
        return extra;
    }

    private void print(ApiResponse response) {
        PrintStream out = ctx.out();
        if (include) {
            out.println("HTTP/1.1 " + response.status());
            response.headers().forEach((name, values) -> values.forEach(v -> out.println(name + ": " + v)));
            out.println();
        }
        if (response.body().length == 0) return;
        try {
            JsonNode json = JsonPrinter.MAPPER.readTree(response.body());
            if (json != null && !json.isMissingNode()) out.println(JsonPrinter.pretty(json));
            else out.write(response.body(), 0, response.body().length);
        } catch (IOException notJson) {
            out.write(response.body(), 0, response.body().length);
        }
        out.flush();
    }
}
