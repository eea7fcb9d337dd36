package io.github.pipeline.io;

import java.io.IOException;

/**
 * A file cannot be read on at all (its CSV header is malformed or names a column twice): unlike a
 * malformed record, this fails the run whatever the source's error policy.
 */
final class InvalidFileException extends IOException {
    InvalidFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
