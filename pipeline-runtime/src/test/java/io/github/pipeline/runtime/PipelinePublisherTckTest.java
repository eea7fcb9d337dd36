package io.github.pipeline.runtime;

import io.github.pipeline.api.Pipeline;
import io.github.pipeline.api.Source;
import io.github.pipeline.api.StageOptions;
import java.nio.file.Path;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;

/**
 * The Reactive Streams TCK against a pipeline exposed as a publisher: a source, a CPU-bound parallel
 * stage and a sequential stage. Run by the JUnit Platform's TestNG engine inside {@code mvn verify}.
 */
public class PipelinePublisherTckTest extends PublisherVerification<Long> {

    private final ReactorEngine engine = ReactorEngine.create();

    /** Creates the verification with a 1 s default timeout for expected signals. */
    public PipelinePublisherTckTest() {
        super(new TestEnvironment(1_000));
    }

    @Override
    public Publisher<Long> createPublisher(long elements) {
        return Pipeline.named("tck")
                .from(Source.range(0, elements))
                .map("double", x -> x * 2, StageOptions.parallel(2).withOrdered(true))
                .filter("all", x -> true)
                .toPublisher(engine);
    }

    @Override
    public Publisher<Long> createFailedPublisher() {
        return Pipeline.named("tck-failed")
                .from(Source.lines(Path.of("does", "not", "exist.txt")))
                .map("length", line -> (long) line.length())
                .toPublisher(engine);
    }
}
