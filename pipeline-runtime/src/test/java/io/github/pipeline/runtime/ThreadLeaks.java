package io.github.pipeline.runtime;

import java.util.List;

/** Finds live threads that a pipeline run created (they are named {@code pipeline-<name>-...}). */
final class ThreadLeaks {

    private ThreadLeaks() {
    }

    static List<String> liveThreadsOf(String pipeline) {
        String prefix = "pipeline-" + pipeline + "-";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith(prefix))
                .toList();
    }
}
