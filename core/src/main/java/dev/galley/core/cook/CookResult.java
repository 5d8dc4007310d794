package dev.galley.core.cook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * A cooked job spec: normalized and valid, with real secret values in it, plus the JSON Pointers of every value
 * that must be masked when the job is shown (see {@link dev.galley.core.spec.Secrets}) and of the recipe's stored
 * registry credentials the job did not get (see {@link RegistryCredentials}).
 */
public record CookResult(ObjectNode spec, Set<String> secretPointers, Set<String> droppedCredentials) {
    public CookResult {
        secretPointers = Set.copyOf(secretPointers);
        droppedCredentials = Set.copyOf(droppedCredentials);
    }
}
