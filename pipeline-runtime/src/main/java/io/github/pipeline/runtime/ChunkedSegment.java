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

    /** Runs the segment on every item of the chunk; stops at the first failure, which ends the chunk. */
    Chunk run(Chunk chunk) {
        long start = System.nanoTime();
        int size = chunk.size();
        int kept = 0;
        for (int i = 0; i < size; i++) {
            Object out = through(stages, chunk.get(i));
            if (ItemStage.kept(out)) {
                chunk.set(kept++, out);
                if (out instanceof RailFailure) {
                    break; // the run ends here: the rest of the chunk is never started
                }
            }
        }
        chunk.truncate(kept);
        sizer.record(size, System.nanoTime() - start);
        return chunk;
    }
}
