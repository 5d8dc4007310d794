package dev.galley.core.auth;

import static dev.galley.core.auth.Permission.Action.CREATE;
import static dev.galley.core.auth.Permission.Action.DELETE;
import static dev.galley.core.auth.Permission.Action.READ;
import static dev.galley.core.auth.Permission.Action.UPDATE;
import static dev.galley.core.auth.Permission.Resource.API_KEYS;
import static dev.galley.core.auth.Permission.Resource.EPOCHS;
import static dev.galley.core.auth.Permission.Resource.GPU_REGISTRY;
import static dev.galley.core.auth.Permission.Resource.JOBS;
import static dev.galley.core.auth.Permission.Resource.JOB_RECIPES;
import static dev.galley.core.auth.Permission.Resource.JOB_RUNS;
import static dev.galley.core.auth.Permission.Resource.LEDGER;
import static dev.galley.core.auth.Permission.Resource.NODES;
import static dev.galley.core.auth.Permission.Resource.PRICES;
import static dev.galley.core.auth.Permission.Resource.USAGE;
import static dev.galley.core.auth.Scope.ALL;
import static dev.galley.core.auth.Scope.OWN;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Named permission bundles accepted in a key's {@code permissions} (spec §2.2). */
public enum PermissionPreset {
    /**
     * Dispersed's "Compute Node": what a node agent needs (registration counts as {@code nodes.update.own}), and its
     * provider's earnings ({@code ledger.read.own}).
     */
    COMPUTE_NODE("preset:compute_node", List.of(
            new Permission(NODES, READ, OWN), new Permission(NODES, UPDATE, OWN), new Permission(JOBS, READ, OWN),
            new Permission(JOB_RUNS, READ, OWN), new Permission(JOB_RUNS, UPDATE, OWN),
            new Permission(LEDGER, READ, OWN),
            // Its provider sees its compute epochs and its own nodes' rewards (spec §10).
            new Permission(EPOCHS, READ, OWN))),
    /** What a consumer needs to keep recipes, cook and watch jobs, manage its own keys, and see what it costs. */
    COMPUTE_CONSUMER("preset:compute_consumer", List.of(
            new Permission(JOB_RECIPES, READ, OWN), new Permission(JOB_RECIPES, CREATE, OWN),
            new Permission(JOB_RECIPES, UPDATE, OWN), new Permission(JOB_RECIPES, DELETE, OWN),
            new Permission(JOBS, READ, OWN), new Permission(JOBS, CREATE, OWN), new Permission(JOBS, UPDATE, OWN),
            new Permission(JOB_RUNS, READ, OWN), new Permission(GPU_REGISTRY, READ, ALL),
            new Permission(API_KEYS, READ, OWN), new Permission(API_KEYS, CREATE, OWN),
            new Permission(API_KEYS, DELETE, OWN),
            new Permission(USAGE, READ, OWN), new Permission(LEDGER, READ, OWN), new Permission(PRICES, READ, ALL)));

    private final String wire;
    private final List<Permission> permissions;

    PermissionPreset(String wire, List<Permission> permissions) {
        this.wire = wire;
        this.permissions = permissions;
    }

    /** The name as written in a request, e.g. {@code preset:compute_consumer}. */
    public String wire() {
        return wire;
    }

    public List<Permission> permissions() {
        return permissions;
    }

    public static Optional<PermissionPreset> fromWire(String name) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(name)).findFirst();
    }
}
