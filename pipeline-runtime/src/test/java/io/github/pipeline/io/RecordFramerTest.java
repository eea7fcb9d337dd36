package io.github.pipeline.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Framing does not depend on how the bytes arrive: records split across reads of 1 to 7 bytes come out
 * the same as from the generator, with the right lines and offsets, through a buffer that stays small.
 */
class RecordFramerTest {

    /** Hands out at most a few bytes per read, as a slow pipe or a gzip stream may. */
    private static InputStream trickle(byte[] bytes, long seed) {
        Random random = new Random(seed);
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
            }
        };
    }

    private static List<String> frameAll(RecordFramer framer) throws Exception {
        List<String> records = new ArrayList<>();
        while (framer.next()) {
            records.add(new String(framer.bytes(), framer.recordStart(), framer.recordLength(), StandardCharsets.UTF_8));
        }
        return records;
    }

    private static byte[] bytes(DatasetGenerator generator) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        generator.writeTo(out);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void csvRecordsSplitAcrossTinyReadsAreFramedAsGenerated(long seed) throws Exception {
        DatasetGenerator csv = DatasetGenerator.csv().withRows(2_000).withSeed(seed);

        List<String> framed = frameAll(RecordFramer.csv(trickle(bytes(csv), seed), false, 4096, '"', ',', true));

        assertThat(framed).isEqualTo(csv.records().toList());
        assertThat(framed).anyMatch(record -> record.contains("\n")); // some quoted notes span two lines
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void linesSplitAcrossTinyReadsAreFramedAsGenerated(long seed) throws Exception {
        DatasetGenerator text = DatasetGenerator.text().withRows(2_000).withSeed(seed);

        assertThat(frameAll(RecordFramer.lines(trickle(bytes(text), seed), false, 4096, true)))
                .isEqualTo(text.records().toList());
    }

    @Test
    void linesAndOffsetsCountEveryByteTheByteOrderMarkIncluded() throws Exception {
        byte[] bytes = "\uFEFFa\r\nbb\n\"q\nq\"\nlast".getBytes(StandardCharsets.UTF_8);
        RecordFramer framer = RecordFramer.csv(trickle(bytes, 9), false, 100, '"', ',', true);
        List<long[]> positions = new ArrayList<>();
        while (framer.next()) {
            positions.add(new long[] {framer.recordLine(), framer.recordOffset(), framer.recordLength()});
        }

        assertThat(positions).containsExactly(new long[] {1, 3, 1}, new long[] {2, 6, 2}, new long[] {3, 9, 5},
                new long[] {5, 15, 4});
    }

    @Test
    void theBufferNeverGrowsPastTheMaximumRecordLength() throws Exception {
        String longLine = "y".repeat(10_000);
        byte[] bytes = ("a\n" + longLine + "\nb\n" + longLine).getBytes(StandardCharsets.UTF_8);
        RecordFramer framer = RecordFramer.lines(new ByteArrayInputStream(bytes), false, 100, false);

        assertThat(framer.next()).isTrue();
        assertThatThrownBy(framer::next).isInstanceOf(RecordFramer.FrameException.class)
                .hasMessage("the line is 10000 bytes long, more than the maximum of 100");
        assertThat(framer.next()).isTrue();
        assertThat(new String(framer.bytes(), framer.recordStart(), framer.recordLength(), StandardCharsets.UTF_8))
                .isEqualTo("b");
        assertThat(framer.recordLine()).isEqualTo(3);
        assertThat(framer.bytes().length).isLessThanOrEqualTo(102);
        assertThatThrownBy(framer::next).isInstanceOf(RecordFramer.FrameException.class);
        assertThat(framer.next()).isFalse();
    }

    @Test
    void aFileWithoutContentHasNoRecords() throws Exception {
        assertThat(RecordFramer.lines(new ByteArrayInputStream(new byte[0]), false, 10, true).next()).isFalse();
        assertThat(RecordFramer.csv(new ByteArrayInputStream(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}), false,
                10, '"', ',', true).next()).isFalse();
    }
}
