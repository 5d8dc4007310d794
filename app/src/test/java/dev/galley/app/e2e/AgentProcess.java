package dev.galley.app.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real `galley node` in its own JVM (the test classpath's Main), so a test can kill it like a crashed
 * machine (SIGKILL) or restart it, while its containers keep running under podman.
 */
final class AgentProcess implements AutoCloseable {
    private final Process process;
    final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static AgentProcess start(String serverUrl, String nodeKey, String name, String region, Path workDir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.galley.app.Main", "node",
                "--server", serverUrl, "--api-key", nodeKey, "--region", region, "--name", name,
                "--work-dir", workDir.toString(), "--public-host", "127.0.0.1", "--bind", "127.0.0.1",
                "--heartbeat-ms", "500", "--runtime", "podman"));
        Path log = workDir.resolve("agent-" + System.nanoTime() + ".log");
        workDir.toFile().mkdirs();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AgentProcess(p, log);
    }

    /** Like pulling the plug: no shutdown hooks, no goodbye to the server. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String output() {
        try {
            return java.nio.file.Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
    }

}
