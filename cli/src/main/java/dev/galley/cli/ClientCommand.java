package dev.galley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.galley.client.ApiObject;
import dev.galley.client.Galley;
import dev.galley.client.GalleyApiException;
import dev.galley.client.GalleyConnectionException;
import dev.galley.client.JobWaitTimeoutException;
import dev.galley.client.Page;
import dev.galley.core.error.FieldError;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Mixin;

/**
 * The base of every consumer command that talks to the API: connects with {@link ClientOptions}, runs
 * {@link #run(Galley)}, and turns every failure into a one-line message (plus the API's field errors) and an
 * exit code from {@link ExitCodes}. A Java stack trace appears only with {@code --debug}.
 */
public abstract class ClientCommand extends CliCommand {
    @Mixin
    protected ClientOptions options = new ClientOptions();

    /** Does the work; returns the exit code. */
    protected abstract int run(Galley galley);

    @Override
    public final Integer call() {
        try {
            return run(connect());
        } catch (UsageException e) {
            return fail(ExitCodes.USAGE, e.getMessage(), e);
        } catch (CommandFailure e) {
            return fail(e.exitCode(), e.getMessage(), e);
        } catch (GalleyApiException e) {
            ctx.err().println("galley: " + describe(e));
            for (FieldError error : e.errors()) ctx.err().println("  " + error.field() + ": " + error.message());
            if (e.requestId() != null) ctx.err().println("  (request id " + e.requestId() + ")");
            debugTrace(e);
            return ExitCodes.ERROR;
        } catch (GalleyConnectionException e) {
            return fail(ExitCodes.ERROR, e.getMessage() + "; check --url, GALLEY_URL or your profile", e);
        } catch (JobWaitTimeoutException e) {
            return fail(ExitCodes.WAIT_TIMEOUT, e.getMessage(), e);
        } catch (RuntimeException e) {
            return fail(ExitCodes.ERROR, "unexpected error: " + e + (options.debug() ? "" : " (run with --debug for details)"), e);
        }
    }

    /** The SDK for this invocation; overridable so a command that needs no server (none yet) could skip it. */
    protected Galley connect() {
        return options.connect(ctx);
    }

    private int fail(int code, String message, Throwable e) {
        ctx.err().println("galley: " + message);
        debugTrace(e);
        return code;
    }

    private void debugTrace(Throwable e) {
        if (options.debug()) e.printStackTrace(ctx.err());
        ctx.err().flush();
    }

    /** {@code not_found: no such job} — the API's type and message, or the HTTP status when the body had none. */
    static String describe(GalleyApiException e) {
        if (e.apiMessage() == null) return e.getMessage();
        return (e.type() == null ? "HTTP " + e.status() : e.type()) + ": " + e.apiMessage();
    }

    // ---- output helpers -------------------------------------------------------------------------------------

    /** One object: pretty JSON with --json, its id with --quiet, else the given table. */
    protected void printOne(JsonNode object, Table table) {
        if (options.json()) ctx.out().println(JsonPrinter.pretty(object));
        else if (options.quiet()) ctx.out().println(object.path("uuid").asText());
        else table.print(ctx.out());
        ctx.out().flush();
    }

    /** One object in full: pretty JSON with --json, its id with --quiet, else every field as a line. */
    protected void printDetail(JsonNode object, Set<String> skip) {
        printDetail(object, skip, Map.of());
    }

    /** As {@link #printDetail(JsonNode, Set)}, the human lines of the fields in {@code units} with that unit after the value. */
    protected void printDetail(JsonNode object, Set<String> skip, Map<String, String> units) {
        if (options.json()) ctx.out().println(JsonPrinter.pretty(object));
        else if (options.quiet()) ctx.out().println(object.path("uuid").asText());
        else DetailView.print(ctx.out(), object, skip, units);
        ctx.out().flush();
    }

    /**
     * A list: the envelope exactly as received with --json, ids with --quiet, else a table with a hint on
     * stderr (so pipes see only rows) when more pages exist.
     */
    protected void printPage(Page<? extends ApiObject> page, Table table, Function<JsonNode, Object[]> row) {
        if (options.json()) {
            ctx.out().println(JsonPrinter.pretty(page.json()));
        } else if (options.quiet()) {
            for (ApiObject item : page.data()) ctx.out().println(item.json().path("uuid").asText());
        } else {
            for (ApiObject item : page.data()) table.row(row.apply(item.json()));
            if (table.isEmpty() && page.page() == 1) {
                ctx.err().println("(none)");
            } else {
                table.print(ctx.out());
            }
            if (page.hasMore()) {
                ctx.err().println("showing page " + page.page() + " (" + page.data().size() + " of " + page.total()
                        + "); --page " + (page.page() + 1) + " for more");
            }
        }
        ctx.out().flush();
        ctx.err().flush();
    }
}
