package io.github.pipeline.api;

/**
 * An item a stage gave up on, sent to the stage's dead-letter sink by
 * {@link ErrorPolicy#deadLetter(Sink)}: the item, where it failed, how often it was tried, and why.
 *
 * @param pipeline the pipeline's name
 * @param stage    the stage's name
 * @param item     the item the stage failed on (the stage's input, not abbreviated)
 * @param attempts how many times the function was called on it
 * @param error    what the function threw the last time
 */
public record DeadLetter(String pipeline, String stage, Object item, int attempts, Throwable error) {
}
