package io.github.pipeline.api;

import java.util.Iterator;
import java.util.ServiceLoader;

/** Finds the engine on the class path once, when first asked for; see {@link PipelineEngine#discover()}. */
final class EngineDiscovery {

    private static volatile PipelineEngine engine;

    private EngineDiscovery() {
    }

    static PipelineEngine engine() {
        PipelineEngine found = engine;
        if (found == null) {
            synchronized (EngineDiscovery.class) {
                found = engine;
                if (found == null) {
                    Iterator<PipelineEngine> engines = ServiceLoader.load(PipelineEngine.class).iterator();
                    if (!engines.hasNext()) {
                        throw new PipelineException("No pipeline engine on the class path: add the dependency"
                                + " io.github.pipeline:pipeline-runtime, or pass an engine to run(engine)");
                    }
                    found = engines.next();
                    engine = found;
                }
            }
        }
        return found;
    }
}
