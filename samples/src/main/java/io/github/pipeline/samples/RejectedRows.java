package io.github.pipeline.samples;

import io.github.pipeline.api.DeadLetter;
import io.github.pipeline.api.Items;
import io.github.pipeline.api.MalformedRecordException;
import io.github.pipeline.io.CsvRow;
import java.io.PrintWriter;

/**
 * Where {@code csv-aggregate} sends the rows it cannot use: counts them by reason and prints the first
 * {@value #SHOWN} on stderr, each with its line and what is wrong, so a bad file is visible without
 * flooding the terminal. Malformed CSV rows come from the source, rows with a value that is not a
 * number from the parse stage; their dead-letter sinks call it from threads of their own.
 */
final class RejectedRows {

    /** How many rejected rows are printed; the rest are only counted. */
    static final int SHOWN = 5;

    private final String command;
    private final PrintWriter err;
    private long malformed;
    private long notNumbers;

    RejectedRows(String command, PrintWriter err) {
        this.command = command;
        this.err = err;
    }

    /** Takes a row that the CSV source could not read. */
    synchronized void malformed(DeadLetter letter) {
        malformed++;
        show(letter.error() instanceof MalformedRecordException bad
                ? bad.source() + " line " + bad.line() + ": " + bad.reason() + ": " + Items.abbreviate(bad.record())
                : String.valueOf(letter.error().getMessage()));
    }

    /** Takes a row with a value that is not a number in an aggregated column. */
    synchronized void notANumber(DeadLetter letter) {
        notNumbers++;
        String line = letter.item() instanceof CsvRow row ? "line " + row.line() + ": " : "";
        show(line + letter.error().getMessage());
    }

    private void show(String what) {
        if (malformed + notNumbers <= SHOWN) {
            err.println(command + ": skipped " + what);
        }
    }

    /** Prints how many rows were skipped and why, if any were. */
    synchronized void printSummary() {
        long all = malformed + notNumbers;
        if (all > 0) {
            err.printf("%s: skipped %d row%s: %d malformed, %d with a value that is not a number%s%n", command, all,
                    all == 1 ? "" : "s", malformed, notNumbers, all > SHOWN ? " (the first " + SHOWN + " are above)" : "");
        }
    }

    synchronized long malformed() {
        return malformed;
    }

    synchronized long notNumbers() {
        return notNumbers;
    }
}
