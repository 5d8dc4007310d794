package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Usage totals per day, job or GPU model, for charts; {@link #json()} is the whole answer. */
public record UsageSummary(JsonNode json) {
    /** One group: its key (a UTC day, a job uuid, a GPU name; null for CPU-only usage) and its totals. */
    public record Group(String key, long seconds, BigDecimal amount, long records) {}

    public UsageSummary {
        Objects.requireNonNull(json, "json");
    }

    public String groupBy() {
        return JsonText.text(json, "group_by");
    }

    public String currency() {
        return JsonText.text(json, "currency");
    }

    public List<Group> groups() {
        List<Group> out = new ArrayList<>();
        for (JsonNode g : json.path("data")) out.add(group(g));
        return out;
    }

    /** The totals over every matching record, also when the groups were cut at the limit. */
    public Group totals() {
        return group(json.path("totals"));
    }

    /** More groups exist than were asked for. */
    public boolean truncated() {
        return json.path("truncated").asBoolean();
    }

    private static Group group(JsonNode g) {
        return new Group(JsonText.text(g, "key"), g.path("seconds").asLong(), Money.read(g, "amount"), g.path("records").asLong());
    }
}
