package dev.galley.node.protocol;

import java.util.List;
import java.util.Map;

/**
 * The container part of a job spec, {@code parameters.parameters}, as an assignment carries it: with
 * the REAL registry secret (only ever sent to the node running the job). {@link #toString()} hides it.
 *
 * @param tag        the default tag when {@code image} names none (see {@code ImageReference.pullReference})
 * @param host       private registry host, or null
 * @param allowedIps IPs or CIDRs that may reach the published ports; empty = anyone
 */
public record ContainerParameters(
        String image,
        String tag,
        String host,
        String user,
        String secret,
        Map<String, String> env,
        List<Integer> ports,
        List<String> allowedIps,
        List<Volume> volumes) {

    /**
     * {@code volumes[i]}: an image whose files are mounted read-only at {@code mount} (spec §3 leaves the meaning
     * open; Galley reads it as "pull a data image and mount its contents", see docs/job-spec.md), pulled from
     * {@code registry} with {@code user}/{@code secret} when those are given. {@link #toString()} hides the secret.
     */
    public record Volume(String image, String tag, String registry, String user, String secret, String mount) {
        public Volume {
            if (image == null || image.isBlank()) throw new IllegalArgumentException("a volume has no image");
            if (mount == null || !mount.startsWith("/")) throw new IllegalArgumentException("volume mount must be an absolute path, was " + mount);
        }

        public boolean hasRegistryCredentials() {
            return registry != null && !registry.isBlank() && user != null && secret != null;
        }

        @Override
        public String toString() {
            return "Volume[image=" + image + ", tag=" + tag + ", registry=" + registry + ", user=" + user
                    + ", secret=" + (secret == null ? "null" : "***") + ", mount=" + mount + "]";
        }
    }

    public ContainerParameters {
        if (image == null || image.isBlank()) throw new IllegalArgumentException("the job has no parameters.parameters.image");
        env = Map.copyOf(env);
        ports = List.copyOf(ports);
        allowedIps = List.copyOf(allowedIps);
        volumes = List.copyOf(volumes);
    }

    /** True when the job names a private registry with credentials to pull with. */
    public boolean hasRegistryCredentials() {
        return host != null && !host.isBlank() && user != null && secret != null;
    }

    @Override
    public String toString() {
        return "ContainerParameters[image=" + image + ", tag=" + tag + ", host=" + host + ", user=" + user
                + ", secret=" + (secret == null ? "null" : "***") + ", env=" + env.keySet() + ", ports=" + ports
                + ", allowedIps=" + allowedIps + ", volumes=" + volumes + "]";
    }
}
