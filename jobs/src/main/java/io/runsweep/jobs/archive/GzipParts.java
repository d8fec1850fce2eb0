package io.runsweep.jobs.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/**
 * An archive file is gzip members one after another, one per batch: what {@code gzip -dc} and every gzip
 * library read as one stream. Read back here member by member, so that a member cut short by a crash (its batch
 * never committed) is told apart and left out, never half read.
 */
final class GzipParts {
    private static final int HEADER = 10;
    private static final int TRAILER = 8;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private GzipParts() {}

    /** One member holding {@code text}: JSON Lines, each line ended by a newline. */
    static byte[] member(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(bytes, 64 * 1024)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen writing to memory", e);
        }
        return bytes.toByteArray();
    }

    /**
     * The complete members of a file, each checked against its CRC-32 and length.
     *
     * @param members the text of each complete member, in order
     * @param readBytes the bytes those members take from the start of the file
     * @param leftOver bytes after them that are no complete member: a part a crash cut short
     */
    record Contents(List<String> members, long readBytes, long leftOver) {}

    static Contents read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        List<String> members = new ArrayList<>();
        int pos = 0;
        while (pos < b.length) {
            int end = member(b, pos, members);
            if (end < 0) {
                break;
            }
            pos = end;
        }
        return new Contents(members, pos, b.length - pos);
    }

    /** Reads the member at {@code pos} into {@code into}; its end, or -1 when it is incomplete or corrupt. */
    private static int member(byte[] b, int pos, List<String> into) {
        if (b.length - pos < HEADER + TRAILER || (b[pos] & 0xff) != 0x1f || (b[pos + 1] & 0xff) != 0x8b) {
            return -1;
        }
        int flags = b[pos + 3];
        int p = pos + HEADER;
        if ((flags & FEXTRA) != 0) {
            p += 2 + ((b[p] & 0xff) | (b[p + 1] & 0xff) << 8);
        }
        if ((flags & FNAME) != 0) {
            p = afterZero(b, p);
        }
        if ((flags & FCOMMENT) != 0) {
            p = afterZero(b, p);
        }
        if ((flags & FHCRC) != 0) {
            p += 2;
        }
        if (p < 0 || p >= b.length) {
            return -1;
        }
        Inflater inflater = new Inflater(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            inflater.setInput(b, p, b.length - p);
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return -1;
                }
                out.write(buffer, 0, n);
            }
            p = b.length - inflater.getRemaining();
        } catch (DataFormatException e) {
            return -1;
        } finally {
            inflater.end();
        }
        if (b.length - p < TRAILER) {
            return -1;
        }
        CRC32 crc = new CRC32();
        crc.update(out.toByteArray());
        if (crc.getValue() != littleEndian(b, p) || (out.size() & 0xffffffffL) != littleEndian(b, p + 4)) {
            return -1;
        }
        into.add(out.toString(StandardCharsets.UTF_8));
        return p + TRAILER;
    }

    private static int afterZero(byte[] b, int p) {
        while (p >= 0 && p < b.length && b[p] != 0) {
            p++;
        }
        return p < b.length ? p + 1 : -1;
    }

    private static long littleEndian(byte[] b, int p) {
        return (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24;
    }
}
