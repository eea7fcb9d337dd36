/**
 * Files in and out: {@link io.github.pipeline.io.FileSource} reads lines, CSV and JSON lines (gzipped or
 * not, one file or a directory of them) with a bounded buffer, exact positions and per-record errors;
 * {@link io.github.pipeline.io.FileSink} writes lines, CSV and JSON lines atomically; and
 * {@link io.github.pipeline.io.DatasetGenerator} makes large, deterministic inputs. See
 * {@code docs/files.md}.
 */
package io.github.pipeline.io;
