package io.github.pipeline.runtime;

import io.github.pipeline.api.AggregateOptions;
import io.github.pipeline.api.AggregateStage;
import io.github.pipeline.api.Aggregator;
import io.github.pipeline.api.Items;
import io.github.pipeline.api.KeyedResult;
import io.github.pipeline.api.SpillCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The state of one aggregate stage in one run: the keys in memory with their accumulators, and the
 * sorted runs spilled so far. Not thread-safe: the stage's own thread drives it; only {@link #close()}
 * may come from another thread.
 *
 * <p>Memory: at most {@code maxKeys} keys. When a new key would exceed that, the keys in memory are
 * sorted, written to a run file and forgotten. At the end, while there are more runs than the fan-in,
 * groups of consecutive runs are merged, each into one in its place (so runs stay oldest first), just
 * enough of them to leave the fan-in; with up to {@code fanIn²} runs every entry is rewritten at most
 * once, and each further level of {@code fanIn} times more runs rewrites it once more. Then one last
 * merge of the runs and the keys still in memory yields the results in key order. At most
 * {@code fanIn} run files are open for reading at once, plus one for writing during a merge.
 */
final class KeyedAggregation implements AutoCloseable {

    private final Function<Object, Object> keyFunction;
    private final Comparator<Object> order;
    private final Aggregator<Object, Object, Object> aggregator;
    private final int maxKeys;
    private final int fanIn;
    private final boolean spills;
    private final SpillCodec<Object> accumulatorCodec;
    private final SpillFiles files;
    /** The key codec: given, or chosen from the class of the first key. */
    private SpillCodec<Object> keyCodec;
    /** The class of the keys, when the codec was chosen from it; every key must be of it. */
    private Class<?> keyClass;
    private HashMap<Object, Object> inMemory = new HashMap<>();
    private final List<SortedRun> runs = new ArrayList<>();
    private int intermediateMerges;
    private long spilledBytes;
    private long mergedBytes;

    @SuppressWarnings("unchecked")
    KeyedAggregation(String pipeline, AggregateStage<?, ?, ?> stage) {
        AggregateOptions options = stage.aggregateOptions();
        this.keyFunction = (Function<Object, Object>) stage.key();
        this.order = (Comparator<Object>) stage.keyOrder();
        this.aggregator = (Aggregator<Object, Object, Object>) stage.aggregator();
        this.maxKeys = options.maxKeysInMemory();
        this.fanIn = options.mergeFanIn();
        this.spills = options.spills();
        this.accumulatorCodec = aggregator.accumulatorCodec().orElse(null);
        this.keyCodec = (SpillCodec<Object>) stage.keyCodec().orElse(null);
        Path parent = options.spillDirectory().orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir")));
        this.files = new SpillFiles(parent, pipeline, stage.name());
    }

    /**
     * Returns an item's key.
     *
     * @throws RuntimeException whatever the key function throws, or if it returns {@code null}
     */
    Object keyOf(Object item) {
        Object key = keyFunction.apply(item);
        if (key == null) {
            throw new NullPointerException("the key function returned null");
        }
        return key;
    }

    /**
     * Adds an item to its key's accumulator, spilling the keys in memory first if the key is new and
     * there is no room for it.
     *
     * @throws AggregationFailure if spilling fails or the key cannot be spilled
     * @throws RuntimeException   whatever the aggregator throws (the item's failure)
     */
    void fold(Object key, Object item) {
        Object accumulator = inMemory.get(key);
        boolean created = accumulator == null;
        if (created) {
            if (spills) {
                checkSpillable(key);
                if (inMemory.size() >= maxKeys) {
                    spill();
                }
            }
            accumulator = aggregator.create();
            if (accumulator == null) {
                throw new NullPointerException("the aggregator's create returned null");
            }
        }
        Object next = aggregator.add(accumulator, item);
        if (next == null) {
            throw new NullPointerException("the aggregator's add returned null");
        }
        if (created || next != accumulator) {
            inMemory.put(key, next);
        }
    }

    /** Chooses the key codec from the first key, and holds every later key to its class. */
    @SuppressWarnings("unchecked")
    private void checkSpillable(Object key) {
        if (keyCodec == null) {
            SpillCodec<?> builtIn = builtInCodec(key.getClass());
            if (builtIn == null) {
                throw new AggregationFailure(new IllegalArgumentException("keys of type " + key.getClass().getName()
                        + " have no built-in SpillCodec (String, Long, Integer and Double do), so the stage could "
                        + "not spill them: pass a key codec to aggregate(name, key, keyOrder, keyCodec, aggregator, "
                        + "options), or keep every key in memory with AggregateOptions.withoutSpilling()"));
            }
            keyCodec = (SpillCodec<Object>) builtIn;
            keyClass = key.getClass();
        } else if (keyClass != null && key.getClass() != keyClass) {
            throw new AggregationFailure(new IllegalArgumentException("key " + Items.abbreviate(key) + " is a "
                    + key.getClass().getName() + " but the first key was a " + keyClass.getName()
                    + ": the built-in key codec writes keys of one type"));
        }
    }

    private static SpillCodec<?> builtInCodec(Class<?> type) {
        if (type == String.class) {
            return SpillCodec.strings();
        }
        if (type == Long.class) {
            return SpillCodec.longs();
        }
        if (type == Integer.class) {
            return SpillCodec.integers();
        }
        if (type == Double.class) {
            return SpillCodec.doubles();
        }
        return null;
    }

    /** Writes the keys in memory, sorted, as a new run, and forgets them. */
    private void spill() {
        Map.Entry<Object, Object>[] entries = sortedEntries();
        RunWriter writer = null;
        try {
            writer = files.newRun(keyCodec, accumulatorCodec);
            for (Map.Entry<Object, Object> entry : entries) {
                writer.write(entry.getKey(), entry.getValue());
            }
            SortedRun run = writer.finish();
            writer = null;
            runs.add(run);
            spilledBytes += run.bytes();
        } catch (IOException e) {
            throw new AggregationFailure(new UncheckedIOException("spilling " + entries.length + " keys to "
                    + (writer == null ? "a new file under " + files.location() : writer.file()) + " failed: " + e, e));
        } catch (RuntimeException e) {
            throw new AggregationFailure(new IllegalStateException("spilling " + entries.length + " keys to "
                    + files.location() + " failed: " + e, e));
        } finally {
            if (writer != null) {
                writer.abandon();
            }
        }
        inMemory.clear();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Map.Entry<Object, Object>[] sortedEntries() {
        Map.Entry<Object, Object>[] entries = inMemory.entrySet().toArray(new Map.Entry[0]);
        try {
            Arrays.sort(entries, (a, b) -> order.compare(a.getKey(), b.getKey()));
        } catch (RuntimeException e) {
            throw new AggregationFailure(new IllegalStateException("sorting the keys failed: " + e, e));
        }
        return entries;
    }

    /**
     * Ends the input: merges runs until at most the fan-in are left, then starts the final merge of
     * those runs and the keys in memory.
     *
     * @throws AggregationFailure if a merge pass fails
     */
    Results results() {
        SortedEntries memory = new SortedEntries(sortedEntries());
        inMemory = null;
        try {
            int next = 0;
            while (runs.size() > fanIn) {
                if (next >= runs.size() - 1) {
                    next = 0; // every run of this level was merged once: start the next level
                }
                int count = Math.min(Math.min(fanIn, runs.size() - fanIn + 1), runs.size() - next);
                mergeRuns(next, count);
                next++;
            }
            List<EntrySource> sources = new ArrayList<>(runs.size() + 1);
            try {
                for (SortedRun run : runs) {
                    sources.add(files.openRun(run.file(), keyCodec, accumulatorCodec));
                }
                sources.add(memory);
                return new Results(new RunMerge(sources, order, aggregator));
            } catch (IOException | RuntimeException e) {
                closeQuietly(sources, e);
                throw e;
            }
        } catch (IOException e) {
            throw new AggregationFailure(new UncheckedIOException("merging " + runs.size() + " spill files under "
                    + files.location() + " failed: " + e, e));
        }
    }

    /**
     * Merges the {@code count} consecutive runs from {@code from} into one, which takes their place: the
     * runs stay oldest first, and no merged run is read again in the same level.
     */
    private void mergeRuns(int from, int count) throws IOException {
        List<SortedRun> group = new ArrayList<>(runs.subList(from, from + count));
        List<EntrySource> sources = new ArrayList<>(count);
        RunWriter writer = null;
        try {
            for (SortedRun run : group) {
                sources.add(files.openRun(run.file(), keyCodec, accumulatorCodec));
            }
            writer = files.newRun(keyCodec, accumulatorCodec);
            try (RunMerge merge = new RunMerge(sources, order, aggregator)) {
                while (merge.next()) {
                    writer.write(merge.key(), merge.accumulator());
                }
            }
            SortedRun merged = writer.finish();
            writer = null;
            for (SortedRun run : group) {
                files.delete(run.file(), run.bytes());
            }
            runs.subList(from, from + count).clear();
            runs.add(from, merged);
            intermediateMerges++;
            mergedBytes += merged.bytes();
        } catch (IOException | RuntimeException e) {
            closeQuietly(sources, e);
            throw e;
        } finally {
            if (writer != null) {
                writer.abandon();
            }
        }
    }

    private static void closeQuietly(List<EntrySource> sources, Exception failure) {
        for (EntrySource source : sources) {
            try {
                source.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** The spill files. */
    SpillFiles files() {
        return files;
    }

    /** How many times runs were merged into one before the final merge. */
    int intermediateMerges() {
        return intermediateMerges;
    }

    /** Bytes of the runs spilled from memory. */
    long spilledBytes() {
        return spilledBytes;
    }

    /** Bytes of the runs written by intermediate merges. */
    long mergedBytes() {
        return mergedBytes;
    }

    /** Closes and deletes every spill file; safe from any thread, more than once. */
    @Override
    public void close() {
        files.close();
    }

    /**
     * The final merge, turned into results one key at a time. It reads one key ahead, so it knows it has
     * given the last result as it gives it.
     */
    final class Results implements AutoCloseable {

        private final RunMerge merge;
        private KeyedResult<Object, Object> ahead;

        private Results(RunMerge merge) {
            this.merge = merge;
            this.ahead = read();
        }

        /** Whether {@link #next()} has a result to give. */
        boolean hasNext() {
            return ahead != null;
        }

        /**
         * Returns the next key's result and reads the one after it.
         *
         * @return the result, or {@code null} once every key is done
         * @throws AggregationFailure if reading a run, merging or finishing fails
         */
        KeyedResult<Object, Object> next() {
            KeyedResult<Object, Object> next = ahead;
            if (next != null) {
                ahead = read();
            }
            return next;
        }

        private KeyedResult<Object, Object> read() {
            boolean more;
            try {
                more = merge.next();
            } catch (IOException e) {
                throw new AggregationFailure(new UncheckedIOException("reading the spill files under "
                        + files.location() + " failed: " + e, e));
            } catch (AggregationFailure e) {
                throw e;
            } catch (RuntimeException e) {
                throw new AggregationFailure(new IllegalStateException("merging the sorted runs failed: " + e, e));
            }
            if (!more) {
                return null;
            }
            Object key = merge.key();
            Object result;
            try {
                result = aggregator.finish(merge.accumulator());
            } catch (RuntimeException | Error e) {
                throw new AggregationFailure(new IllegalStateException("the aggregator '" + aggregator.description()
                        + "' failed to finish key " + Items.abbreviate(key) + ": " + e, e));
            }
            if (result == null) {
                throw new AggregationFailure(new NullPointerException("the aggregator '" + aggregator.description()
                        + "' finished key " + Items.abbreviate(key) + " as null"));
            }
            return new KeyedResult<>(key, result);
        }

        @Override
        public void close() {
            try {
                merge.close();
            } catch (IOException ignored) {
                // the files are deleted next; nothing is lost by a failed close of a file being read
            }
        }
    }
}
