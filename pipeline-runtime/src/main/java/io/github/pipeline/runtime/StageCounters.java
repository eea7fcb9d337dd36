package io.github.pipeline.runtime;

import io.github.pipeline.api.FilterStage;
import io.github.pipeline.api.MapStage;
import io.github.pipeline.api.PeekStage;
import io.github.pipeline.api.ProcessStage;
import io.github.pipeline.api.Stage;
import io.github.pipeline.api.StageStats;
import java.util.concurrent.atomic.LongAdder;

/** The live accounting of one stage, updated from its rails without locks, and the probe of its calls. */
final class StageCounters {

    final String name;
    final String kind;
    /** Map, filter and peek emit exactly the items they process: their emitted count is not kept apart. */
    private final boolean emitsWhatItProcesses;
    final LongAdder received = new LongAdder();
    final LongAdder processed = new LongAdder();
    final LongAdder emitted = new LongAdder();
    final LongAdder filtered = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder deadLettered = new LongAdder();
    final LongAdder retried = new LongAdder();
    /** Measures a sample of the calls of the stage's function; see {@link RunProfiler}. */
    final StageProbe probe;
    /** Head-of-line blocking of the ordered merge after this stage, when an ordered rail segment ends here. */
    final HeadOfLineClock headOfLine = new HeadOfLineClock();
    /** The restarts and busy time of a process stage's workers; {@code null} for other stages. */
    final WorkerStats workers;

    StageCounters(Stage stage, boolean profiled) {
        this(stage.name(), stage.kind(), stage instanceof MapStage || stage instanceof FilterStage
                || stage instanceof PeekStage || stage instanceof ProcessStage, profiled,
                stage instanceof ProcessStage<?, ?> process ? new WorkerStats(process.workers().workers()) : null);
    }

    /**
     * The accounting of a source that rejects malformed records: it receives every record it reads and
     * emits those it could read. Its reads are measured by the run's source probe, not by one of its own.
     */
    static StageCounters ofSource() {
        return new StageCounters(StageFailures.SOURCE, "source", true, false, null);
    }

    private StageCounters(String name, String kind, boolean emitsWhatItProcesses, boolean profiled,
                          WorkerStats workers) {
        this.probe = new StageProbe(profiled);
        this.workers = workers;
        this.name = name;
        this.kind = kind;
        this.emitsWhatItProcesses = emitsWhatItProcesses;
    }

    /** Items this stage is done with: processed, filtered out, skipped or dead-lettered. */
    long finished() {
        return processed.sum() + filtered.sum() + skipped.sum() + deadLettered.sum();
    }

    /** Items this stage has passed on so far. */
    long emittedSoFar() {
        return emitsWhatItProcesses ? processed.sum() : emitted.sum();
    }

    StageStats snapshot() {
        // read the outcomes before the inputs, so a running stage never looks over-balanced
        long retries = retried.sum();
        long out = emitsWhatItProcesses ? 0 : emitted.sum();
        long f = filtered.sum();
        long s = skipped.sum();
        long d = deadLettered.sum();
        long p = processed.sum();
        long r = received.sum();
        return new StageStats(name, kind, r, p, emitsWhatItProcesses ? p : out, f, s, d, retries);
    }
}
