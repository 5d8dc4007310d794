package dev.galley.server.fuzz;

import dev.galley.server.fuzz.FuzzRequest.HeaderEdit;
import dev.galley.server.fuzz.FuzzRequest.Wire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sends one request as exact bytes over a fresh connection and reads the answer to the end: no HTTP client
 * library would send a duplicated signing header, a 1 MB header value, invalid UTF-8 in a header or a broken
 * Content-Length. Every request asks for {@code Connection: close}, so the answer ends where the connection does.
 */
final class WireClient {
    private final int port;
    private final int timeoutMs;

    WireClient(int port, int timeoutMs) {
        this.port = port;
        this.timeoutMs = timeoutMs;
    }

    /** A header line as it goes on the wire. */
    record Header(String name, String value) {}

    /**
     * What came back. {@code status} is 0 when the connection ended without an answer; {@code sendFailed} says the
     * server stopped reading before the whole request was sent (as it may for a body over the limit).
     */
    record Response(int status, Map<String, List<String>> headers, byte[] body, boolean sendFailed, boolean timedOut, String problem) {
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .flatMap(e -> e.getValue().stream().findFirst());
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Applies header edits to the headers in order (names compare case-insensitively, as HTTP's do). */
    static List<Header> edit(List<Header> headers, List<HeaderEdit> edits) {
        List<Header> out = new ArrayList<>(headers);
        for (HeaderEdit e : edits) {
            switch (e.op()) {
                case REMOVE -> out.removeIf(h -> h.name().equalsIgnoreCase(e.name()));
                case ADD -> out.add(new Header(e.name(), e.value()));
                case SET -> {
                    int at = indexOf(out, e.name());
                    out.removeIf(h -> h.name().equalsIgnoreCase(e.name()));
                    out.add(at < 0 ? out.size() : Math.min(at, out.size()), new Header(e.name(), e.value()));
                }
                case UPPERCASE, FLIP_LAST -> out.replaceAll(h -> !h.name().equalsIgnoreCase(e.name()) ? h
                        : new Header(h.name(), e.op() == HeaderEdit.Op.UPPERCASE ? h.value().toUpperCase(Locale.ROOT) : flipLast(h.value())));
            }
        }
        return out;
    }

    private static int indexOf(List<Header> headers, String name) {
        for (int i = 0; i < headers.size(); i++) if (headers.get(i).name().equalsIgnoreCase(name)) return i;
        return -1;
    }

    private static String flipLast(String v) {
        if (v.isEmpty()) return "0";
        char last = v.charAt(v.length() - 1);
        return v.substring(0, v.length() - 1) + (last == '0' ? '1' : '0');
    }

    /**
     * The request's bytes: request line, {@code headers} (values as UTF-8, so non-ASCII goes out as sent), the
     * framing headers {@code wire} asks for, and the body.
     */
    byte[] encode(String method, String target, List<Header> headers, byte[] body, Wire wire) {
        String eol = wire == Wire.BARE_LF ? "\n" : "\r\n";
        String m = wire == Wire.LOWER_CASE_METHOD ? method.toLowerCase(Locale.ROOT) : method;
        String t = wire == Wire.ABSOLUTE_FORM ? "http://127.0.0.1:" + port + target : target;
        String version = wire == Wire.HTTP_1_0 ? "HTTP/1.0" : "HTTP/1.1";
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 1024);
        write(out, m + " " + t + " " + version + eol);
        boolean hasHost = headers.stream().anyMatch(h -> h.name().equalsIgnoreCase("Host"));
        if (!hasHost) write(out, "Host: 127.0.0.1:" + port + eol);
        for (Header h : headers) write(out, h.name() + ": " + h.value() + eol);
        boolean explicitLength = headers.stream().anyMatch(h -> h.name().equalsIgnoreCase("Content-Length")
                || h.name().equalsIgnoreCase("Transfer-Encoding"));
        byte[] sent = body;
        switch (wire) {
            case CHUNKED -> {
                write(out, "Transfer-Encoding: chunked" + eol);
                sent = chunked(body);
            }
            case CONTENT_LENGTH_NOT_A_NUMBER -> write(out, "Content-Length: 12abc" + eol);
            case CONTENT_LENGTH_NEGATIVE -> write(out, "Content-Length: -1" + eol);
            case TWO_CONTENT_LENGTHS -> write(out, "Content-Length: " + body.length + eol + "Content-Length: " + (body.length + 1) + eol);
            case OBS_FOLD -> write(out, "Content-Length: " + body.length + eol + "X-Folded: a" + eol + " b" + eol);
            case HEADER_WITHOUT_COLON -> write(out, "Content-Length: " + body.length + eol + "X-No-Colon" + eol);
            case SPACE_BEFORE_COLON -> write(out, "Content-Length : " + body.length + eol);
            case EXPECT_CONTINUE -> write(out, "Content-Length: " + body.length + eol + "Expect: 100-continue" + eol);
            default -> {
                if (!explicitLength && (body.length > 0 || !method.equals("GET") && !method.equals("DELETE"))) {
                    write(out, "Content-Length: " + body.length + eol);
                }
            }
        }
        write(out, "Connection: close" + eol + eol);
        out.writeBytes(sent);
        return out.toByteArray();
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 64);
        int half = body.length / 2;
        for (int[] range : new int[][]{{0, half}, {half, body.length}}) {
            int n = range[1] - range[0];
            if (n == 0) continue;
            write(out, Integer.toHexString(n) + "\r\n");
            out.write(body, range[0], n);
            write(out, "\r\n");
        }
        write(out, "0\r\n\r\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code request} and reads until the server closes the connection (or the timeout). */
    Response exchange(byte[] request) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean sendFailed = false;
        boolean timedOut = false;
        String problem = null;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            // A stalled write cannot time out on a blocking socket: close it from outside past the deadline.
            Thread watchdog = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(timeoutMs);
                    socket.close();
                } catch (InterruptedException | IOException ignored) {
                    // done in time, or already closed
                }
            });
            try {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(request);
                    out.flush();
                } catch (IOException e) {
                    sendFailed = true;
                    problem = "send: " + e.getMessage();
                }
                InputStream in = socket.getInputStream();
                byte[] buf = new byte[65536];
                try {
                    for (int n; (n = in.read(buf)) >= 0; ) received.write(buf, 0, n);
                } catch (SocketTimeoutException e) {
                    timedOut = true;
                    problem = "no end of answer within " + timeoutMs + " ms";
                } catch (IOException e) {
                    if (socket.isClosed() && !sendFailed) timedOut = true;
                    problem = (problem == null ? "" : problem + "; ") + "read: " + e.getMessage();
                }
            } finally {
                watchdog.interrupt();
            }
        } catch (IOException e) {
            problem = "connect: " + e.getMessage();
        }
        return parse(received.toByteArray(), sendFailed, timedOut, problem);
    }

    /** The final answer (a {@code 100 Continue} before it is skipped), its headers and its de-chunked body. */
    static Response parse(byte[] bytes, boolean sendFailed, boolean timedOut, String problem) {
        int start = 0;
        while (true) {
            int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
            if (end < 0) return new Response(0, Map.of(), bytes, sendFailed, timedOut, problem == null ? "no complete answer" : problem);
            String head = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            int status;
            try {
                status = Integer.parseInt(lines[0].split(" ")[1]);
            } catch (RuntimeException e) {
                return new Response(0, Map.of(), bytes, sendFailed, timedOut, "bad status line: " + lines[0]);
            }
            if (status == 100) {
                start = end + 4;
                continue;
            }
            Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
            }
            byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
            if (headers.getOrDefault("Transfer-Encoding", List.of()).stream().anyMatch(v -> v.equalsIgnoreCase("chunked"))) body = dechunk(body);
            return new Response(status, headers, body, sendFailed, timedOut, problem);
        }
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int at = 0;
        while (at < body.length) {
            int eol = indexOf(body, "\r\n".getBytes(StandardCharsets.US_ASCII), at);
            if (eol < 0) break;
            String size = new String(body, at, eol - at, StandardCharsets.US_ASCII).split(";")[0].trim();
            int n;
            try {
                n = Integer.parseInt(size, 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (n == 0) break;
            out.write(body, eol + 2, Math.min(n, body.length - eol - 2));
            at = eol + 2 + n + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
