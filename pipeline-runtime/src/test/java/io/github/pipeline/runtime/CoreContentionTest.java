package io.github.pipeline.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A run's end reads again only the threads its start read: the ones the comparison uses. */
class CoreContentionTest {

    @Test
    void readingAgainPassesOverThreadsStartedSince() throws InterruptedException {
        String self = CoreContention.currentThreadId();
        assumeTrue(self != null, "/proc/thread-self is readable");
        CoreContention.Snapshot before = CoreContention.take();
        assumeTrue(!before.isEmpty(), "schedstat is readable");
        assertThat(before.covers(self)).isTrue();

        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> laterId = new AtomicReference<>();
        Thread later = new Thread(() -> {
            laterId.set(CoreContention.currentThreadId());
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        later.start();
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            CoreContention.Snapshot again = CoreContention.takeAgain(before);
            assertThat(again.covers(self)).isTrue();
            assertThat(again.covers(laterId.get())).isFalse();
            assertThat(CoreContention.take().covers(laterId.get())).isTrue();
            assertThat(CoreContention.waitPerCpuNanosecond(before, again)).isGreaterThanOrEqualTo(0);
        } finally {
            release.countDown();
            later.join(10_000);
        }
    }

    @Test
    void readingAgainAfterNothingReadsNothing() {
        assertThat(CoreContention.takeAgain(CoreContention.Snapshot.NONE).isEmpty()).isTrue();
    }
}
