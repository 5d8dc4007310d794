package dev.galley.core.auth;

import java.util.Arrays;
import java.util.Optional;

/** One granted capability, {@code <resource>.<action>.<scope>} (spec §2.2), e.g. {@code jobs.read.own}. */
public record Permission(Resource resource, Action action, Scope scope) {
    /** The resources permissions are about. */
    public enum Resource {
        ACCOUNTS("accounts"), API_KEYS("api_keys"), JOB_RECIPES("job_recipes"), JOBS("jobs"), JOB_RUNS("job_runs"),
        NODES("nodes"), GPU_REGISTRY("gpu_registry"),
        /** Usage records (spec §9): {@code usage.read.own} is the caller's account's usage as a consumer. */
        USAGE("usage"),
        /** Ledger transactions and balances; {@code ledger.create.all} posts credit grants and adjustments. */
        LEDGER("ledger"),
        /** The rate card; {@code prices.create.all} adds a price version. */
        PRICES("prices"),
        /** Compute epochs and their rewards (spec §10); {@code epochs.read.own} is the caller's account's nodes' rewards. */
        EPOCHS("epochs");

        private final String wire;

        Resource(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Optional<Resource> fromWire(String name) {
            return Arrays.stream(values()).filter(r -> r.wire.equals(name)).findFirst();
        }
    }

    /** What may be done to a resource. Cancelling a job is {@code jobs.update}. */
    public enum Action {
        READ("read"), CREATE("create"), UPDATE("update"), DELETE("delete");

        private final String wire;

        Action(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Optional<Action> fromWire(String name) {
            return Arrays.stream(values()).filter(a -> a.wire.equals(name)).findFirst();
        }
    }

    public Permission {
        if (resource == null || action == null || scope == null) {
            throw new IllegalArgumentException("resource, action and scope are required");
        }
    }

    /** Parses one exact permission string (no wildcards, no presets); empty when it is not one. */
    public static Optional<Permission> parse(String text) {
        if (text == null) return Optional.empty();
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3) return Optional.empty();
        Optional<Resource> resource = Resource.fromWire(parts[0]);
        Optional<Action> action = Action.fromWire(parts[1]);
        Optional<Scope> scope = Arrays.stream(Scope.values()).filter(s -> s.wire().equals(parts[2])).findFirst();
        if (resource.isEmpty() || action.isEmpty() || scope.isEmpty()) return Optional.empty();
        return Optional.of(new Permission(resource.get(), action.get(), scope.get()));
    }

    /** The wire form, e.g. {@code jobs.read.own}. */
    @Override
    public String toString() {
        return resource.wire() + "." + action.wire() + "." + scope.wire();
    }
}
