package io.github.pipeline.runtime;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import reactor.util.Logger;
import reactor.util.Loggers;

/**
 * Passes on the partly filled chunks of chunkers whose input has gone quiet. A chunker checks its
 * latency bound only as items arrive ({@link FluxChunks}), so when its source stalls in the middle of a
 * chunk (a Kafka topic between bursts, a socket) nothing there would ever look at the
 * clock again: the items already in the chunk would wait for the next item or the end of the input. This
 * thread looks for them: it wakes when the oldest open chunk's first item reaches its bound and passes
 * that chunk on.
 *
 * <p>One thread for the JVM ({@link #SHARED}), named {@code pipeline-engine-chunk-sweeper}, started when
 * the first chunker registers and ended after {@link #KEEP_IDLE} with none. While chunks fill in time it
 * wakes about once per latency bound (5 ms by default) and finds nothing to do; it never runs a stage's
 * function, it only hands a finished chunk to the next operator's queue.
 */
final class ChunkSweeper {

    private static final Logger LOG = Loggers.getLogger(ChunkSweeper.class);

    /** How long the thread waits with no chunker registered before it ends. */
    static final Duration KEEP_IDLE = Duration.ofSeconds(60);

    /** The shortest wait between two sweeps, so a burst of chunks at their bound costs few wake-ups. */
    static final long MIN_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    /** The longest wait between two sweeps. */
    static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** The sweeper every run's chunkers register with. */
    static final ChunkSweeper SHARED = new ChunkSweeper();

    private final Set<FluxChunks.ChunkingSubscriber> chunkers = ConcurrentHashMap.newKeySet();
    /** The sweeping thread, or {@code null} when none runs; guarded by {@code this}. */
    private Thread thread;

    private ChunkSweeper() {
    }

    /** Watches {@code chunker} until {@link #unregister}; starts the sweeping thread if none runs. */
    void register(FluxChunks.ChunkingSubscriber chunker) {
        chunkers.add(chunker);
        synchronized (this) {
            if (thread == null) {
                thread = new Thread(this::sweepWhileNeeded, "pipeline-engine-chunk-sweeper");
                thread.setDaemon(true);
                thread.start();
            } else {
                notifyAll(); // it may be waiting for a chunker
                LockSupport.unpark(thread); // or sleeping longer than the new chunker's bound
            }
        }
    }

    /** Stops watching {@code chunker}: its input has ended or it was cancelled. */
    void unregister(FluxChunks.ChunkingSubscriber chunker) {
        chunkers.remove(chunker);
    }

    /** Whether {@code chunker} is watched now. */
    boolean watches(FluxChunks.ChunkingSubscriber chunker) {
        return chunkers.contains(chunker);
    }

    private void sweepWhileNeeded() {
        while (awaitChunkers()) {
            long now = System.nanoTime();
            long next = now + MAX_PAUSE_NANOS;
            for (FluxChunks.ChunkingSubscriber chunker : chunkers) {
                try {
                    next = Math.min(next, chunker.passOnIfLate(now));
                } catch (Throwable e) { // a downstream operator failed: the run sees it; the sweeper goes on
                    LOG.warn("passing a late chunk on failed", e);
                }
            }
            LockSupport.parkNanos(Math.max(MIN_PAUSE_NANOS, next - System.nanoTime()));
        }
    }

    /** Waits until a chunker is registered: true; or false when none was for {@link #KEEP_IDLE}. */
    private synchronized boolean awaitChunkers() {
        long idleSince = System.nanoTime();
        while (chunkers.isEmpty()) {
            long left = KEEP_IDLE.toNanos() - (System.nanoTime() - idleSince);
            if (left <= 0) {
                thread = null;
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                // nobody but this class knows the thread; go on waiting
            }
        }
        return true;
    }
}
