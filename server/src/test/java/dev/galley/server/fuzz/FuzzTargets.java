package dev.galley.server.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The real objects a fuzz case may aim at: the fuzzing tenant's own (a recipe, a job, a node with a RUNNING run,
 * keys) and another tenant's, which no request of the fuzzing tenant may ever change.
 *
 * @param nodeName  the name the node registered under (registering it again updates it)
 * @param gpuName   a GPU model only this node has, so a job asking for it can only land there
 * @param usedNonce a nonce the fuzzing tenant's consumer key has already used
 */
record FuzzTargets(UUID account, UUID recipe, UUID recipeToDelete, UUID job, UUID jobToCancel, UUID node, UUID run,
                   UUID apiKeyToRevoke, String nodeName, String gpuName, String usedNonce,
                   UUID foreignAccount, UUID foreignRecipe, UUID foreignJob, UUID foreignNode, UUID foreignRun, UUID foreignApiKey) {

    /** What a write endpoint's {@code {uuid}} names. */
    enum Kind { NONE, API_KEY, RECIPE, RECIPE_TO_DELETE, JOB_TO_CANCEL, NODE, RUN }

    UUID ours(Kind kind) {
        return switch (kind) {
            case NONE -> null;
            case API_KEY -> apiKeyToRevoke;
            case RECIPE -> recipe;
            case RECIPE_TO_DELETE -> recipeToDelete;
            case JOB_TO_CANCEL -> jobToCancel;
            case NODE -> node;
            case RUN -> run;
        };
    }

    UUID foreign(Kind kind) {
        return switch (kind) {
            case NONE -> null;
            case API_KEY -> foreignApiKey;
            case RECIPE, RECIPE_TO_DELETE -> foreignRecipe;
            case JOB_TO_CANCEL -> foreignJob;
            case NODE -> foreignNode;
            case RUN -> foreignRun;
        };
    }

    /** Ids of the fuzzing tenant's objects of every kind (to put one where another kind belongs). */
    List<UUID> allOurs() {
        return List.of(account, recipe, recipeToDelete, job, jobToCancel, node, run, apiKeyToRevoke);
    }

    List<UUID> allForeign() {
        return List.of(foreignAccount, foreignRecipe, foreignJob, foreignNode, foreignRun, foreignApiKey);
    }

    /** Valid values of the API's fields, to put where other fields (or other tenants' ids) belong. */
    List<String> vocabulary() {
        List<String> words = new ArrayList<>(List.of(
                "BATCH", "PERSISTENT", "PRIVATE", "PUBLIC", "ARCHIVED", "PENDING", "ASSIGNED", "PREPARING", "RUNNING",
                "COMPLETED", "FAILED", "CANCELLING", "CANCELLED", "ONLINE", "OFFLINE", "DRAINING", "docker",
                "string", "number", "boolean", "select", "secret", "EXIT_NONZERO", "NODE_LOST", "IMAGE_PULL_FAILED",
                "CANCELLED_BY_USER", "stop_run", "eu-west-1", "af-south-1", "us-east-1", "jobs.read.own",
                "preset:compute_consumer", "preset:compute_node", "*", "api_keys.create.all", "nodes.update.all",
                "RTX 4090", "NVIDIA GeForce RTX 4090", gpuName, nodeName, "ghcr.io/org/app", "latest", "127.0.0.1",
                "10.0.0.0/8", "/data", "who", "size", "s", "********", "2030-01-01T00:00:00Z", "1970-01-01T00:00:00Z"));
        allOurs().forEach(u -> words.add(u.toString()));
        allForeign().forEach(u -> words.add(u.toString()));
        return words;
    }
}
