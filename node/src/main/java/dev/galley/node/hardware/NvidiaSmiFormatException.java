package dev.galley.node.hardware;

/** {@code nvidia-smi} printed something that is not the CSV the probe asked for. */
public class NvidiaSmiFormatException extends RuntimeException {
    public NvidiaSmiFormatException(String message) {
        super(message);
    }
}
