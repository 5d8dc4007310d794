package dev.galley.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP response as received. Header names are case-insensitive ({@code headers().get("x-request-id")}
 * works). The body is kept as bytes: log downloads are not JSON.
 */
public record ApiResponse(int status, Map<String, List<String>> headers, byte[] body) {
    public ApiResponse {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The body parsed as JSON; {@link MissingNode} when the body is empty (204, DELETE).
     *
     * @throws IllegalStateException when the body is not JSON (e.g. an HTML page from a proxy)
     */
    public JsonNode json() {
        if (body.length == 0) return MissingNode.getInstance();
        try {
            return GalleyClient.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the response body (HTTP " + status + ") is not JSON: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("the response body could not be read as JSON", e);
        }
    }

    /** The first value of a header, if present. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
