package io.github.pipeline.runtime;

import java.util.Comparator;

/**
 * An item tagged with its position in the source, so that ordered rails can restore source order.
 * The outputs of one item (a flatMap's fan-out) share its index.
 */
record Indexed(long index, Object value) {

    static final Comparator<Object> BY_INDEX = Comparator.comparingLong(o -> ((Indexed) o).index);

    Indexed withValue(Object newValue) {
        return new Indexed(index, newValue);
    }
}
