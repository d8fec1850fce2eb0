package io.runsweep.app.daemon;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the server needs of a request: its method and its path, without the query string. */
record HttpRequest(String method, String path) {
    private static final Pattern REQUEST_LINE = Pattern.compile("([A-Z]{1,16}) (/\\S*) HTTP/1\\.[01]");

    /** @return null when the request line is not {@code METHOD /path HTTP/1.x} */
    static HttpRequest parse(String head) {
        int end = head.indexOf('\n');
        String line = (end < 0 ? head : head.substring(0, end)).strip();
        Matcher m = REQUEST_LINE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        String target = m.group(2);
        int query = target.indexOf('?');
        return new HttpRequest(m.group(1), query < 0 ? target : target.substring(0, query));
    }
}
