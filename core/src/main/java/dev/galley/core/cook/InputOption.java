package dev.galley.core.cook;

/** One choice of a {@code select} input: {@code value} is what gets substituted, {@code label} what a UI shows. */
public record InputOption(String label, String value) {}
