package dev.galley.server.it;

/** Object mother for recipe and job bodies used across the integration tests. */
public final class Recipes {
    private Recipes() {}

    public static String batchPayload() {
        return """
                {"title":"render frames","task":"BATCH","cpu_count":2,"min_ram_gb":4,"max_timeout_run_ms":600000,
                 "parameters":{"type":"docker","parameters":{"image":"localhost/galley-test/busybox","tag":"1",
                   "host":"registry.example.com","user":"bob","secret":"hunter2",
                   "env":{"MODE":"slow","KEEP":"yes"},"ports":[8080]}}}""";
    }

    public static String recipe(String name, String visibility) {
        return "{\"name\":\"" + name + "\",\"visibility\":\"" + visibility + "\",\"payload\":" + batchPayload() + "}";
    }

    public static String job() {
        return batchPayload();
    }
}
