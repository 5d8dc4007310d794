package dev.galley.server.accounts;

import java.time.Instant;
import java.util.UUID;

public record AccountRow(UUID uuid, String name, Instant createdAt, Instant updatedAt) {}
