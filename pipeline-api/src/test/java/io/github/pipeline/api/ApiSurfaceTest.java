package io.github.pipeline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The api names no Reactor or Micrometer type in any public signature: every type a user can see comes
 * from the JDK, from {@code org.reactivestreams}, or from this package.
 */
class ApiSurfaceTest {

    @Test
    void publicSignaturesUseOnlyTheJdkReactiveStreamsAndTheApi() throws Exception {
        Set<String> foreign = new TreeSet<>();
        List<Class<?>> types = publicApiTypes();
        for (Class<?> type : types) {
            for (Type t : signatureTypes(type)) {
                collect(t, new HashSet<>(), name -> {
                    boolean allowed = name.startsWith("java.") || name.startsWith("org.reactivestreams.")
                            || name.startsWith("io.github.pipeline.api.");
                    if (!allowed) {
                        foreign.add(type.getSimpleName() + " uses " + name);
                    }
                });
            }
        }
        assertThat(types).hasSizeGreaterThan(30);
        assertThat(foreign).isEmpty();
    }

    @Test
    void everyPublicTypeAndMemberIsDocumentedInTheSource() throws IOException, URISyntaxException {
        Path sources = Path.of("src", "main", "java", "io", "github", "pipeline", "api");
        List<String> undocumented = new ArrayList<>();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.toList()) {
                List<String> lines = Files.readAllLines(file);
                if (lines.stream().noneMatch(l -> l.startsWith("public "))) {
                    continue; // a package-private type: not part of the api
                }
                boolean isInterface = lines.stream().anyMatch(l -> l.matches("public (sealed |non-sealed )?interface .*"));
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    // in an interface, static and default members are public without saying so
                    boolean declaresPublic = line.startsWith("public ")
                            || isInterface && lines.get(i).startsWith("    ") && !lines.get(i).startsWith("     ")
                            && (line.startsWith("static ") || line.startsWith("default "));
                    if (declaresPublic && !documented(lines, i)) {
                        undocumented.add(file.getFileName() + ":" + (i + 1) + " " + line);
                    }
                }
            }
        }
        assertThat(undocumented).isEmpty();
    }

    /** Documented: a javadoc comment right above it, or an {@code @Override}, which inherits one. */
    private static boolean documented(List<String> lines, int index) {
        for (int i = index - 1; i >= 0; i--) {
            String previous = lines.get(i).strip();
            if (previous.startsWith("@Override")) {
                return true;
            }
            if (previous.startsWith("@")) {
                continue;
            }
            return previous.endsWith("*/");
        }
        return false;
    }

    private static List<Class<?>> publicApiTypes() throws URISyntaxException, IOException, ClassNotFoundException {
        Path root = Path.of(Pipeline.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, ApiSurfaceTest.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    private static List<Type> signatureTypes(Class<?> type) {
        List<Type> all = new ArrayList<>();
        all.add(type.getGenericSuperclass());
        all.addAll(List.of(type.getGenericInterfaces()));
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) {
                all.add(m.getGenericReturnType());
                all.addAll(List.of(m.getGenericParameterTypes()));
                all.addAll(List.of(m.getGenericExceptionTypes()));
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers())) {
                all.addAll(List.of(c.getGenericParameterTypes()));
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers()) || Modifier.isProtected(f.getModifiers())) {
                all.add(f.getGenericType());
            }
        }
        all.removeIf(t -> t == null);
        return all;
    }

    private static void collect(Type type, Set<Type> seen, java.util.function.Consumer<String> names) {
        if (!seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            Class<?> element = c;
            while (element.isArray()) {
                element = element.getComponentType();
            }
            if (!element.isPrimitive()) {
                names.accept(element.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            collect(p.getRawType(), seen, names);
            for (Type argument : p.getActualTypeArguments()) {
                collect(argument, seen, names);
            }
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                collect(bound, seen, names);
            }
            for (Type bound : w.getLowerBounds()) {
                collect(bound, seen, names);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type bound : v.getBounds()) {
                collect(bound, seen, names);
            }
        } else if (type instanceof GenericArrayType a) {
            collect(a.getGenericComponentType(), seen, names);
        }
    }
}
