package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.RunResult;
import java.math.BigInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CubeCommandTest {

    private static long sumOfCubes(long n) {
        return LongStream.rangeClosed(1, n).map(x -> x * x * x).sum();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "3", "8"})
    void printsTheSumOfTheCubes(String parallelism) {
        Cli cli = Cli.run("cube", "--count", "1000", "--parallelism", parallelism);

        assertThat(cli.status()).isZero();
        assertThat(cli.outLines()).containsExactly(Long.toString(sumOfCubes(1000)));
        assertThat(cli.err()).contains("pipeline 'sum-of-cubes' finished", "1000 items from the source");
    }

    @Test
    void anEmptyRangeSumsToZero() {
        Cli cli = Cli.run("cube", "--count", "0");

        assertThat(cli.status()).isZero();
        assertThat(cli.outLines()).containsExactly("0");
    }

    @Test
    void thePipelineAccountsForEveryItem() {
        RunResult<BigInteger> result = CubeCommand.sumOfCubes(5_000, 4).run().verifyBalanced();

        assertThat(result.value()).isEqualTo(BigInteger.valueOf(sumOfCubes(5_000)));
        assertThat(result.stage("f").emitted()).isEqualTo(5_000);
    }

    @Test
    void cubesAreExactBeyondTheRangeOfLong() {
        assertThat(CubeCommand.f(3_000_000)).isEqualTo(new BigInteger("27000000000000000000"));
    }
}
