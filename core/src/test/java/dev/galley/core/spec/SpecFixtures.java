package dev.galley.core.spec;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.galley.core.error.FieldError;
import dev.galley.core.error.ValidationException;
import dev.galley.core.gpu.GpuCatalog;
import dev.galley.core.gpu.GpuModel;
import java.util.List;
import java.util.UUID;

/** Object mothers and assertion helpers shared by the spec and cook tests. */
public final class SpecFixtures {
    public static final UUID A100_UUID = UUID.fromString("3c90c3cc-0d44-4b50-8888-8dd25736052a");
    public static final UUID RTX4090_UUID = UUID.fromString("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d");
    /** A real-shaped ed25519 public key line (type word matches the blob). */
    public static final String ED25519_KEY =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop";

    private SpecFixtures() {}

    public static GpuCatalog catalog() {
        return new GpuCatalog(List.of(
                new GpuModel(A100_UUID, "NVIDIA A100 80GB", "NVIDIA", 80, List.of("A100", "A100-80GB")),
                new GpuModel(RTX4090_UUID, "NVIDIA GeForce RTX 4090", "NVIDIA", 24, List.of("RTX 4090"))));
    }

    /** A minimal valid BATCH spec; tests change the one field they are about. */
    public static ObjectNode batchSpec() {
        return (ObjectNode) Json.parse("""
                {"title": "train", "task": "BATCH", "max_timeout_run_ms": 3600000,
                 "parameters": {"parameters": {"image": "ubuntu"}}}""");
    }

    public static ObjectNode persistentSpec() {
        return (ObjectNode) Json.parse("""
                {"title": "notebook", "task": "PERSISTENT",
                 "parameters": {"type": "docker", "parameters": {"image": "jupyter/base-notebook", "ports": [8888]}}}""");
    }

    public static ObjectNode container(ObjectNode spec) {
        return (ObjectNode) spec.get("parameters").get("parameters");
    }

    public static JsonNode json(String text) {
        return Json.parse(text);
    }

    /** Runs {@code action}, which must fail validation, and returns its errors. */
    public static List<FieldError> errorsOf(Runnable action) {
        try {
            action.run();
        } catch (ValidationException e) {
            return e.errors();
        }
        return fail("expected a ValidationException");
    }
}
