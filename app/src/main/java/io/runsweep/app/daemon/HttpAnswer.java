package io.runsweep.app.daemon;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** An answer: status, content type and body; every answer closes its connection and is never cached. */
record HttpAnswer(int status, String contentType, String body) {
    static final String TEXT = "text/plain; charset=utf-8";

    static HttpAnswer text(int status, String body) {
        return new HttpAnswer(status, TEXT, body);
    }

    /** The bytes on the wire; a HEAD request gets the headers of the GET answer alone. */
    ByteBuffer bytes(boolean withBody) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason() + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + content.length + "\r\n"
                + "Cache-Control: no-store\r\n"
                + "Connection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(headBytes.length + (withBody ? content.length : 0));
        out.put(headBytes);
        if (withBody) {
            out.put(content);
        }
        return out.flip();
    }

    private String reason() {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }
}
