package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Building a pipeline checks it: names, uniqueness, options; nothing runs; the graph can be described. */
class PipelineDefinitionTest {

    private static final Source<Long> NUMBERS = Source.range(0, 10);

    @ParameterizedTest(name = "''{0}''")
    @NullAndEmptySource
    @ValueSource(strings = {" ", "has space", "-leading-dash", ".leading-dot", "semi;colon", "slash/name", "ünïcode",
            "a23456789012345678901234567890123456789012345678901234567890123456789"})
    void aBadStageNameIsRejectedAndNamed(String name) {
        assertThatThrownBy(() -> Pipeline.named("p").from(NUMBERS).map(name, x -> x))
                .isInstanceOf(PipelineDefinitionException.class)
                .hasMessageContaining("Stage name")
                .hasMessageContaining(name == null ? "null" : "'" + Items.abbreviate(name) + "'");
    }

    @ParameterizedTest(name = "''{0}''")
    @NullAndEmptySource
    @ValueSource(strings = {"with space", "_leading", "x:y"})
    void aBadPipelineNameIsRejectedAndNamed(String name) {
        assertThatThrownBy(() -> Pipeline.named(name))
                .isInstanceOf(PipelineDefinitionException.class)
                .hasMessageContaining("Pipeline name");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"a", "parse", "parse-csv", "stage_2", "v1.2", "9lives", "UPPER"})
    void wellFormedNamesAreAccepted(String name) {
        assertThat(Pipeline.named(name).from(NUMBERS).map(name, x -> x).to(Sink.count()).stages())
                .extracting(Stage::name).containsExactly(name);
    }

    @Test
    void duplicateStageNamesAreRejectedWhenThePipelineIsBuilt() {
        PipelineBuilder<Long> twice = Pipeline.named("dup").from(NUMBERS).map("same", x -> x).filter("same", x -> true);
        assertThatThrownBy(() -> twice.to(Sink.count()))
                .isInstanceOf(PipelineDefinitionException.class)
                .hasMessage("Pipeline 'dup' has two stages named 'same': stage names must be unique");
    }

    @Test
    void badOptionsAreRejectedNamingTheValue() {
        assertThatThrownBy(() -> StageOptions.parallel(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parallelism must be at least 1, got 0");
        assertThatThrownBy(() -> StageOptions.blocking(-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-3");
        assertThatThrownBy(() -> StageOptions.parallel().withPrefetch(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> Pipeline.named("b").from(NUMBERS).batch("b", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'b'").hasMessageContaining("0");
        assertThatThrownBy(() -> Sink.toList(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Source.generate(() -> 1, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsAreImmutable() {
        StageOptions parallel = StageOptions.parallel();
        StageOptions four = parallel.withParallelism(4).withOrdered(true).withPrefetch(8);

        assertThat(parallel.isParallelismAutomatic()).isTrue();
        assertThat(parallel.parallelism()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(parallel.ordered()).isFalse();
        assertThat(four.parallelism()).isEqualTo(4);
        assertThat(four.ordered()).isTrue();
        assertThat(four.prefetch()).isEqualTo(8);
        assertThat(StageOptions.blocking(64).executor()).isEqualTo(ExecutorKind.BLOCKING);
        assertThat(StageOptions.sequential().isParallel()).isFalse();
        assertThat(StageOptions.parallel(4)).isEqualTo(StageOptions.parallel(4)).hasSameHashCodeAs(StageOptions.parallel(4));
    }

    @Test
    void buildersAreImmutableSoAPrefixCanBeShared() {
        PipelineBuilder<Long> prefix = Pipeline.named("shared").from(NUMBERS).map("double", x -> 2 * x);
        Pipeline<Long> counted = prefix.filter("big", x -> x > 5).to(Sink.count());
        Pipeline<List<Long>> listed = prefix.to(Sink.toList());

        assertThat(counted.stages()).extracting(Stage::name).containsExactly("double", "big");
        assertThat(listed.stages()).extracting(Stage::name).containsExactly("double");
        assertThatThrownBy(() -> counted.stages().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void describePrintsTheGraphWithEveryStagesOptions() {
        String description = Pipeline.named("described")
                .from(Source.range(1, 7))
                .map("cube", x -> x * x * x, StageOptions.parallel(4))
                .filter("even", x -> x % 2 == 0)
                .map("lookup", x -> x, StageOptions.blocking(16).withOrdered(true))
                .batch("tens", 10)
                .to(Sink.count())
                .describe();

        assertThat(description).isEqualTo(String.join(System.lineSeparator(),
                "pipeline 'described'",
                "  source   range [1, 7)",
                "  map      'cube'   parallel=4 cpu-bound unordered prefetch=256 chunks=auto(<=1024)",
                "  filter   'even'   sequential prefetch=256",
                "  map      'lookup' parallel=16 blocking ordered prefetch=256 chunks=off",
                "  batch    'tens'   sequential prefetch=256",
                "  sink     count", ""));
    }

    @Test
    void runningWithoutAnEngineOnTheClassPathSaysWhatToAdd() {
        // this module's tests have no runtime on their class path: the api compiles and works alone
        Pipeline<Long> pipeline = Pipeline.named("no-engine").from(NUMBERS).to(Sink.count());
        assertThatThrownBy(pipeline::run)
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("io.github.pipeline:pipeline-runtime");
    }

    @Test
    void onlyAPipelineThatCanResumeTakesCheckpoints() {
        Checkpoints checkpoints = Checkpoints.to(java.nio.file.Path.of("job.checkpoint"));
        ResumableSource<Integer> resumable = new ResumableSource<>() {
            @Override
            public SourceReader<Integer> open() {
                return () -> null;
            }

            @Override
            public CheckpointableReader<Integer> resume(java.util.Map<String, String> checkpoint) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String description() {
                return "resumable";
            }
        };
        Sink<Object, Long> lines = Sink.lines(java.nio.file.Path.of("out.txt"));

        Pipeline<Long> ok = Pipeline.named("ok").from(resumable).map("m", x -> x).to(lines).withCheckpoints(checkpoints);
        assertThat(ok.checkpoints()).contains(checkpoints);
        assertThat(ok.describe()).contains("checkpoints to");

        assertThatThrownBy(() -> Pipeline.named("p").from(Source.range(0, 10)).to(lines).withCheckpoints(checkpoints))
                .isInstanceOf(PipelineDefinitionException.class).hasMessageContaining("its source").hasMessageContaining("ResumableSource");
        assertThatThrownBy(() -> Pipeline.named("p").from(resumable).to(Sink.count()).withCheckpoints(checkpoints))
                .isInstanceOf(PipelineDefinitionException.class).hasMessageContaining("its sink (count)");
        assertThatThrownBy(() -> Pipeline.named("p").from(resumable).batch("b", 10).to(lines).withCheckpoints(checkpoints))
                .isInstanceOf(PipelineDefinitionException.class).hasMessageContaining("stage 'b' is a batch stage");
    }

    @Test
    void checkpointOptionsAreCheckedAndCopied() {
        Checkpoints base = Checkpoints.to(java.nio.file.Path.of("c"));
        Checkpoints often = base.every(java.time.Duration.ofSeconds(1)).everyItems(500);

        assertThat(base.interval()).isEqualTo(Checkpoints.DEFAULT_INTERVAL);
        assertThat(base.itemInterval()).isZero();
        assertThat(often.interval()).hasSeconds(1);
        assertThat(often.itemInterval()).isEqualTo(500);
        assertThat(often).isEqualTo(base.everyItems(500).every(java.time.Duration.ofSeconds(1))).isNotEqualTo(base);
        assertThat(often.file()).hasValueSatisfying(file -> assertThat(file).isAbsolute());
        assertThat(Checkpoints.withoutFile().file()).isEmpty();
        assertThatThrownBy(() -> base.every(java.time.Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.everyItems(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.withDrainTimeout(java.time.Duration.ofNanos(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
