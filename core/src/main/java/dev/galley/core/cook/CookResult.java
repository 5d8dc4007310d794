package dev.galley.core.cook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * A cooked job spec: normalized and valid, with real secret values in it, plus the JSON Pointers of every value
 * that must be masked when the job is shown (see {@link dev.galley.core.spec.Secrets}).
 */
public record CookResult(ObjectNode spec, Set<String> secretPointers) {
    public CookResult {
        secretPointers = Set.copyOf(secretPointers);
    }
}
