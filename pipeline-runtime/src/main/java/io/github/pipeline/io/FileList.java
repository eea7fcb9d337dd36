package io.github.pipeline.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a source reads: one file, or the files of a directory that match a glob, in the order of
 * their paths. Hidden files (names starting with '.', such as a file sink's {@code .partial} files) are
 * left out. A glob with a '/' or {@code **} looks into subdirectories.
 */
final class FileList {

    private FileList() {
    }

    static List<Path> resolve(Path path, String glob) throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or directory");
        }
        PathMatcher matcher = path.getFileSystem().getPathMatcher("glob:" + glob);
        int depth = glob.contains("/") || glob.contains("**") ? Integer.MAX_VALUE : 1;
        try (Stream<Path> walk = Files.walk(path, depth)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> !isHidden(path.relativize(file)))
                    .filter(file -> matcher.matches(path.relativize(file)))
                    .sorted()
                    .toList();
        }
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
