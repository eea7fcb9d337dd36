package io.github.pipeline.runtime;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Stage;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
        Saved {
            source = Map.copyOf(source);
            sink = Map.copyOf(sink);
        }
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
        // one fixed name aside, so that a process killed while writing leaves nothing the next save does not
        // overwrite
        Path aside = aside(file);
        Files.createDirectories(aside.getParent());
        try (FileChannel channel = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            Writer out = new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8);
            properties.store(out, "checkpoint of pipeline '" + pipeline.name() + "': delete it to start afresh");
            out.flush();
            channel.force(true);
        }
        try {
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes what a save killed half way may have left. */
    static void deleteLeftovers(Path file) throws IOException {
        Files.deleteIfExists(aside(file));
    }

    private static Path aside(Path file) {
        Path absolute = file.toAbsolutePath();
        return absolute.resolveSibling("." + absolute.getFileName() + ".saving");
    }

    /**
     * What must not change between a checkpoint and its resume: the pipeline's name, source, stages
     * (names, kinds, whether ordered) and sink.
     */
    private static Map<String, String> fingerprint(Pipeline<?> pipeline) {
        StringBuilder stages = new StringBuilder();
        for (Stage stage : pipeline.stages()) {
            stages.append(stages.length() == 0 ? "" : ", ").append(stage.kind()).append(" '").append(stage.name())
                    .append('\'').append(stage.options().ordered() && stage.options().isParallel() ? " ordered" : "");
        }
        return Map.of("pipeline", pipeline.name(),
                "source", pipeline.source().description(),
                "stages", stages.toString(),
                "sink", pipeline.sink().description());
    }
}
