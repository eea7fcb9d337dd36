package io.github.pipeline.runtime;

import io.github.pipeline.api.Aggregator;
import io.github.pipeline.api.Items;
import java.io.Closeable;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A k-way merge of sorted runs: a priority queue holds the current entry of each run, and the entries
 * of equal keys are merged with the aggregator as they come off it. Runs are numbered oldest first;
 * among equal keys the older run comes first, so {@link Aggregator#merge} always gets the earlier items
 * as its first argument. Holds one entry per run in memory.
 */
final class RunMerge implements Closeable {

    /** A run and its number. */
    private record Head(int index, EntrySource source) {
    }

    private final List<? extends EntrySource> sources;
    private final Aggregator<Object, Object, Object> aggregator;
    private final PriorityQueue<Head> heads;
    private final Comparator<Object> order;
    private Object key;
    private Object accumulator;

    /**
     * Starts the merge, reading each run's first entry.
     *
     * @param sources    the runs, oldest first
     * @param order      the order of the keys in every run
     * @param aggregator merges the accumulators of equal keys
     */
    RunMerge(List<? extends EntrySource> sources, Comparator<Object> order,
             Aggregator<Object, Object, Object> aggregator) throws IOException {
        this.sources = sources;
        this.order = order;
        this.aggregator = aggregator;
        this.heads = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> {
            int c = order.compare(a.source().key(), b.source().key());
            return c != 0 ? c : Integer.compare(a.index(), b.index());
        });
        for (int i = 0; i < sources.size(); i++) {
            EntrySource source = sources.get(i);
            if (source.advance()) {
                heads.add(new Head(i, source));
            }
        }
    }

    /**
     * Moves to the next key, merging the accumulators of every run that holds it.
     *
     * @return {@code false} once every run is read
     * @throws IOException         if reading a run fails
     * @throws AggregationFailure  if the aggregator's merge fails
     */
    boolean next() throws IOException {
        Head head = heads.poll();
        if (head == null) {
            key = null;
            accumulator = null;
            return false;
        }
        key = head.source().key();
        accumulator = head.source().accumulator();
        requeue(head);
        while (!heads.isEmpty() && order.compare(heads.peek().source().key(), key) == 0) {
            Head same = heads.poll();
            accumulator = merge(accumulator, same.source().accumulator());
            requeue(same);
        }
        return true;
    }

    private Object merge(Object earlier, Object later) {
        Object merged;
        try {
            merged = aggregator.merge(earlier, later);
        } catch (RuntimeException | Error e) {
            throw new AggregationFailure(new IllegalStateException("the aggregator '" + aggregator.description()
                    + "' failed to merge the accumulators of key " + Items.abbreviate(key) + ": " + e, e));
        }
        if (merged == null) {
            throw new AggregationFailure(new NullPointerException("the aggregator '" + aggregator.description()
                    + "' returned null merging the accumulators of key " + Items.abbreviate(key)));
        }
        return merged;
    }

    private void requeue(Head head) throws IOException {
        if (head.source().advance()) {
            heads.add(head);
        }
    }

    /** The current key; valid after {@link #next()} returned {@code true}. */
    Object key() {
        return key;
    }

    /** The current key's merged accumulator; valid after {@link #next()} returned {@code true}. */
    Object accumulator() {
        return accumulator;
    }

    /** Closes every run. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (EntrySource source : sources) {
            try {
                source.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
