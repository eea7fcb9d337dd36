package io.github.pipeline.kafka;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real Kafka broker: {@code @ExtendWith(KafkaBrokerExtension.class)} and a
 * {@link KafkaBroker} parameter. The broker is started once per test run, on first use, kept in the root
 * context's store, and stopped (its directory deleted) when the whole run is done.
 */
final class KafkaBrokerExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBroker.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        broker(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    private static KafkaBroker broker(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("broker", key -> {
            try {
                return KafkaBroker.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test Kafka broker: " + e.getMessage(), e);
            }
        }, KafkaBroker.class);
    }
}
