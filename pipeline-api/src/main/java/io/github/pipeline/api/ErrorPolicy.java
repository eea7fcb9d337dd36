package io.github.pipeline.api;

import java.util.Objects;
import java.util.Optional;

/**
 * What a stage does with an item whose function fails: fail the run (the default), skip the item,
 * or send it to a dead-letter sink, optionally after retrying it. Immutable.
 *
 * <pre>{@code
 * ErrorPolicy.failFast()                                            // the default
 * ErrorPolicy.skip()                                                // count it as skipped, go on
 * ErrorPolicy.deadLetter(Sink.lines(Path.of("rejects.txt")))        // keep it, with the error
 * ErrorPolicy.retry(RetryPolicy.maxAttempts(3))                     // retry, then fail
 * ErrorPolicy.retry(RetryPolicy.maxAttempts(3)).then(ErrorPolicy.skip())
 * }</pre>
 *
 * <p>A policy acts per stage and per item, on sequential stages and on rails alike: it never changes
 * how other stages treat errors. Skipped and dead-lettered items are counted in the stage's
 * accounting, so a run still balances: {@code received == processed + filtered + skipped + deadLettered}.
 * A failure of the source or of the sink always fails the run.
 */
public final class ErrorPolicy {

    /** What happens to an item once its retries, if any, are used up. */
    public enum Action {
        /** The run fails with a {@link StageFailedException} naming the stage and the item. */
        FAIL,
        /** The item is dropped and counted as skipped. */
        SKIP,
        /** The item goes to the dead-letter sink with the stage, the attempt count and the error. */
        DEAD_LETTER
    }

    private static final ErrorPolicy FAIL_FAST = new ErrorPolicy(Action.FAIL, null, null);
    private static final ErrorPolicy SKIP = new ErrorPolicy(Action.SKIP, null, null);

    private final Action action;
    private final RetryPolicy retry;
    private final Sink<? super DeadLetter, ?> deadLetters;

    private ErrorPolicy(Action action, RetryPolicy retry, Sink<? super DeadLetter, ?> deadLetters) {
        this.action = action;
        this.retry = retry;
        this.deadLetters = deadLetters;
    }

    /**
     * Fails the run on the first failing item: the default.
     *
     * @return the fail-fast policy
     */
    public static ErrorPolicy failFast() {
        return FAIL_FAST;
    }

    /**
     * Drops a failing item and counts it as skipped.
     *
     * @return the skip policy
     */
    public static ErrorPolicy skip() {
        return SKIP;
    }

    /**
     * Sends a failing item, with the stage, the attempt count and the error, to {@code sink}. The
     * engine opens the sink when the run starts, gives it items one at a time, and completes it when
     * the run succeeds (or aborts it when the run fails). If the sink itself fails, the run fails.
     *
     * @param sink where the dead letters go
     * @return the dead-letter policy
     */
    public static ErrorPolicy deadLetter(Sink<? super DeadLetter, ?> sink) {
        return new ErrorPolicy(Action.DEAD_LETTER, null, Objects.requireNonNull(sink, "sink"));
    }

    /**
     * Retries a failing item as {@code retry} says, then fails the run if it still fails. Follow with
     * {@link #then(ErrorPolicy)} to skip or dead-letter it instead.
     *
     * @param retry the retry policy
     * @return the retrying policy
     */
    public static ErrorPolicy retry(RetryPolicy retry) {
        return new ErrorPolicy(Action.FAIL, Objects.requireNonNull(retry, "retry"), null);
    }

    /**
     * Returns a policy that retries as this one does, then acts as {@code afterRetries} does.
     *
     * @param afterRetries what to do once the retries are used up: fail, skip or dead-letter
     * @return the combined policy
     * @throws IllegalArgumentException if {@code afterRetries} retries itself
     */
    public ErrorPolicy then(ErrorPolicy afterRetries) {
        Objects.requireNonNull(afterRetries, "afterRetries");
        if (afterRetries.retry != null) {
            throw new IllegalArgumentException("the policy after retries cannot retry again: " + afterRetries);
        }
        return new ErrorPolicy(afterRetries.action, retry, afterRetries.deadLetters);
    }

    /**
     * Returns what happens to an item once its retries are used up.
     *
     * @return the action
     */
    public Action action() {
        return action;
    }

    /**
     * Returns how the item is retried first, if at all.
     *
     * @return the retry policy, or empty
     */
    public Optional<RetryPolicy> retry() {
        return Optional.ofNullable(retry);
    }

    /**
     * Returns the dead-letter sink of a {@link Action#DEAD_LETTER} policy.
     *
     * @return the sink, or empty for other actions
     */
    public Optional<Sink<? super DeadLetter, ?>> deadLetters() {
        return Optional.ofNullable(deadLetters);
    }

    /**
     * Describes the policy in a few words, as {@link Pipeline#describe()} prints it.
     *
     * @return for example {@code "retry(attempts=3, ...) then skip"}
     */
    public String describe() {
        String then = switch (action) {
            case FAIL -> "fail";
            case SKIP -> "skip";
            case DEAD_LETTER -> "dead-letter to " + deadLetters.description();
        };
        return retry == null ? then : retry + " then " + then;
    }

    @Override
    public String toString() {
        return "ErrorPolicy[" + describe() + "]";
    }
}
