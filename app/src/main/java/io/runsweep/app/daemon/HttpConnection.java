package io.runsweep.app.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One client connection of {@link HttpServerLoop}, touched by its thread only: the request's head as it
 * arrives, then the answer as it leaves, each before its deadline.
 */
final class HttpConnection {
    /** Request line and headers; a client's whole request must fit (bodies are not read). */
    static final int MAX_HEAD = 8192;

    enum Read {
        MORE,
        COMPLETE,
        CLOSED,
        TOO_LARGE,
        MALFORMED
    }

    private final SocketChannel channel;
    private final ByteBuffer head = ByteBuffer.allocate(MAX_HEAD);
    private int scanned;
    private long deadline;
    private HttpRequest request;
    private ByteBuffer out;
    SelectionKey key;
    /** Set by a worker thread, read by the server's thread after it hands the connection back. */
    HttpAnswer answer;

    HttpConnection(SocketChannel channel, long readDeadline) {
        this.channel = channel;
        this.deadline = readDeadline;
    }

    /** Still receiving its request: the first to go when the server is full. */
    boolean reading() {
        return request == null && out == null;
    }

    Read read() throws IOException {
        int n = channel.read(head);
        if (n < 0) {
            return Read.CLOSED;
        }
        int end = endOfHead();
        if (end < 0) {
            return head.hasRemaining() ? Read.MORE : Read.TOO_LARGE;
        }
        String text = new String(head.array(), 0, end, StandardCharsets.ISO_8859_1);
        request = HttpRequest.parse(text);
        return request == null ? Read.MALFORMED : Read.COMPLETE;
    }

    /** Where the blank line after the headers starts, or -1 while it has not arrived; each byte is looked at once. */
    private int endOfHead() {
        byte[] bytes = head.array();
        int from = Math.max(0, scanned - 3);
        scanned = head.position();
        for (int i = from; i + 1 < head.position(); i++) {
            if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                return i;
            }
            if (i + 3 < head.position()
                    && bytes[i] == '\r'
                    && bytes[i + 1] == '\n'
                    && bytes[i + 2] == '\r'
                    && bytes[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    HttpRequest request() {
        return request;
    }

    void respond(HttpAnswer answer, long writeDeadline) {
        boolean withBody = request == null || !request.method().equals("HEAD");
        out = answer.bytes(withBody);
        deadline = writeDeadline;
    }

    /** Writes what the socket takes now; true once the whole answer is out. */
    boolean write() throws IOException {
        channel.write(out);
        return !out.hasRemaining();
    }

    /** A client still sending after its read deadline, or still reading after its write deadline. */
    boolean expired(long now) {
        return (reading() || out != null) && now - deadline > 0;
    }

    /**
     * Reads what the client sent beyond its request (a body, an oversized header) before closing: closing a
     * socket with unread input resets it, and the client would lose the answer.
     */
    void close() {
        if (key != null) {
            key.cancel();
        }
        try {
            ByteBuffer rest = ByteBuffer.allocate(MAX_HEAD);
            for (int i = 0; i < 8 && channel.read(rest) > 0; i++) {
                rest.clear();
            }
        } catch (IOException ignored) {
            // the client went first
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the client went first; nothing is left to free
        }
    }
}
