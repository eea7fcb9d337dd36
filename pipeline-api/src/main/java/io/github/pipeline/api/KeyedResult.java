package io.github.pipeline.api;

import java.util.Objects;

/**
 * One key and its aggregate: what an
 * {@linkplain PipelineBuilder#aggregate(String, java.util.function.Function, Aggregator) aggregate}
 * stage emits for each distinct key, in key order.
 *
 * @param key   the key, not {@code null}
 * @param value the key's result, not {@code null}
 * @param <K>   the type of the key
 * @param <V>   the type of the result
 */
public record KeyedResult<K, V>(K key, V value) {

    /**
     * Creates a keyed result.
     *
     * @param key   the key, not {@code null}
     * @param value the key's result, not {@code null}
     */
    public KeyedResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /**
     * Returns {@code key=value}, as a {@link java.util.Map.Entry} of the JDK's maps prints itself.
     *
     * @return the key and the value
     */
    @Override
    public String toString() {
        return key + "=" + value;
    }
}
