package dev.galley.node.runtime;

/** Receives a container's output as it comes, in chunks of text (stdout and stderr interleaved). */
@FunctionalInterface
public interface LogSink {
    /** Called from the log reader's thread; a chunk may end in the middle of a line. */
    void accept(String chunk);
}
