package io.github.pipeline.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Execution;
import java.math.BigInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class MapAsyncCommandTest {

    @Test
    void printsTheSumOfTheCubesAndChecksIt() {
        long expected = LongStream.rangeClosed(1, 1000).map(x -> x * x * x).sum();

        Cli cli = Cli.run("map-async", "--count", "1000", "--parallelism", "2");

        assertThat(cli.status()).isZero();
        assertThat(cli.outLines()).containsExactly(Long.toString(expected));
        assertThat(cli.err()).contains("pipeline 'sum-of-cubes' finished", "check: equal to the closed form");
    }

    @Test
    void theClosedFormAgreesWithALoop() {
        for (long n : new long[] {0, 1, 2, 7, 1000, 77_000}) {
            long loop = LongStream.rangeClosed(1, n).map(x -> x * x * x).sum();
            assertThat(MapAsyncCommand.sumOfCubesClosedForm(n)).as("n = %d", n).isEqualTo(BigInteger.valueOf(loop));
        }
    }

    @Test
    void describesProgress() {
        Execution<BigInteger> execution = CubeCommand.sumOfCubes(10, 2).start();
        execution.await();

        assertThat(MapAsyncCommand.describe(execution.progress()))
                .startsWith("progress: 10 of 10 items read (100%), 10 into the sink, ");
    }
}
