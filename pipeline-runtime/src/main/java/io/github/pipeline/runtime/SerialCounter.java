package io.github.pipeline.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A count kept by one writer at a time (a source's or sink's signals, which Reactive Streams
 * serializes) and read by any thread: an increment is a plain add and an opaque store, about a
 * nanosecond, where a {@link java.util.concurrent.atomic.LongAdder} costs an atomic instruction. Readers
 * see every increment eventually and never a torn value; the count only grows.
 *
 * <p>Only for counts whose increments are serialized: two threads incrementing at once may lose one.
 */
final class SerialCounter {

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(SerialCounter.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through VALUE
    private long value;

    /** Adds one; by the one writer of the moment only. */
    void increment() {
        add(1);
    }

    /** Adds {@code n}; by the one writer of the moment only. */
    void add(long n) {
        VALUE.setOpaque(this, (long) VALUE.getOpaque(this) + n);
    }

    /** The count so far; any thread. */
    long sum() {
        return (long) VALUE.getOpaque(this);
    }
}
