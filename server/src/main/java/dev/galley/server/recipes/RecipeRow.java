package dev.galley.server.recipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;

/**
 * A job recipe as stored: payload with secrets masked, the real values sealed in {@code secrets}.
 * {@code shareCredentials}: the owner lets jobs other accounts cook from it carry its registry credentials.
 */
public record RecipeRow(
        UUID uuid,
        UUID accountUuid,
        String name,
        String description,
        String visibility,
        ObjectNode payload,
        byte[] secrets,
        JsonNode inputSchema,
        String quickstartMd,
        String thumbnailUrl,
        boolean official,
        UUID forkedFromRecipeUuid,
        Instant createdAt,
        Instant updatedAt,
        Instant lastUsedAt,
        boolean shareCredentials) {

    public boolean isArchived() {
        return "ARCHIVED".equals(visibility);
    }

    public boolean isPublic() {
        return "PUBLIC".equals(visibility);
    }
}
