package io.github.pipeline.io;

/** What a file source does with bytes that are not valid in its charset (invalid UTF-8, for example). */
public enum MalformedInput {
    /**
     * The record is malformed: an error naming the file, the line and the byte goes to the source's
     * error policy (fail the run, skip or dead-letter the record). The default.
     */
    FAIL,
    /** Each invalid sequence becomes the replacement character U+FFFD and the record is read on. */
    REPLACE
}
