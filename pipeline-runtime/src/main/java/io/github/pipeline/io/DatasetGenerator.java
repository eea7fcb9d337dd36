package io.github.pipeline.io;

import io.github.pipeline.api.AtomicFileOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Makes large, realistic, deterministic inputs: text, CSV or JSON lines of a given size or number of
 * records, the same bytes for the same seed on every machine. For tests and for trying pipelines on big
 * files. Immutable.
 *
 * <pre>{@code
 * DatasetGenerator.csv().withRows(10_000_000).withSeed(7).writeTo(Path.of("big.csv"));
 * DatasetGenerator.text().withSize(500L << 20).withGzip(true).writeTo(Path.of("big.txt.gz"));
 * }</pre>
 *
 * <ul>
 *   <li><b>text</b>: lines of 3 to 16 words, some of them not ASCII (UTF-8).</li>
 *   <li><b>CSV</b>: a header, then rows of the columns {@link #CSV_COLUMNS}: a long id, text (some
 *       quoted because they hold a comma or a quote; one note in 200 spans two lines inside quotes), a
 *       decimal amount, an int quantity, a boolean and an ISO-8601 instant.</li>
 *   <li><b>JSON lines</b>: one object a line with the same fields, numbers and booleans as JSON values.</li>
 * </ul>
 */
public final class DatasetGenerator {

    /** The kinds of data. */
    public enum Format {
        /** Lines of words. */
        TEXT,
        /** CSV with a header. */
        CSV,
        /** JSON lines: one object a line. */
        JSON_LINES
    }

    /** The columns of the CSV data, and the fields of the JSON lines. */
    public static final List<String> CSV_COLUMNS =
            List.of("id", "name", "city", "category", "amount", "quantity", "active", "created", "note");

    private static final String[] WORDS = {
        "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not",
        "stream", "pipeline", "record", "batch", "parallel", "rail", "buffer", "sink", "source", "stage", "item",
        "memory", "bounded", "heap", "core", "thread", "reactor", "flux", "backpressure", "demand", "window",
        "alpha", "beta", "gamma", "delta", "river", "mountain", "forest", "ocean", "desert", "valley", "island",
        "café", "naïve", "Zürich", "Łódź", "São", "Ångström", "über", "façade", "résumé", "Kraków", "東京", "データ"
    };
    private static final String[] FIRST = {"Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John",
        "Margaret", "Niklaus", "Radia", "Tony", "Zoë", "José", "Chloé", "Søren"};
    private static final String[] LAST = {"Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen",
        "McCarthy", "Hamilton", "Wirth", "Perlman", "Hoare", "Müller", "García", "Nakamura", "O'Brien"};
    private static final String[] CITIES = {"London", "Paris", "Zürich", "São Paulo", "Łódź", "Tokyo", "Lagos",
        "Lima", "Oslo", "Cairo", "Austin", "Pune", "Hanoi", "Quito", "Perth", "Kraków"};
    private static final String[] CATEGORIES = {"books", "tools", "games", "food", "garden", "music", "toys", "sports"};
    /** 2024-01-01T00:00:00Z: timestamps fall in the year after it. */
    private static final long EPOCH_2024 = 1_704_067_200L;

    private final Format format;
    private final long seed;
    private final long rows;
    private final long size;
    private final boolean gzip;

    private DatasetGenerator(Format format, long seed, long rows, long size, boolean gzip) {
        this.format = format;
        this.seed = seed;
        this.rows = rows;
        this.size = size;
        this.gzip = gzip;
    }

    /**
     * A generator of the given format, seed 42, with no size set yet.
     *
     * @param format the kind of data
     * @return the generator
     */
    public static DatasetGenerator of(Format format) {
        return new DatasetGenerator(Objects.requireNonNull(format, "format"), 42, -1, -1, false);
    }

    /**
     * A generator of text lines.
     *
     * @return the generator
     */
    public static DatasetGenerator text() {
        return of(Format.TEXT);
    }

    /**
     * A generator of CSV with a header.
     *
     * @return the generator
     */
    public static DatasetGenerator csv() {
        return of(Format.CSV);
    }

    /**
     * A generator of JSON lines.
     *
     * @return the generator
     */
    public static DatasetGenerator jsonLines() {
        return of(Format.JSON_LINES);
    }

    /**
     * Returns a copy with another seed: the same seed makes the same data.
     *
     * @param seed any value
     * @return the copy
     */
    public DatasetGenerator withSeed(long seed) {
        return new DatasetGenerator(format, seed, rows, size, gzip);
    }

    /**
     * Returns a copy that makes exactly {@code rows} records (lines of text, CSV rows after the header,
     * JSON lines), whatever their size.
     *
     * @param rows at least 0
     * @return the copy
     * @throws IllegalArgumentException if {@code rows} is negative
     */
    public DatasetGenerator withRows(long rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must not be negative, got " + rows);
        }
        return new DatasetGenerator(format, seed, rows, -1, gzip);
    }

    /**
     * Returns a copy that makes as many whole records as fit in {@code bytes} bytes of (uncompressed)
     * data, the CSV header included.
     *
     * @param bytes at least 0
     * @return the copy
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public DatasetGenerator withSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + bytes);
        }
        return new DatasetGenerator(format, seed, -1, bytes, gzip);
    }

    /**
     * Returns a copy that writes gzip-compressed files, or not.
     *
     * @param gzip whether to compress
     * @return the copy
     */
    public DatasetGenerator withGzip(boolean gzip) {
        return new DatasetGenerator(format, seed, rows, size, gzip);
    }

    /**
     * Returns the format made.
     *
     * @return the format
     */
    public Format format() {
        return format;
    }

    /**
     * Writes the data to a file, atomically (aside, then moved into place).
     *
     * @param file the file
     * @return how many records and bytes were written
     * @throws IOException if the file cannot be written
     * @throws IllegalStateException if neither rows nor a size was set
     */
    public Written writeTo(Path file) throws IOException {
        checkSized();
        try (AtomicFileOutput output = AtomicFileOutput.open(file, gzip)) {
            Written written = write(output.stream());
            output.commit();
            return written;
        }
    }

    /**
     * Writes the data to a stream, uncompressed (whatever {@link #withGzip} says), without closing it.
     *
     * @param out the stream
     * @return how many records and bytes were written
     * @throws IOException if writing fails
     * @throws IllegalStateException if neither rows nor a size was set
     */
    public Written writeTo(OutputStream out) throws IOException {
        checkSized();
        BufferedOutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
        Written written = write(buffered);
        buffered.flush(); // not close(): the caller's stream stays open
        return written;
    }

    /**
     * Returns the records as text, each without its line end (a CSV header first), made as the stream is
     * read: the same records {@link #writeTo(Path)} writes, one line each, except that a CSV row whose
     * note spans two lines is one string holding a {@code \n}.
     *
     * @return the records, lazily
     * @throws IllegalStateException if neither rows nor a size was set
     */
    public Stream<String> records() {
        checkSized();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new Records(), Spliterator.ORDERED), false);
    }

    private void checkSized() {
        if (rows < 0 && size < 0) {
            throw new IllegalStateException("set the number of rows or the size of the data first");
        }
    }

    /** Writes every record to {@code out}, which buffers (the atomic output's stream does already). */
    private Written write(OutputStream out) throws IOException {
        Records records = new Records();
        long bytes = 0;
        while (records.hasNext()) {
            byte[] record = records.nextBytes();
            out.write(record);
            bytes += record.length;
        }
        return new Written(records.made, bytes);
    }

    /**
     * What a generator wrote.
     *
     * @param records the records (lines of text, CSV rows without the header, JSON lines)
     * @param bytes   the bytes of data, uncompressed
     */
    public record Written(long records, long bytes) {
    }

    /** Makes the records one at a time; tracks the count and, for a size limit, the bytes. */
    private final class Records implements Iterator<String> {
        private final SplittableRandom random = new SplittableRandom(seed);
        private final StringBuilder sb = new StringBuilder(256);
        private boolean headerDone = format != Format.CSV;
        private long made;
        private long bytes;
        private byte[] pending;

        @Override
        public boolean hasNext() {
            if (pending != null) {
                return true;
            }
            if (!headerDone) {
                pending = line(String.join(",", CSV_COLUMNS));
                if (size >= 0 && pending.length > size) {
                    pending = null;
                    return false;
                }
                headerDone = true;
                bytes += pending.length;
                return true;
            }
            if (rows >= 0 && made >= rows) {
                return false;
            }
            byte[] record = line(makeRecord(made + 1));
            if (size >= 0 && bytes + record.length > size) {
                return false;
            }
            bytes += record.length;
            made++;
            pending = record;
            return true;
        }

        /** The next record with its line end, as UTF-8. */
        byte[] nextBytes() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            byte[] record = pending;
            pending = null;
            return record;
        }

        @Override
        public String next() {
            byte[] record = nextBytes();
            return new String(record, 0, record.length - 1, StandardCharsets.UTF_8);
        }

        private byte[] line(String record) {
            return (record + "\n").getBytes(StandardCharsets.UTF_8);
        }

        private String makeRecord(long id) {
            sb.setLength(0);
            switch (format) {
                case TEXT -> words(3 + random.nextInt(14));
                case CSV -> csvRow(id);
                case JSON_LINES -> jsonRow(id);
            }
            return sb.toString();
        }

        private void words(int count) {
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(WORDS[random.nextInt(WORDS.length)]);
            }
        }

        private String name() {
            String name = FIRST[random.nextInt(FIRST.length)] + " " + LAST[random.nextInt(LAST.length)];
            return random.nextInt(40) == 0 ? name + ", Jr." : random.nextInt(60) == 0 ? name + " \"the great\"" : name;
        }

        private String note() {
            int start = sb.length();
            words(random.nextInt(9));
            if (random.nextInt(200) == 0) {
                sb.append("\nsecond line");
            }
            String note = sb.substring(start);
            sb.setLength(start);
            return note;
        }

        private void csvRow(long id) {
            String name = name();
            String city = CITIES[random.nextInt(CITIES.length)];
            String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
            long cents = 1 + random.nextLong(1_000_000);
            int quantity = 1 + random.nextInt(500);
            boolean active = random.nextBoolean();
            String created = Instant.ofEpochSecond(EPOCH_2024 + random.nextLong(366L * 86_400)).toString();
            String note = note();
            sb.append(id).append(',');
            csvField(name);
            sb.append(',');
            csvField(city);
            sb.append(',').append(category).append(',');
            amount(cents);
            sb.append(',').append(quantity).append(',').append(active).append(',').append(created).append(',');
            csvField(note);
        }

        private void csvField(String text) {
            if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0) {
                sb.append(text);
                return;
            }
            sb.append('"').append(text.replace("\"", "\"\"")).append('"');
        }

        private void jsonRow(long id) {
            String name = name();
            String city = CITIES[random.nextInt(CITIES.length)];
            String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
            long cents = 1 + random.nextLong(1_000_000);
            int quantity = 1 + random.nextInt(500);
            boolean active = random.nextBoolean();
            String created = Instant.ofEpochSecond(EPOCH_2024 + random.nextLong(366L * 86_400)).toString();
            String note = note();
            sb.append("{\"id\":").append(id).append(",\"name\":");
            jsonString(name);
            sb.append(",\"city\":");
            jsonString(city);
            sb.append(",\"category\":\"").append(category).append("\",\"amount\":");
            amount(cents);
            sb.append(",\"quantity\":").append(quantity).append(",\"active\":").append(active)
                    .append(",\"created\":\"").append(created).append("\",\"note\":");
            jsonString(note);
            sb.append('}');
        }

        private void jsonString(String text) {
            sb.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c);
                }
            }
            sb.append('"');
        }

        private void amount(long cents) {
            sb.append(cents / 100).append('.');
            long rest = cents % 100;
            if (rest < 10) {
                sb.append('0');
            }
            sb.append(rest);
        }
    }
}
