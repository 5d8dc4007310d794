package dev.galley.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The cook form as the cook request's body: input {@code k} is the form field {@code inputs.k}; the override
 * fields carry the job-spec names. An empty field means "not given" (the recipe's value or the input's default
 * stays). Values are passed on as typed as they can be; what cannot be typed goes as sent, so the API's own
 * validation names the field and the rule, and the form shows that message next to it.
 */
final class CookForm {
    static final List<String> INTEGER_OVERRIDES = List.of("cpu_count", "gpu_count", "max_retry_count", "max_timeout_run_ms");
    static final List<String> NUMBER_OVERRIDES = List.of("min_ram_gb", "min_vram_gb");
    static final List<String> TEXT_OVERRIDES = List.of("title", "gpu_name");

    private CookForm() {}

    /** @param inputSchema the recipe's {@code input_schema}; @param form the posted fields (one value each) */
    static ObjectNode body(JsonNode inputSchema, Map<String, String> form) {
        var f = JsonNodeFactory.instance;
        ObjectNode body = f.objectNode();
        ObjectNode inputs = f.objectNode();
        for (JsonNode field : inputSchema) {
            String key = field.path("key").asText();
            String type = field.path("type").asText();
            String raw = form.get("inputs." + key);
            if (type.equals("boolean")) {
                if (raw != null) inputs.put(key, raw.equals("true"));
                continue;
            }
            if (raw == null || raw.isEmpty()) continue;
            if (type.equals("number")) inputs.set(key, number(raw));
            else inputs.put(key, raw);
        }
        if (!inputs.isEmpty()) body.set("inputs", inputs);
        for (String name : TEXT_OVERRIDES) {
            String raw = form.get(name);
            if (raw != null && !raw.isBlank()) body.put(name, raw.strip());
        }
        for (String name : INTEGER_OVERRIDES) {
            String raw = form.get(name);
            if (raw != null && !raw.isBlank()) body.set(name, number(raw.strip()));
        }
        for (String name : NUMBER_OVERRIDES) {
            String raw = form.get(name);
            if (raw != null && !raw.isBlank()) body.set(name, number(raw.strip()));
        }
        String env = form.get("env");
        if (env != null && !env.isBlank()) {
            ObjectNode vars = f.objectNode();
            for (String line : env.replace("\r\n", "\n").split("\n")) {
                if (line.isBlank()) continue;
                int eq = line.indexOf('=');
                // A line without '=' goes as a name with an empty value: the API checks names and says what is wrong.
                if (eq < 0) vars.put(line.strip(), "");
                else vars.put(line.substring(0, eq).strip(), line.substring(eq + 1));
            }
            body.putObject("parameters").putObject("parameters").set("env", vars);
        }
        return body;
    }

    private static JsonNode number(String raw) {
        try {
            BigDecimal d = new BigDecimal(raw);
            return d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0
                    ? JsonNodeFactory.instance.numberNode(d.toBigIntegerExact())
                    : JsonNodeFactory.instance.numberNode(d);
        } catch (NumberFormatException | ArithmeticException e) {
            return JsonNodeFactory.instance.textNode(raw);
        }
    }
}
