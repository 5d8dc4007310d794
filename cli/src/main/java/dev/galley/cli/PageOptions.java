package dev.galley.cli;

import dev.galley.client.ListQuery;
import picocli.CommandLine.Option;

/** {@code --page} and {@code --limit} for list commands. */
public final class PageOptions {
    @Option(names = "--page", paramLabel = "N", description = "page to show, from 1 (default 1)")
    Integer page;

    @Option(names = "--limit", paramLabel = "N", description = "items per page, 1..50 (default 20)")
    Integer limit;

    ListQuery query() {
        ListQuery query = ListQuery.defaults();
        try {
            if (page != null) query = query.page(page);
            if (limit != null) query = query.limit(limit);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--page and --limit must be >= 1");
        }
        return query;
    }
}
