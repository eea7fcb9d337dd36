package io.github.pipeline.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.Charset;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a record's bytes to text, replacing invalid sequences with U+FFFD or reporting them. The
 * common case costs one JDK decode: UTF-8 is decoded with the JDK's fast path and checked strictly
 * only when the result holds a U+FFFD (which valid input rarely does).
 */
final class TextDecoder {

    private final Charset charset;
    private final boolean replace;
    private final boolean utf8;
    private final CharsetDecoder strict;
    private CharBuffer chars = CharBuffer.allocate(1024);

    TextDecoder(Charset charset, MalformedInput malformed) {
        this.charset = charset;
        this.replace = malformed == MalformedInput.REPLACE;
        this.utf8 = charset.equals(StandardCharsets.UTF_8);
        this.strict = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * Decodes {@code length} bytes from {@code offset}.
     *
     * @throws InvalidBytesException if the bytes are not valid in the charset and they are not replaced
     */
    String decode(byte[] bytes, int offset, int length) throws InvalidBytesException {
        if (replace) {
            return new String(bytes, offset, length, charset);
        }
        if (utf8) {
            String text = new String(bytes, offset, length, charset);
            if (text.indexOf('\uFFFD') < 0) {
                return text;
            }
        }
        return decodeStrictly(bytes, offset, length);
    }

    /** Decodes with replacement whatever the mode: for the excerpts of error messages. */
    String decodeLeniently(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, charset);
    }

    private String decodeStrictly(byte[] bytes, int offset, int length) throws InvalidBytesException {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
        int needed = (int) Math.min(Integer.MAX_VALUE - 8, (long) (length * (double) strict.maxCharsPerByte()) + 1);
        if (chars.capacity() < needed) {
            chars = CharBuffer.allocate(needed);
        }
        chars.clear();
        strict.reset();
        CoderResult result = strict.decode(in, chars, true);
        if (!result.isError()) {
            result = strict.flush(chars);
        }
        if (result.isError()) {
            int at = in.position() - offset;
            throw new InvalidBytesException("bytes that are not valid " + charset.name() + " at byte " + at
                    + " of the record (" + hex(bytes, in.position(), Math.min(result.length(), 4)) + ")");
        }
        chars.flip();
        String text = chars.toString();
        if (chars.capacity() > 64 * 1024) {
            chars = CharBuffer.allocate(1024); // a long record's buffer is not kept
        }
        return text;
    }

    private static String hex(byte[] bytes, int from, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + count && i < bytes.length; i++) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }

    /** The bytes of a record are not valid in the charset. */
    static final class InvalidBytesException extends Exception {
        InvalidBytesException(String reason) {
            super(reason, null, false, false);
        }
    }
}
