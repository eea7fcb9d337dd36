package io.github.pipeline.runtime;

import java.nio.file.Path;

/**
 * A finished run file: its entries are in key order, each key once.
 *
 * @param file    the file
 * @param entries how many entries it holds
 * @param bytes   its size
 */
record SortedRun(Path file, long entries, long bytes) {
}
