package dev.galley.app.bench;

/** Benchmark sizes: {@code tiny} runs in CI so the harness never rots; {@code full} is the sizes. */
public enum Size {
    tiny, full;

    public <T> T pick(T tinyValue, T fullValue) {
        return this == tiny ? tinyValue : fullValue;
    }
}
