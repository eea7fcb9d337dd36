package io.github.pipeline.runtime;

import io.github.pipeline.api.AtomicFileOutput;
import io.github.pipeline.api.Pipeline;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A checkpoint as a properties file: which pipeline wrote it (name, source and sink, so a checkpoint is
 * never resumed by another pipeline), the state of the source's reader and of the sink's writer, and how
 * many items the runs that wrote it had read. Written aside, synced and moved into place, so the file
 * is always one whole checkpoint, the last one taken.
 */
final class CheckpointFile {

    private static final String VERSION = "1";
    private static final String SOURCE_STATE = "source.state.";
    private static final String SINK_STATE = "sink.state.";

    /** A saved checkpoint. {@code items} counts the items read before it, by every run so far. */
    record Saved(Map<String, String> source, Map<String, String> sink, long items) {
    }

    private CheckpointFile() {
    }

    /**
     * Reads the checkpoint at {@code file}, if there is one.
     *
     * @throws IOException if it cannot be read, is not a checkpoint, or was written by another pipeline
     */
    static Optional<Saved> load(Path file, Pipeline<?> pipeline) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!VERSION.equals(properties.getProperty("version"))) {
            throw new IOException(file + " is not a checkpoint of this engine (version "
                    + properties.getProperty("version") + ")");
        }
        Map<String, String> expected = fingerprint(pipeline);
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            String saved = properties.getProperty(entry.getKey());
            if (!entry.getValue().equals(saved)) {
                throw new IOException("the checkpoint " + file + " was written by another pipeline: its "
                        + entry.getKey() + " is '" + saved + "', this one's is '" + entry.getValue()
                        + "'; delete the checkpoint to start afresh");
            }
        }
        Map<String, String> source = new HashMap<>();
        Map<String, String> sink = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(SOURCE_STATE)) {
                source.put(key.substring(SOURCE_STATE.length()), properties.getProperty(key));
            } else if (key.startsWith(SINK_STATE)) {
                sink.put(key.substring(SINK_STATE.length()), properties.getProperty(key));
            }
        }
        long items;
        try {
            items = Long.parseLong(properties.getProperty("items", "0"));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": 'items' is not a number", e);
        }
        return Optional.of(new Saved(source, sink, items));
    }

    /** Writes a checkpoint to {@code file}, replacing the one there in one atomic step. */
    static void save(Path file, Pipeline<?> pipeline, Saved checkpoint) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("version", VERSION);
        fingerprint(pipeline).forEach(properties::setProperty);
        properties.setProperty("items", Long.toString(checkpoint.items()));
        checkpoint.source().forEach((key, value) -> properties.setProperty(SOURCE_STATE + key, value));
        checkpoint.sink().forEach((key, value) -> properties.setProperty(SINK_STATE + key, value));
        AtomicFileOutput output = AtomicFileOutput.open(file);
        try {
            Writer out = output.writer(StandardCharsets.UTF_8);
            properties.store(out, "checkpoint of pipeline '" + pipeline.name() + "': delete it to start afresh");
            output.commit();
        } finally {
            output.abort(); // does nothing once committed
        }
    }

    private static Map<String, String> fingerprint(Pipeline<?> pipeline) {
        return Map.of("pipeline", pipeline.name(),
                "source", pipeline.source().description(),
                "sink", pipeline.sink().description());
    }
}
