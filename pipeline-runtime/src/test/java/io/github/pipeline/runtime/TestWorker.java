package io.github.pipeline.runtime;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker process for the process-stage tests, started with the test's own JDK and class path (so the
 * tests need nothing installed). It reads one item per line and answers one line per item; what it does
 * depends on the item:
 * <ul>
 *   <li>{@code sleep:MS:TEXT} sleeps MS milliseconds, then answers TEXT;</li>
 *   <li>{@code exit:CODE} writes two lines to stderr and exits with CODE, answering nothing;</li>
 *   <li>{@code exit-once:FILE} exits with 3 if FILE does not exist (creating it), else answers {@code again};</li>
 *   <li>{@code hang} never answers;</li>
 *   <li>{@code wait-file:FILE} answers {@code released} once FILE exists;</li>
 *   <li>{@code garbage} answers {@code #garbage#};</li>
 *   <li>{@code long:N} answers a line of N characters;</li>
 *   <li>{@code env:NAME} answers the variable's value; {@code cwd} the working directory;
 *       {@code init} the initializer line; {@code pid} its process id;</li>
 *   <li>anything else is answered with the argument's transformation: {@code echo} (the default) the
 *       line itself, {@code square} the square of the number, {@code upper} the line in upper case.</li>
 * </ul>
 * Options: {@code --init} reads the first line as the initializer; {@code --start-log=DIR} creates a file
 * in DIR at start; {@code --crash-at-start} exits with 7 at once, after a line on stderr;
 * {@code --ignore-eof} keeps running when its input ends; {@code --stop-file=FILE} creates FILE when its
 * input ends, before it exits.
 */
public final class TestWorker {

    private TestWorker() {
    }

    /** The command line that starts this worker with {@code args}. */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m",
                "-cp", testClasses(), TestWorker.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static String testClasses() {
        try {
            return Path.of(TestWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the worker.
     *
     * @param args the transformation and options
     * @throws Exception on I/O failure
     */
    public static void main(String[] args) throws Exception {
        String transform = "echo";
        boolean init = false;
        boolean ignoreEof = false;
        Path stopFile = null;
        for (String arg : args) {
            if (arg.equals("--init")) {
                init = true;
            } else if (arg.startsWith("--start-log=")) {
                Path dir = Path.of(arg.substring("--start-log=".length()));
                Files.createFile(dir.resolve("started-" + ProcessHandle.current().pid()));
            } else if (arg.equals("--crash-at-start")) {
                System.err.println("cannot work: crashing at start");
                System.exit(7);
            } else if (arg.equals("--ignore-eof")) {
                ignoreEof = true;
            } else if (arg.startsWith("--stop-file=")) {
                stopFile = Path.of(arg.substring("--stop-file=".length()));
            } else {
                transform = arg;
            }
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String initializer = init ? in.readLine() : null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String answer = answer(line, transform, initializer);
            if (answer != null) {
                out.println(answer);
                out.flush();
            }
        }
        if (stopFile != null) {
            Files.createFile(stopFile);
        }
        if (ignoreEof) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static String answer(String line, String transform, String initializer) throws Exception {
        if (line.startsWith("sleep:")) {
            String[] parts = line.split(":", 3);
            Thread.sleep(Long.parseLong(parts[1]));
            return parts[2];
        }
        if (line.startsWith("exit:")) {
            System.err.println("about to fail");
            System.err.println("exiting on purpose with " + line.substring(5));
            System.err.flush();
            System.exit(Integer.parseInt(line.substring(5)));
        }
        if (line.startsWith("exit-once:")) {
            Path marker = Path.of(line.substring("exit-once:".length()));
            if (!Files.exists(marker)) {
                Files.createFile(marker);
                System.exit(3);
            }
            return "again";
        }
        if (line.equals("hang")) {
            Thread.sleep(Long.MAX_VALUE);
        }
        if (line.startsWith("wait-file:")) {
            Path file = Path.of(line.substring("wait-file:".length()));
            while (!Files.exists(file)) {
                Thread.sleep(5);
            }
            return "released";
        }
        if (line.equals("garbage")) {
            return "#garbage#";
        }
        if (line.startsWith("long:")) {
            return "x".repeat(Integer.parseInt(line.substring(5)));
        }
        if (line.startsWith("env:")) {
            return String.valueOf(System.getenv(line.substring(4)));
        }
        if (line.equals("cwd")) {
            return Path.of("").toAbsolutePath().toString();
        }
        if (line.equals("init")) {
            return String.valueOf(initializer);
        }
        if (line.equals("pid")) {
            return Long.toString(ProcessHandle.current().pid());
        }
        return switch (transform) {
            case "square" -> Long.toString(Long.parseLong(line) * Long.parseLong(line));
            case "upper" -> line.toUpperCase(java.util.Locale.ROOT);
            default -> line;
        };
    }

    /** The live processes that run this worker, children of this JVM. */
    static List<ProcessHandle> live() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(TestWorker.class.getName()))
                .toList();
    }

}
