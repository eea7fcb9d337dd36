package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class StarmapCommandTest {

    @Test
    void printsBothSumsAndThePoolExample() {
        long n = 1000;
        long squares = LongStream.rangeClosed(1, n).map(x -> x * x).sum();
        long tens = LongStream.rangeClosed(1, n).map(x -> x * 10).sum();

        Cli cli = Cli.run("starmap", "--count", Long.toString(n), "--parallelism", "3");

        assertThat(cli.status()).isZero();
        assertThat(cli.outLines()).containsExactly(
                "zip(range, range): " + squares,
                "zip(range, repeat(10)): " + tens,
                "pool.starmap(f2, zip(range(1, 7), repeat(10))): [10, 20, 30, 40, 50, 60]");
        assertThat(cli.err()).contains("pipeline 'zip-range-range' finished", "pipeline 'zip-range-repeat' finished");
    }

    @Test
    void theRepeatEndsWithTheRange() {
        var result = StarmapCommand.rangeTimesTen(2_000, 2).run().verifyBalanced();

        assertThat(result.sourceItems()).isEqualTo(2_000);
        assertThat(result.value()).isEqualTo(BigInteger.valueOf(10L * 2_000 * 2_001 / 2));
    }

    @Test
    void theSumsAreExactBeyondTheRangeOfLong() {
        assertThat(StarmapCommand.f2(Long.MAX_VALUE, 10))
                .isEqualTo(BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.TEN));
    }
}
