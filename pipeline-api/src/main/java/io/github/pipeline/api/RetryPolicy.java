package io.github.pipeline.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a stage retries an item whose function failed: how many attempts in all, the exponential backoff
 * between them (with jitter), and which exceptions are worth retrying. Immutable: every {@code withX}
 * returns a copy.
 *
 * <pre>{@code
 * RetryPolicy.maxAttempts(5)                                         // 1 call + up to 4 retries
 *         .withBackoff(Duration.ofMillis(50), Duration.ofSeconds(2))  // 50 ms, 100 ms, 200 ms...
 *         .withJitter(0.5)                                           // each delay +-50%
 *         .retryOn(IOException.class, TimeoutException.class);
 * }</pre>
 *
 * <p>The waits between attempts never block a thread: the item waits on a timer while its rail holds
 * its place (so an ordered stage stays in order, and backpressure holds).
 */
public final class RetryPolicy {

    private static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
    private static final double DEFAULT_JITTER = 0.5;

    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final double jitter;
    private final List<Class<? extends Throwable>> retryOn;

    private RetryPolicy(int maxAttempts, Duration firstBackoff, Duration maxBackoff, double jitter,
                        List<Class<? extends Throwable>> retryOn) {
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.jitter = jitter;
        this.retryOn = retryOn;
    }

    /**
     * A policy of at most {@code attempts} calls per item, with backoff from 100 ms doubling up to
     * 10 s, jitter of 50%, retrying any {@link Exception} (never an {@link Error}).
     *
     * @param attempts the number of calls in all, at least 1 (1 means no retry)
     * @return the policy
     * @throws IllegalArgumentException if {@code attempts} is less than 1
     */
    public static RetryPolicy maxAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
        return new RetryPolicy(attempts, DEFAULT_FIRST_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_JITTER,
                List.of(Exception.class));
    }

    /**
     * Returns a copy with exponential backoff: {@code first} before the first retry, doubling after
     * each, never more than {@code max}.
     *
     * @param first the delay before the first retry, zero or more
     * @param max   the longest delay, at least {@code first}
     * @return the copy
     * @throws IllegalArgumentException if a delay is negative or {@code max} is shorter than {@code first}
     */
    public RetryPolicy withBackoff(Duration first, Duration max) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(max, "max");
        if (first.isNegative() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= first <= max, got first=" + first + ", max=" + max);
        }
        return new RetryPolicy(maxAttempts, first, max, jitter, retryOn);
    }

    /**
     * Returns a copy whose delays vary randomly by up to this share, so that items failing together
     * do not retry together.
     *
     * @param jitter from 0 (exact delays) to 1
     * @return the copy
     * @throws IllegalArgumentException if {@code jitter} is outside [0, 1]
     */
    public RetryPolicy withJitter(double jitter) {
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
        }
        return new RetryPolicy(maxAttempts, firstBackoff, maxBackoff, jitter, retryOn);
    }

    /**
     * Returns a copy that retries only failures of these types (or their subtypes); others go straight
     * to the policy that follows the retries.
     *
     * @param types the retryable exception types, at least one
     * @return the copy
     * @throws IllegalArgumentException if no type is given
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is copied, never exposed
    public final RetryPolicy retryOn(Class<? extends Throwable>... types) {
        if (types.length == 0) {
            throw new IllegalArgumentException("retryOn needs at least one exception type");
        }
        return new RetryPolicy(maxAttempts, firstBackoff, maxBackoff, jitter, List.of(types));
    }

    /**
     * Returns whether a failure of this kind is retried.
     *
     * @param failure what the function threw
     * @return {@code true} if it is one of the retryable types
     */
    public boolean isRetryable(Throwable failure) {
        for (Class<? extends Throwable> type : retryOn) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the number of calls per item in all.
     *
     * @return at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Returns the delay before the first retry.
     *
     * @return the first backoff
     */
    public Duration firstBackoff() {
        return firstBackoff;
    }

    /**
     * Returns the longest delay between attempts.
     *
     * @return the maximum backoff
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * Returns the share by which delays vary.
     *
     * @return from 0 to 1
     */
    public double jitter() {
        return jitter;
    }

    /**
     * Returns the retryable exception types.
     *
     * @return an unmodifiable list
     */
    public List<Class<? extends Throwable>> retryableTypes() {
        return retryOn;
    }

    @Override
    public String toString() {
        return "retry(attempts=" + maxAttempts + ", backoff=" + firstBackoff.toMillis() + ".." + maxBackoff.toMillis()
                + "ms, jitter=" + jitter + ")";
    }
}
