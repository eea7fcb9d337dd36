package io.github.pipeline.runtime;

/**
 * An item tagged with its position in the source, so that ordered rails can restore source order.
 * The outputs of one item (a flatMap's fan-out) share its index.
 */
record Indexed(long index, Object value) {

    Indexed withValue(Object newValue) {
        return new Indexed(index, newValue);
    }
}
