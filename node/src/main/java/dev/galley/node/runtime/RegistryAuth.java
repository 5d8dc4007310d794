package dev.galley.node.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Credentials for a private registry (the job's {@code host}, {@code user}, {@code secret}).
 *
 * <p>Decision: neither {@code login} nor podman's {@code --creds user:secret}. {@code --creds} puts the
 * secret in argv (readable in /proc by every local user), and {@code login} writes into the runtime's
 * shared credential store, where two runs pulling from the same host with different accounts would
 * race. Instead each pull gets its own throw-away auth file (mode 0600, deleted afterwards) in the
 * {@code {"auths": {host: {"auth": base64(user:secret)}}}} format both CLIs read: podman via
 * {@code pull --authfile FILE}, docker via {@code docker --config DIR pull}.
 *
 * <p>{@link #toString()} never shows the secret.
 */
public record RegistryAuth(String host, String user, String secret) {
    private static final String DOCKER_HUB = "docker.io";

    public RegistryAuth {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("registry host must not be blank");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(secret, "secret");
        host = host.strip();
    }

    /** The value of an auth file's {@code "auth"} field. */
    String basicAuthToken() {
        return Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** True for Docker Hub, which docker keys in its config as {@code https://index.docker.io/v1/}. */
    boolean isDockerHub() {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals(DOCKER_HUB) || h.equals("index.docker.io") || h.equals("registry-1.docker.io")
                || h.equals("https://index.docker.io/v1/");
    }

    /**
     * The registry host an image reference points at, by the same rule the CLIs use: the first path
     * component when it looks like a host (has a '.' or ':' or is {@code localhost}), else Docker Hub.
     */
    public static String registryHostOf(String imageRef) {
        int slash = imageRef.indexOf('/');
        if (slash > 0) {
            String first = imageRef.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) return first;
        }
        return DOCKER_HUB;
    }

    @Override
    public String toString() {
        return "RegistryAuth[host=" + host + ", user=" + user + ", secret=***]";
    }
}
