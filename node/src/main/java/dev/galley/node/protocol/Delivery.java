package dev.galley.node.protocol;

/** What became of a call about one run (a status update or a batch of its output). */
public enum Delivery {
    /** The server took it. */
    ACCEPTED,
    /**
     * The server answered 404 or 409: it no longer knows the run, or has moved it on (cancelled, timed
     * out, already final). The agent stops caring about that run instead of retrying.
     */
    GONE
}
