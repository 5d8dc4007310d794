package dev.galley.node.runtime;

/**
 * Which CLI dialect the executable speaks. They differ in how GPUs are requested and how a per-command
 * credentials file is passed; everything else this adapter uses is common to both.
 */
public enum CliFlavor {
    DOCKER,
    PODMAN;

    /** {@code docker --version} of the podman-docker shim says "podman version …", so look at the text, not the file name. */
    static CliFlavor fromVersionOutput(String versionOutput) {
        return versionOutput.toLowerCase(java.util.Locale.ROOT).contains("podman") ? PODMAN : DOCKER;
    }
}
