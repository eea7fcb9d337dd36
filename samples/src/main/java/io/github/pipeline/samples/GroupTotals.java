package io.github.pipeline.samples;

import io.github.pipeline.api.SpillCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The accumulator of one group of {@code csv-aggregate}: the number of rows, and the exact sum, the
 * minimum and the maximum of each aggregated column. {@link BigDecimal}s, so that sums do not depend
 * on the order in which parallel rails deliver the rows. Mutable: {@link #add} changes and returns it,
 * which is safe because the aggregate stage folds one group on one thread.
 */
final class GroupTotals {

    private long count;
    private final BigDecimal[] sums;
    private final BigDecimal[] mins;
    private final BigDecimal[] maxs;

    GroupTotals(int columns) {
        this(0, new BigDecimal[columns], new BigDecimal[columns], new BigDecimal[columns]);
        java.util.Arrays.fill(sums, BigDecimal.ZERO);
    }

    private GroupTotals(long count, BigDecimal[] sums, BigDecimal[] mins, BigDecimal[] maxs) {
        this.count = count;
        this.sums = sums;
        this.mins = mins;
        this.maxs = maxs;
    }

    /** Adds a row's values, one per aggregated column. */
    GroupTotals add(BigDecimal[] values) {
        count++;
        for (int i = 0; i < values.length; i++) {
            sums[i] = sums[i].add(values[i]);
            mins[i] = mins[i] == null || values[i].compareTo(mins[i]) < 0 ? values[i] : mins[i];
            maxs[i] = maxs[i] == null || values[i].compareTo(maxs[i]) > 0 ? values[i] : maxs[i];
        }
        return this;
    }

    /** Adds the totals of later rows of the same group. */
    GroupTotals merge(GroupTotals later) {
        count += later.count;
        for (int i = 0; i < sums.length; i++) {
            sums[i] = sums[i].add(later.sums[i]);
            if (later.mins[i] != null) {
                mins[i] = mins[i] == null || later.mins[i].compareTo(mins[i]) < 0 ? later.mins[i] : mins[i];
                maxs[i] = maxs[i] == null || later.maxs[i].compareTo(maxs[i]) > 0 ? later.maxs[i] : maxs[i];
            }
        }
        return this;
    }

    long count() {
        return count;
    }

    BigDecimal sum(int column) {
        return sums[column];
    }

    BigDecimal min(int column) {
        return mins[column];
    }

    BigDecimal max(int column) {
        return maxs[column];
    }

    /** Writes and reads totals of {@code columns} columns, for the aggregate stage's spill files. */
    static SpillCodec<GroupTotals> codec(int columns) {
        return new SpillCodec<>() {
            @Override
            public void write(GroupTotals totals, DataOutput out) throws IOException {
                out.writeLong(totals.count);
                for (int i = 0; i < columns; i++) {
                    writeDecimal(totals.sums[i], out);
                    writeDecimal(totals.mins[i], out);
                    writeDecimal(totals.maxs[i], out);
                }
            }

            @Override
            public GroupTotals read(DataInput in) throws IOException {
                long count = in.readLong();
                BigDecimal[] sums = new BigDecimal[columns];
                BigDecimal[] mins = new BigDecimal[columns];
                BigDecimal[] maxs = new BigDecimal[columns];
                for (int i = 0; i < columns; i++) {
                    sums[i] = readDecimal(in);
                    mins[i] = readDecimal(in);
                    maxs[i] = readDecimal(in);
                }
                return new GroupTotals(count, sums, mins, maxs);
            }
        };
    }

    private static void writeDecimal(BigDecimal value, DataOutput out) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] unscaled = value.unscaledValue().toByteArray();
        out.writeInt(unscaled.length);
        out.write(unscaled);
        out.writeInt(value.scale());
    }

    private static BigDecimal readDecimal(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] unscaled = new byte[length];
        in.readFully(unscaled);
        return new BigDecimal(new BigInteger(unscaled), in.readInt());
    }
}
