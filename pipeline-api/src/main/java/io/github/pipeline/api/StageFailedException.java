package io.github.pipeline.api;

import java.util.Objects;

/**
 * A stage's user function (or the sink) failed on one item. The message names the pipeline, the stage
 * and the item, abbreviated; {@link #getCause()} is the exception the function threw.
 */
public class StageFailedException extends PipelineExecutionException {

    private final String stage;
    private final String item;

    /**
     * Creates a stage failure.
     *
     * @param pipeline the pipeline's name
     * @param stage    the stage's name (or {@code "source"} / {@code "sink"})
     * @param item     the item being processed, or {@code null} when no single item is to blame
     * @param cause    what the user function threw
     */
    public StageFailedException(String pipeline, String stage, Object item, Throwable cause) {
        super(pipeline, message(pipeline, stage, item, cause), cause);
        this.stage = Objects.requireNonNull(stage, "stage");
        this.item = item == null ? null : Items.abbreviate(item);
    }

    private static String message(String pipeline, String stage, Object item, Throwable cause) {
        StringBuilder sb = new StringBuilder()
                .append("Stage '").append(stage).append("' of pipeline '").append(pipeline).append("' failed");
        if (item != null) {
            sb.append(" on item ").append(Items.abbreviate(item));
        }
        if (cause != null) {
            sb.append(": ").append(cause.getClass().getSimpleName());
            if (cause.getMessage() != null) {
                sb.append(": ").append(cause.getMessage());
            }
        }
        return sb.toString();
    }

    /**
     * Returns the name of the stage that failed.
     *
     * @return the stage's name
     */
    public String stage() {
        return stage;
    }

    /**
     * Returns the failed item as abbreviated text, or {@code null} when no single item was to blame.
     *
     * @return the abbreviated item
     */
    public String item() {
        return item;
    }
}
