package io.github.pipeline.samples;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Serves a Prometheus registry over HTTP at {@code http://127.0.0.1:PORT/metrics}, on the loopback
 * address only: the engine's meters, and the JVM's (memory, garbage collection, threads, class loading,
 * CPU, uptime). The JDK's own HTTP server is enough for a scrape endpoint; no web framework is needed.
 *
 * <pre>{@code
 * try (MetricsServer server = MetricsServer.start(9464)) {
 *     pipeline.run(ReactorEngine.create(server.registry()));
 * }
 * }</pre>
 */
public final class MetricsServer implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final HttpServer server;

    private MetricsServer(PrometheusMeterRegistry registry, JvmGcMetrics gc, HttpServer server) {
        this.registry = registry;
        this.gc = gc;
        this.server = server;
    }

    /**
     * Starts serving a new Prometheus registry, with the JVM's meters bound to it.
     *
     * @param port the port on 127.0.0.1, or 0 for any free port
     * @return the running server
     * @throws UncheckedIOException naming the port if it cannot be bound
     */
    public static MetricsServer start(int port) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            gc.close();
            registry.close();
            throw new UncheckedIOException("cannot serve metrics on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return new MetricsServer(registry, gc, server);
    }

    /**
     * Returns the registry the server exposes: give it to the engine.
     *
     * @return the Prometheus registry
     */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Returns the port the server listens on (the one chosen when started with port 0).
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Returns the address to scrape.
     *
     * @return {@code http://127.0.0.1:PORT/metrics}
     */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port() + "/metrics";
    }

    /** Stops serving and releases the registry and the JVM binders. */
    @Override
    public void close() {
        server.stop(0);
        gc.close();
        registry.close();
    }
}
