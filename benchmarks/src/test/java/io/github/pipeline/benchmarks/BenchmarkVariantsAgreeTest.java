package io.github.pipeline.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Every way a benchmark measures must compute the same result, or the comparison means nothing. Runs
 * each {@code @Benchmark} method once, on small sizes, and compares its result with a value worked out
 * independently. Measures nothing: no test here looks at a clock.
 */
class BenchmarkVariantsAgreeTest {

    @Test
    void cheapFunctionVariantsAllReturnTheSumOfCubes() throws Exception {
        CheapFunctionBenchmark benchmark = new CheapFunctionBenchmark();
        benchmark.items = 10_000;
        benchmark.setUp();
        try {
            long n = benchmark.items;
            long expected = (n * (n + 1) / 2) * (n * (n + 1) / 2); // 1^3 + ... + n^3
            assertThat(resultsOfEveryBenchmark(benchmark)).hasSize(12).allSatisfy((name, result) ->
                    assertThat(result).as(name).isEqualTo(expected));
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void cpuHeavyVariantsAllReturnTheSameSum() throws Exception {
        CpuHeavyBenchmark benchmark = new CpuHeavyBenchmark();
        benchmark.items = 3_000;
        benchmark.setUp();
        try {
            long expected = 0;
            for (long x = 1; x <= benchmark.items; x++) {
                expected += Workloads.heavy(x);
            }
            long sum = expected;
            assertThat(resultsOfEveryBenchmark(benchmark)).hasSize(11).allSatisfy((name, result) ->
                    assertThat(result).as(name).isEqualTo(sum));
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void heavyFunctionDependsOnItsInput() {
        assertThat(Workloads.heavy(1)).isNotEqualTo(Workloads.heavy(2)).isNotEqualTo(1L);
    }

    @Test
    void blockingCallVariantsAllReturnTheSumOfTheItems() throws Exception {
        BlockingCallsBenchmark benchmark = new BlockingCallsBenchmark();
        benchmark.items = 100;
        benchmark.sleepMillis = 1;
        benchmark.concurrency = 8;
        benchmark.setUp();
        try {
            long expected = 100L * 101 / 2;
            boolean virtual = VirtualThreads.available();
            // the virtual-thread ways run on Java 21 or later; before, they say so
            Map<String, Object> results = resultsOfEveryBenchmark(benchmark,
                    name -> virtual || !name.contains("VirtualThread"));
            assertThat(results).hasSize(virtual ? 11 : 9).allSatisfy((name, result) ->
                    assertThat(result).as(name).isEqualTo(expected));
            if (!virtual) {
                assertThatThrownBy(benchmark::engineVirtualThreads)
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("Java 21");
                assertThatThrownBy(benchmark::executorVirtualThreadPerItem)
                        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("Java 21");
            }
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void csvVariantsAllReturnTheSameSumsPerKey() throws Exception {
        CsvAggregateBenchmark benchmark = new CsvAggregateBenchmark();
        benchmark.items = 3_000;
        benchmark.keys = 7;
        benchmark.setUp();
        try {
            Map<String, Long> expected = new LinkedHashMap<>();
            for (String line : CsvRecords.lines(3_000, 7, 42)) {
                CsvRecords.Reading reading = CsvRecords.parse(line);
                long score = Workloads.heavy(reading.stamp() ^ Double.doubleToLongBits(reading.value()));
                expected.merge(reading.key(), score, Long::sum);
            }
            assertThat(expected).hasSize(7);
            assertThat(resultsOfEveryBenchmark(benchmark)).hasSize(9).allSatisfy((name, result) ->
                    assertThat(result).as(name).isEqualTo(expected));
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void parseNamesTheLineItCannotRead() {
        assertThatThrownBy(() -> CsvRecords.parse("sensor-0001;12;3.5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sensor-0001;12;3.5");
    }

    /** Calls every {@code @Benchmark} method of {@code benchmark} once, by name. */
    private static Map<String, Object> resultsOfEveryBenchmark(Object benchmark) throws Exception {
        return resultsOfEveryBenchmark(benchmark, name -> true);
    }

    /** Calls every {@code @Benchmark} method of {@code benchmark} whose name passes {@code named}, by name. */
    private static Map<String, Object> resultsOfEveryBenchmark(Object benchmark, Predicate<String> named)
            throws Exception {
        List<Method> methods = Arrays.stream(benchmark.getClass().getMethods())
                .filter(method -> method.isAnnotationPresent(Benchmark.class) && named.test(method.getName()))
                .toList();
        Map<String, Object> results = new LinkedHashMap<>();
        for (Method method : methods) {
            try {
                results.put(method.getName(), method.invoke(benchmark));
            } catch (InvocationTargetException e) {
                throw new AssertionError(method.getName() + " failed", e.getCause());
            }
        }
        return results;
    }
}
