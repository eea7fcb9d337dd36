package io.github.pipeline.io;

/** Whether a file source's files are gzip-compressed. */
public enum Compression {
    /** Gzip when the file name ends with {@code .gz} or the file starts with gzip's magic bytes: the default. */
    AUTO,
    /** Always gzip. */
    GZIP,
    /** Never compressed. */
    NONE
}
