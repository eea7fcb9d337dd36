package io.github.pipeline.api;

/**
 * Turns items into short text for error messages and logs, so a failure names the item without
 * printing a megabyte of it.
 */
public final class Items {

    /** Items longer than this, as text, are cut. */
    public static final int MAX_LENGTH = 80;

    private Items() {
    }

    /**
     * Returns {@code String.valueOf(item)}, cut to {@value #MAX_LENGTH} characters with a note of the
     * full length when it is longer. Never throws: an item whose {@code toString} fails is described by
     * its class.
     *
     * @param item any item, may be {@code null}
     * @return a short description of the item
     */
    public static String abbreviate(Object item) {
        String text;
        try {
            text = String.valueOf(item);
        } catch (RuntimeException e) {
            return "<" + item.getClass().getName() + ": toString failed>";
        }
        if (text.length() <= MAX_LENGTH) {
            return text;
        }
        return text.substring(0, MAX_LENGTH) + "... (" + text.length() + " chars)";
    }
}
