package io.github.pipeline.runtime;

import io.github.pipeline.api.StageFailedException;

/** Makes the exceptions that name the pipeline, the stage and the item. */
final class StageFailures {

    static final String SOURCE = "<source>";
    static final String SINK = "<sink>";
    /** Names failures to save or load a checkpoint. */
    static final String CHECKPOINT = "<checkpoint>";

    private StageFailures() {
    }

    /** A failure of the pipeline's source (opening or reading it), unless it already names a stage of the pipeline. */
    static StageFailedException ofSource(String pipeline, Throwable cause) {
        return of(pipeline, SOURCE, null, cause);
    }

    static StageFailedException of(String pipeline, String stage, Object item, Throwable cause) {
        if (cause instanceof StageFailedException already && already.pipeline().equals(pipeline)) {
            return already;
        }
        return new StageFailedException(pipeline, stage, item, cause);
    }
}
