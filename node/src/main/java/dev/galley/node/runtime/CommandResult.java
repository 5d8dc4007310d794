package dev.galley.node.runtime;

import java.util.List;

/** How one CLI invocation ended. */
record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {
    private static final java.util.regex.Pattern NETWORK_NAME_NOT_FOUND = java.util.regex.Pattern.compile("network \\S+ not found");

    boolean ok() {
        return exitCode == 0;
    }

    /** True when the runtime says the container or image does not exist (docker and podman word it differently). */
    boolean saysNoSuchObject() {
        String text = (stderr + "\n" + stdout).toLowerCase(java.util.Locale.ROOT);
        // podman 4.3 says "getting container from store …: container not known" for one removed a moment ago
        return text.contains("no such container") || text.contains("no such object") || text.contains("no container with")
                || text.contains("container not known")
                || text.contains("no such image") || text.contains("image not known");
    }

    /** podman: "unable to find network … network not found"; docker: "network … not found" or "No such network". */
    boolean saysNoSuchNetwork() {
        String text = (stderr + "\n" + stdout).toLowerCase(java.util.Locale.ROOT);
        return text.contains("network not found") || text.contains("no such network") || NETWORK_NAME_NOT_FOUND.matcher(text).find();
    }

    /** podman: "network name … already used: network already exists"; docker: "network with name … already exists". */
    boolean saysAlreadyExists() {
        return (stderr + "\n" + stdout).toLowerCase(java.util.Locale.ROOT).contains("already exists");
    }

    /**
     * The runtime's error, made readable: podman prints retry warnings before the real error, so prefer
     * the lines that carry "Error"; fall back to all of stderr, then stdout.
     */
    String errorMessage() {
        String source = stderr.isBlank() ? stdout : stderr;
        List<String> errorLines = source.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .filter(line -> line.toLowerCase(java.util.Locale.ROOT).contains("error") && !line.contains("level=warning"))
                .toList();
        String message = errorLines.isEmpty() ? source.strip() : String.join("\n", errorLines);
        if (message.isEmpty()) message = "exit code " + exitCode + " without output";
        return message.length() > 4000 ? message.substring(0, 4000) + "…" : message;
    }

    /** The command without its executable path, for messages ("podman stop -t 10 abc"). */
    String describe() {
        return String.join(" ", command.subList(0, Math.min(command.size(), 6))) + (command.size() > 6 ? " …" : "");
    }
}
