package dev.galley.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads and writes recipe files: YAML ({@code .yaml}, {@code .yml}, and anything else, since YAML also reads
 * JSON) or JSON ({@code .json}, parsed strictly so its errors point at the JSON). {@code -} is standard input.
 */
final class RecipeFiles {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private RecipeFiles() {}

    static JsonNode read(String source, InputStream stdin) {
        byte[] bytes;
        try {
            bytes = source.equals("-") ? stdin.readAllBytes() : Files.readAllBytes(Path.of(source));
        } catch (IOException | InvalidPathException e) {
            throw new UsageException("cannot read '" + source + "': " + e.getMessage());
        }
        boolean json = source.toLowerCase(Locale.ROOT).endsWith(".json");
        try {
            JsonNode node = (json ? JsonPrinter.MAPPER : YAML).readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new UsageException("'" + source + "' must hold one " + (json ? "JSON" : "YAML") + " object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new UsageException("'" + source + "' is not valid " + (json ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage() + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new UsageException("cannot read '" + source + "': " + e.getMessage());
        }
    }

    static String toYaml(JsonNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
