package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The built-in aggregators give what a loop over the items gives, however the items are split into
 * runs that are merged; their accumulators survive a trip through their codec; combined aggregators
 * stay consistent when a part fails; the built-in codecs read back exactly what they wrote.
 */
class AggregatorsTest {

    /** Folds {@code items} as a stage would if it spilled after every {@code runLength} items. */
    private static <T, A, R> R foldInRuns(Aggregator<T, A, R> aggregator, List<T> items, int runLength)
            throws IOException {
        A total = null;
        for (int from = 0; from < items.size(); from += runLength) {
            A run = aggregator.create();
            for (T item : items.subList(from, Math.min(items.size(), from + runLength))) {
                run = aggregator.add(run, item);
            }
            run = roundTrip(aggregator.accumulatorCodec().orElseThrow(), run);
            total = total == null ? run : aggregator.merge(total, run);
        }
        return aggregator.finish(total);
    }

    private static <X> X roundTrip(SpillCodec<X> codec, X value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        codec.write(value, new DataOutputStream(bytes));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        X read = codec.read(in);
        assertThat(in.read()).as("the codec reads exactly what it wrote").isEqualTo(-1);
        return read;
    }

    private static final List<Long> VALUES = LongStream.rangeClosed(-500, 1_000).map(x -> x * 37 % 1_001).boxed().toList();

    @Test
    void builtInsEqualALoopWhateverTheRuns() throws IOException {
        long sum = VALUES.stream().mapToLong(Long::longValue).sum();
        for (int runLength : new int[] {1, 7, 100, VALUES.size()}) {
            assertThat(foldInRuns(Aggregators.<Long>count(), VALUES, runLength)).isEqualTo(VALUES.size());
            assertThat(foldInRuns(Aggregators.sumLong(Long::longValue), VALUES, runLength)).isEqualTo(sum);
            assertThat(foldInRuns(Aggregators.sumDouble(x -> x / 4.0), VALUES, runLength)).isEqualTo(sum / 4.0);
            assertThat(foldInRuns(Aggregators.minLong(Long::longValue), VALUES, runLength))
                    .isEqualTo(VALUES.stream().mapToLong(Long::longValue).min().orElseThrow());
            assertThat(foldInRuns(Aggregators.maxLong(Long::longValue), VALUES, runLength))
                    .isEqualTo(VALUES.stream().mapToLong(Long::longValue).max().orElseThrow());
            assertThat(foldInRuns(Aggregators.minDouble(x -> x / 2.0), VALUES, runLength))
                    .isEqualTo(VALUES.stream().mapToDouble(x -> x / 2.0).min().orElseThrow());
            assertThat(foldInRuns(Aggregators.maxDouble(x -> x / 2.0), VALUES, runLength))
                    .isEqualTo(VALUES.stream().mapToDouble(x -> x / 2.0).max().orElseThrow());
            assertThat(foldInRuns(Aggregators.average(x -> x), VALUES, runLength))
                    .isEqualTo((double) sum / VALUES.size());
        }
    }

    @Test
    void anExactSumFailsOnOverflowInsteadOfWrappingAround() {
        Aggregator<Long, ?, Long> sum = Aggregators.sumLong(Long::longValue);
        assertThatThrownBy(() -> foldInRuns(sum, List.of(Long.MAX_VALUE, 1L), 2))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> foldInRuns(sum, List.of(Long.MAX_VALUE, 1L), 1))
                .as("when the partial sums are merged").isInstanceOf(ArithmeticException.class);
    }

    /** Three aggregates of one key. */
    record Stats(long count, double total, double average) {
    }

    @Test
    void combinedAggregatesComputeEachPartAndSpillTogether() throws IOException {
        Aggregator<Long, ?, Stats> stats = Aggregators.combine(Aggregators.count(), Aggregators.sumDouble(x -> x),
                Aggregators.average(x -> x), Stats::new);
        Aggregator<Long, ?, List<Long>> minMax = Aggregators.combine(Aggregators.minLong(x -> x),
                Aggregators.maxLong(x -> x), List::of);

        double sum = VALUES.stream().mapToLong(Long::longValue).sum();
        assertThat(foldInRuns(stats, VALUES, 13)).isEqualTo(new Stats(VALUES.size(), sum, sum / VALUES.size()));
        assertThat(foldInRuns(minMax, VALUES, 13)).containsExactly(
                VALUES.stream().mapToLong(Long::longValue).min().orElseThrow(),
                VALUES.stream().mapToLong(Long::longValue).max().orElseThrow());
        assertThat(stats.description()).isEqualTo("combine(count, sum, average)");
    }

    @Test
    void aPartThatFailsLeavesEveryPartOfTheCombinedAccumulatorAsItWas() {
        Aggregator<Long, ?, List<Long>> countAndSum = Aggregators.combine(Aggregators.count(),
                Aggregators.sumLong(x -> {
                    if (x < 0) {
                        throw new IllegalArgumentException("negative");
                    }
                    return x;
                }), List::of);

        assertThat(addAllSkippingFailures(countAndSum, List.of(1L, 2L, -3L, 4L))).containsExactly(3L, 7L);
    }

    private static <A, R> R addAllSkippingFailures(Aggregator<Long, A, R> aggregator, List<Long> items) {
        A accumulator = aggregator.create();
        for (Long item : items) {
            try {
                accumulator = aggregator.add(accumulator, item);
            } catch (IllegalArgumentException skipped) {
                // as the skip policy does
            }
        }
        return aggregator.finish(accumulator);
    }

    @Test
    void aCustomAggregatorWithACodecSpillsAndOneWithoutHasNoCodec() throws IOException {
        SpillCodec<Set<Long>> longSets = new SpillCodec<>() {
            @Override
            public void write(Set<Long> value, java.io.DataOutput out) throws IOException {
                out.writeInt(value.size());
                for (long x : value) {
                    out.writeLong(x);
                }
            }

            @Override
            public Set<Long> read(java.io.DataInput in) throws IOException {
                Set<Long> set = new HashSet<>();
                for (int n = in.readInt(); n > 0; n--) {
                    set.add(in.readLong());
                }
                return set;
            }
        };
        Aggregator<Long, Set<Long>, Integer> distinct = Aggregators.of(HashSet::new, (set, x) -> {
            set.add(Math.floorMod(x, 10L));
            return set;
        }, (a, b) -> {
            a.addAll(b);
            return a;
        }, Set::size, longSets);

        assertThat(foldInRuns(distinct, VALUES, 50)).isEqualTo(10);
        assertThat(Aggregators.of(ArrayList::new, (list, x) -> list, (a, b) -> a, List::size).accumulatorCodec())
                .isEmpty();
    }

    @Test
    void builtInCodecsReadBackExactlyWhatTheyWrote() throws IOException {
        String long100k = "x".repeat(100_000);
        for (String s : List.of("", "word", "ünïcödé ☃ 𝄞", long100k)) {
            assertThat(roundTrip(SpillCodec.strings(), s)).isEqualTo(s);
        }
        for (long x : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertThat(roundTrip(SpillCodec.longs(), x)).isEqualTo(x);
        }
        for (int x : new int[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertThat(roundTrip(SpillCodec.integers(), x)).isEqualTo(x);
        }
        for (double x : new double[] {0.0, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1e308}) {
            assertThat(Double.doubleToRawLongBits(roundTrip(SpillCodec.doubles(), x)))
                    .as("%s bit for bit", x).isEqualTo(Double.doubleToRawLongBits(x));
        }
    }

    @Test
    void aTruncatedStringFailsInsteadOfReadingGarbage() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SpillCodec.strings().write("truncated", new DataOutputStream(bytes));
        byte[] cut = java.util.Arrays.copyOf(bytes.toByteArray(), 6);

        assertThatThrownBy(() -> SpillCodec.strings().read(new DataInputStream(new ByteArrayInputStream(cut))))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void aCorruptLengthFailsAtTheEndOfTheDataWithoutAllocatingIt() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(Integer.MAX_VALUE); // 2 GiB claimed, 100 KB there: reading it whole would need a 2 GiB array
        out.write(new byte[100_000]);

        assertThatThrownBy(() -> SpillCodec.strings().read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))))
                .isInstanceOf(IOException.class).hasMessageContaining("runs past the end");
    }
}
