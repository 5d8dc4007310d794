package dev.galley.core.auth;

import dev.galley.core.auth.Permission.Action;
import dev.galley.core.auth.Permission.Resource;
import dev.galley.core.error.FieldErrors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The permissions of one API key (spec §2.2).
 *
 * <p>Accepted strings: {@code *} (everything), a preset ({@code preset:compute_consumer},
 * {@code preset:compute_node}), or {@code <resource>.<action>.<scope>}. As an extension, {@code *} may stand
 * for the resource or the action ({@code accounts.*.all}, the notation the spec itself uses, or
 * {@code *.read.all}); the scope must be spelled out.
 *
 * <p>Presets and wildcards are expanded when the set is parsed, and the expanded list is what is stored and
 * returned ({@link #asStrings}): a key keeps exactly the rights it was given even if a preset's definition
 * changes in a later release, and a client reading the key sees what it can actually do.
 */
public final class PermissionSet {
    private static final String EVERYTHING = "*";

    private final boolean everything;
    private final Set<Permission> granted;
    /** The wire strings in the order first given, kept for {@link #asStrings}. */
    private final List<String> ordered;

    private PermissionSet(boolean everything, Set<Permission> granted) {
        this.everything = everything;
        this.granted = everything ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(granted));
        this.ordered = everything ? List.of(EVERYTHING)
                : granted.stream().map(Permission::toString).toList();
    }

    /** The set granting everything ({@code *}), e.g. for the bootstrap operator key. */
    public static PermissionSet everything() {
        return new PermissionSet(true, Set.of());
    }

    public static PermissionSet of(Collection<Permission> permissions) {
        return new PermissionSet(false, new LinkedHashSet<>(permissions));
    }

    /**
     * Parses a request's {@code permissions} array. Every bad entry is reported, each at
     * {@code permissions[i]}; a null or empty list is reported at {@code permissions}.
     *
     * @throws dev.galley.core.error.ValidationException listing every bad entry
     */
    public static PermissionSet parse(List<String> raw) {
        FieldErrors errors = new FieldErrors();
        if (raw == null) {
            errors.add("permissions", "is required");
            errors.throwIfAny();
        }
        if (raw.isEmpty()) {
            errors.add("permissions", "must hold at least one permission, e.g. \"preset:compute_consumer\"");
        }
        boolean everything = false;
        // Insertion order keeps the list close to what the user wrote, duplicates dropped.
        Set<Permission> granted = new LinkedHashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            String path = "permissions[" + i + "]";
            String text = raw.get(i);
            if (text == null) {
                errors.add(path, "must be a string");
            } else if (text.equals(EVERYTHING)) {
                everything = true;
            } else if (text.startsWith("preset:")) {
                Optional<PermissionPreset> preset = PermissionPreset.fromWire(text);
                if (preset.isPresent()) {
                    granted.addAll(preset.get().permissions());
                } else {
                    errors.add(path, "unknown preset '" + text + "'; known presets: " + Arrays.stream(
                            PermissionPreset.values()).map(PermissionPreset::wire).collect(Collectors.joining(", ")));
                }
            } else {
                expand(text).ifPresentOrElse(granted::addAll, () -> errors.add(path, problemWith(text)));
            }
        }
        errors.throwIfAny();
        return new PermissionSet(everything, granted);
    }

    /** True when this set grants {@code resource.action} at {@code scope}; {@code .all} implies {@code .own}. */
    public boolean allows(Resource resource, Action action, Scope scope) {
        if (everything) return true;
        if (granted.contains(new Permission(resource, action, scope))) return true;
        return scope == Scope.OWN && granted.contains(new Permission(resource, action, Scope.ALL));
    }

    /**
     * Whether a key holding this set may create a key holding {@code requested}: a key can never grant what
     * its creator lacks. {@code *} covers everything and is covered only by {@code *}; {@code x.all} covers
     * {@code x.own}.
     */
    public boolean covers(PermissionSet requested) {
        if (everything) return true;
        if (requested.everything) return false;
        return requested.granted.stream().allMatch(p -> allows(p.resource(), p.action(), p.scope()));
    }

    /** The permissions of {@code requested} this set does not cover, in wire form, for a 403 message. */
    public List<String> missingFrom(PermissionSet requested) {
        if (everything) return List.of();
        if (requested.everything) return List.of(EVERYTHING);
        return requested.granted.stream().filter(p -> !allows(p.resource(), p.action(), p.scope()))
                .map(Permission::toString).toList();
    }

    public boolean grantsEverything() {
        return everything;
    }

    /** The explicit permissions in the order first given (empty when the set is {@code *}). */
    public Set<Permission> permissions() {
        return granted;
    }

    /**
     * The normalized list to store and return: {@code ["*"]} when {@code *} was given (it subsumes the rest),
     * else every permission with presets and wildcards expanded, in the order first given, without duplicates.
     */
    public List<String> asStrings() {
        return ordered;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PermissionSet other && everything == other.everything && granted.equals(other.granted);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(everything) * 31 + granted.hashCode();
    }

    @Override
    public String toString() {
        return ordered.toString();
    }

    private static Optional<List<Permission>> expand(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3) return Optional.empty();
        List<Resource> resources = parts[0].equals(EVERYTHING) ? List.of(Resource.values())
                : Resource.fromWire(parts[0]).map(List::of).orElse(null);
        List<Action> actions = parts[1].equals(EVERYTHING) ? List.of(Action.values())
                : Action.fromWire(parts[1]).map(List::of).orElse(null);
        Optional<Scope> scope = Arrays.stream(Scope.values()).filter(s -> s.wire().equals(parts[2])).findFirst();
        if (resources == null || actions == null || scope.isEmpty()) return Optional.empty();
        List<Permission> out = new ArrayList<>();
        for (Resource r : resources) {
            for (Action a : actions) out.add(new Permission(r, a, scope.get()));
        }
        return Optional.of(out);
    }

    /** The most specific explanation of why {@code text} is not a permission. */
    private static String problemWith(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 3) {
            return "must be \"*\", a preset (preset:compute_consumer, preset:compute_node) or"
                    + " <resource>.<action>.<scope> such as \"jobs.read.own\"";
        }
        if (!parts[0].equals(EVERYTHING) && Resource.fromWire(parts[0]).isEmpty()) {
            return "unknown resource '" + parts[0] + "'; known: " + Arrays.stream(Resource.values())
                    .map(Resource::wire).collect(Collectors.joining(", "));
        }
        if (!parts[1].equals(EVERYTHING) && Action.fromWire(parts[1]).isEmpty()) {
            return "unknown action '" + parts[1] + "'; known: read, create, update, delete";
        }
        return "unknown scope '" + parts[2] + "'; known: own, all";
    }
}
