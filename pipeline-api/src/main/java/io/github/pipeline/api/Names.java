package io.github.pipeline.api;

import java.util.regex.Pattern;

/**
 * The rule for pipeline and stage names: 1 to 64 characters, letters, digits, {@code .}, {@code _}
 * and {@code -}, starting with a letter or digit. A name is the graph key, the metric tag and the
 * checkpoint key, so it must be stable and safe in all of those places.
 */
final class Names {

    static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private Names() {
    }

    static String check(String what, String name) {
        if (name == null) {
            throw new PipelineDefinitionException(what + " name is required, got null");
        }
        if (name.isEmpty() || name.length() > MAX_LENGTH || !VALID.matcher(name).matches()) {
            throw new PipelineDefinitionException(what + " name '" + Items.abbreviate(name)
                    + "' is invalid: use 1 to " + MAX_LENGTH
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }
}
