package dev.galley.node.agent;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent writes on each container besides the runtime's own {@code galley.*} labels, so that a
 * restarted agent can supervise a container it did not start: the job's {@code allowed_ips} (to rebuild
 * the port proxies), and its task and run timeout (to keep enforcing the timeout). Nothing secret goes
 * here: labels are visible to every local user who can run {@code inspect}.
 */
final class ContainerLabels {
    static final String JOB_UUID = "dev.galley.job_uuid";
    static final String TASK = "dev.galley.task";
    static final String MAX_TIMEOUT_RUN_MS = "dev.galley.max_timeout_run_ms";
    static final String ALLOWED_IPS = "dev.galley.allowed_ips";

    private ContainerLabels() {}

    static Map<String, String> of(String jobUuid, String task, Long maxTimeoutRunMs, List<String> allowedIps) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (jobUuid != null) labels.put(JOB_UUID, jobUuid);
        if (task != null) labels.put(TASK, task);
        if (maxTimeoutRunMs != null) labels.put(MAX_TIMEOUT_RUN_MS, Long.toString(maxTimeoutRunMs));
        labels.put(ALLOWED_IPS, String.join(",", allowedIps));
        return labels;
    }

    static List<String> allowedIps(Map<String, String> labels) {
        String value = labels.getOrDefault(ALLOWED_IPS, "");
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The run timeout to keep enforcing, or null for PERSISTENT jobs and containers without the label. */
    static Long batchTimeoutMs(Map<String, String> labels) {
        if (!"BATCH".equals(labels.get(TASK))) return null;
        try {
            String value = labels.get(MAX_TIMEOUT_RUN_MS);
            return value == null ? null : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
