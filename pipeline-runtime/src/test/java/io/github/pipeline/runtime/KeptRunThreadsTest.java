package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.PullSource;
import io.github.pipeline.api.Sink;
import io.github.pipeline.api.SourceReader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A run's source and sink threads are borrowed from the engine's kept threads, as a blocking stage's are:
 * named after the run while it has them, back among the kept threads (alive, idle) when it has ended, and
 * taken again by the next run instead of new threads being started for it.
 */
class KeptRunThreadsTest {

    private final ReactorEngine engine = ReactorEngine.create();

    @Test
    void aRunsSourceAndSinkRunOnKeptThreadsNamedAfterItWhileItHasThem() {
        List<Thread> first = runAndRecordThreads();
        List<Thread> second = runAndRecordThreads();

        assertThat(first).hasSize(2).doesNotHaveDuplicates();
        assertThat(first).allSatisfy(thread -> {
            assertThat(thread.isAlive()).isTrue(); // kept, not ended
            assertThat(thread.getName()).startsWith("pipeline-engine-blocking-idle");
        });
        assertThat(ThreadLeaks.liveThreadsOf("kept")).isEmpty();
        // given back last, so taken first by the next run: no thread was started for it
        assertThat(second).containsExactlyInAnyOrderElementsOf(first);
    }

    /** Runs a small pipeline; returns its source's and its sink's threads, checking their names meanwhile. */
    private List<Thread> runAndRecordThreads() {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        List<String> names = new CopyOnWriteArrayList<>();
        PullSource<Integer> source = new PullSource<>() {
            @Override
            public SourceReader<Integer> open() {
                threads.add(Thread.currentThread());
                names.add(Thread.currentThread().getName());
                int[] next = {0};
                return () -> next[0] < 100 ? next[0]++ : null;
            }

            @Override
            public String description() {
                return "numbers on the source's thread";
            }
        };
        boolean[] firstWrite = {true};
        long count = Pipeline.named("kept")
                .from(source)
                .map("double", x -> x * 2)
                .to(Sink.forEach(x -> {
                    if (firstWrite[0]) {
                        firstWrite[0] = false;
                        threads.add(Thread.currentThread());
                        names.add(Thread.currentThread().getName());
                    }
                }))
                .run(engine)
                .value();
        assertThat(count).isEqualTo(100);
        assertThat(names).containsExactly("pipeline-kept-source", "pipeline-kept-sink");
        return threads;
    }
}
