package io.github.pipeline.runtime;

import java.util.Map;

/** The keys held in memory, sorted, as an {@link EntrySource}; each entry is let go once read. */
final class SortedEntries implements EntrySource {

    private final Map.Entry<Object, Object>[] entries;
    private int next;
    private Object key;
    private Object accumulator;

    SortedEntries(Map.Entry<Object, Object>[] entries) {
        this.entries = entries;
    }

    @Override
    public boolean advance() {
        if (next == entries.length) {
            key = null;
            accumulator = null;
            return false;
        }
        Map.Entry<Object, Object> entry = entries[next];
        entries[next++] = null;
        key = entry.getKey();
        accumulator = entry.getValue();
        return true;
    }

    @Override
    public Object key() {
        return key;
    }

    @Override
    public Object accumulator() {
        return accumulator;
    }
}
