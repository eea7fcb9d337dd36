package io.github.pipeline.runtime;

import io.github.pipeline.api.StageOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Times one call of a stage's function: a watchdog on the run's timer interrupts the calling thread
 * when the call runs past the stage's timeout, and the call then fails with a {@link TimeoutException}
 * (also when it ignored the interrupt and returned late: its result is discarded). The interrupt is
 * always cleared before the thread takes its next item.
 */
final class CallTimeout {

    /** A call of the user's function. */
    interface Call {
        Object call() throws Throwable;
    }

    private final Duration timeout;
    private final Scheduler timer;

    private CallTimeout(Duration timeout, Scheduler timer) {
        this.timeout = timeout;
        this.timer = timer;
    }

    /** The timeout of a stage, on the run's timer, or {@code null} when its calls are not timed. */
    static CallTimeout of(StageOptions options, Scheduler timer) {
        return options.timeout().map(timeout -> new CallTimeout(timeout, timer)).orElse(null);
    }

    Object call(Call call) throws Throwable {
        Watchdog watchdog = new Watchdog(Thread.currentThread());
        Disposable alarm = timer.schedule(watchdog, timeout.toNanos(), TimeUnit.NANOSECONDS);
        Object out = null;
        Throwable failure = null;
        try {
            out = call.call();
        } catch (Throwable e) {
            failure = e;
        } finally {
            alarm.dispose();
        }
        if (watchdog.timedOut()) {
            TimeoutException timedOut = new TimeoutException("the call took longer than " + timeout);
            if (failure != null) {
                timedOut.initCause(failure);
            }
            throw timedOut;
        }
        if (failure != null) {
            throw failure;
        }
        return out;
    }

    /** Interrupts the calling thread once, unless the call finished first. */
    private static final class Watchdog implements Runnable {
        private static final int RUNNING = 0;
        private static final int INTERRUPTING = 1;
        private static final int TIMED_OUT = 2;
        private static final int FINISHED = 3;

        private final Thread caller;
        private final AtomicInteger state = new AtomicInteger(RUNNING);

        Watchdog(Thread caller) {
            this.caller = caller;
        }

        @Override
        public void run() {
            if (state.compareAndSet(RUNNING, INTERRUPTING)) {
                caller.interrupt();
                state.set(TIMED_OUT);
            }
        }

        /** Called by the caller when its call has ended: whether it timed out (its interrupt then cleared). */
        boolean timedOut() {
            if (state.compareAndSet(RUNNING, FINISHED)) {
                return false;
            }
            while (state.get() != TIMED_OUT) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            return true;
        }
    }
}
