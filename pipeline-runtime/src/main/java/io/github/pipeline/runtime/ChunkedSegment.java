package io.github.pipeline.runtime;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs a segment of item stages (map, filter, peek without retries) on whole chunks: each item goes
 * through every stage of the segment before the next item starts, on the same rail, so consecutive
 * stages cost one hand-off per chunk rather than one per item per stage. The chunk is rewritten in
 * place. The time each chunk takes feeds the {@link ChunkSizer}, which sizes the next chunks.
 */
final class ChunkedSegment {

    /** Counts per stage in a chunk's tally: received, processed, filtered. */
    private static final int TALLIES = 3;
    private static final int PROCESSED = 1;
    private static final int FILTERED = 2;

    private final ItemStage[] stages;
    private final ChunkSizer sizer;

    ChunkedSegment(List<ItemStage> stages, ChunkSizer sizer) {
        this.stages = stages.toArray(new ItemStage[0]);
        this.sizer = sizer;
    }

    /** Whether every stage of a segment can run inside chunks. */
    static boolean fits(List<StageTranslator> segment) {
        for (StageTranslator stage : segment) {
            if (!(stage instanceof ItemStage item) || !item.runsInChunks()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the stages on one item at a time, as a chunked segment does inside a chunk: the function
     * answers the item's output, a marker of an item a stage dropped ({@link ItemStage#kept} is false), or
     * a {@link RailFailure}; it never throws.
     */
    static UnaryOperator<Object> perItem(List<ItemStage> stages) {
        ItemStage[] all = stages.toArray(new ItemStage[0]);
        return item -> through(all, item);
    }

    private static Object through(ItemStage[] stages, Object item) {
        Object out = item;
        for (ItemStage stage : stages) {
            out = stage.onRail(out);
            if (!ItemStage.kept(out) || out instanceof RailFailure) {
                break;
            }
        }
        return out;
    }

    /**
     * Runs the segment on every item of the chunk; stops at the first failure, which ends the chunk. The
     * stages' counts go up once per chunk, not once per item: on a function of a few nanoseconds, two
     * atomic additions per item and stage from two rails were more than half of the rails' time.
     */
    Chunk run(Chunk chunk) {
        // the rails' loop, apart from runWithin's: no clock and no leftover per item on the hot path
        long start = System.nanoTime();
        int size = chunk.size();
        int[] tally = new int[stages.length * TALLIES];
        StageProbe.Countdown[] measured = countdowns();
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Object out = through(chunk.get(i), tally, measured);
            if (ItemStage.kept(out)) {
                chunk.set(kept++, out);
                if (out instanceof RailFailure) {
                    break; // the run ends here: the rest of the chunk is never started
                }
            }
        }
        finish(chunk, kept, tally, measured, size, start);
        return chunk;
    }

    /**
     * As {@link #run}, but passes the chunk on early once it has taken {@code maxLatencyNanos} (looked at
     * after every item, about 20 ns a look here): the chunk keeps the outputs of the items done, and the
     * items not started are answered, in order, in a new chunk (or {@code null} when every item was done).
     * For stages the user did not ask to chunk (sequential ones fused over a source's chunks), so that a
     * slow item's result reaches the sink about as soon as it would item by item, even when the stage
     * turns slow in the middle of a chunk sized for cheap items (looking every 16 items held results for
     * 160 ms there, against a 5 ms bound).
     */
    Chunk runWithin(Chunk chunk, long maxLatencyNanos) {
        long start = System.nanoTime();
        int size = chunk.size();
        int[] tally = new int[stages.length * TALLIES];
        StageProbe.Countdown[] measured = countdowns();
        int kept = 0;
        int done = 0;
        while (done < size) {
            Object out = through(chunk.get(done), tally, measured);
            done++;
            if (ItemStage.kept(out)) {
                chunk.set(kept++, out);
                if (out instanceof RailFailure) {
                    break; // the run ends here: the rest of the chunk is never started
                }
            }
            if (done < size && System.nanoTime() - start >= maxLatencyNanos) {
                break;
            }
        }
        Chunk rest = null;
        if (done < size && !(kept > 0 && chunk.get(kept - 1) instanceof RailFailure)) {
            rest = new Chunk(size - done, -1);
            rest.addAll(chunk.subList(done, size));
        }
        finish(chunk, kept, tally, measured, done, start);
        return rest;
    }

    /** A countdown of each stage's probe, for one chunk's calls. */
    private StageProbe.Countdown[] countdowns() {
        StageProbe.Countdown[] measured = new StageProbe.Countdown[stages.length];
        for (int s = 0; s < stages.length; s++) {
            measured[s] = stages[s].countdown();
        }
        return measured;
    }

    /**
     * Adds a chunk's tally to its stages, keeps its {@code kept} outputs, and tells the sizer, and each
     * stage's probe (a bound on its estimate), what {@code done} items took.
     */
    private void finish(Chunk chunk, int kept, int[] tally, StageProbe.Countdown[] measured, int done, long start) {
        long took = System.nanoTime() - start;
        for (int s = 0; s < stages.length; s++) {
            stages[s].count(tally[s * TALLIES], tally[s * TALLIES + PROCESSED], tally[s * TALLIES + FILTERED]);
            measured[s].ran(took);
        }
        chunk.truncate(kept);
        sizer.record(done, took);
    }

    /**
     * As {@link #through(ItemStage[], Object)}, counting in {@code tally} instead of the stages' counters,
     * and measuring the calls that each stage's countdown picks.
     */
    private Object through(Object item, int[] tally, StageProbe.Countdown[] measured) {
        if (item instanceof RailFailure) {
            return item; // a failure from upstream: no stage of the segment sees it
        }
        Object out = item;
        for (int s = 0; s < stages.length; s++) {
            out = stages[s].attemptInChunk(out, measured[s]);
            if (out == ItemStage.DROPPED) {
                tally[s * TALLIES]++;
                tally[s * TALLIES + FILTERED]++;
                break;
            }
            if (!ItemStage.kept(out) || out instanceof RailFailure) {
                break; // its call failed: counted, as received too, by the stage and its policy
            }
            tally[s * TALLIES]++;
            tally[s * TALLIES + PROCESSED]++;
        }
        return out;
    }
}
