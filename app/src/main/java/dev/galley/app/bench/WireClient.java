package dev.galley.app.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A minimal blocking HTTP/1.1 client for the load generator: one {@code http://host:port}, keep-alive connections
 * in a pool, nothing else (no TLS, redirects, proxies, HTTP/2 or compression).
 *
 * <p>Why it exists: {@code java.net.http.HttpClient} costs about 1 ms of CPU per request (its selector thread,
 * futures and executor hand-offs), and the load generator shares the machine's cores with the server under test and
 * PostgreSQL, so that CPU would be taken from what is measured. Here a request is one socket write and a parse of
 * the answer on the calling (virtual) thread.
 *
 * <p>Made for virtual threads: only blocking socket I/O, and no locks at all: a connection is owned by one caller
 * between taking it from the lock-free pool and giving it back after a complete response. A connection the server
 * closes ({@code Connection: close}, a body that ends at EOF, an I/O error) is discarded, never pooled.
 */
public final class WireClient implements AutoCloseable {
    /** Below the server's 120 s idle timeout, so a pooled connection is never one the server is about to close. */
    static final Duration DEFAULT_MAX_IDLE = Duration.ofSeconds(60);
    static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int MAX_LINE = 64 * 1024;
    // Characters a request target must not hold raw (GalleyClient percent-encodes them; the bench never needs them).
    private static final String ILLEGAL_IN_TARGET = "\"<>\\^`{|}";

    private final InetSocketAddress address;
    private final byte[] hostHeader;
    private final int readTimeoutMs;
    private final long maxIdleNanos;
    private final ConcurrentLinkedQueue<Conn> pool = new ConcurrentLinkedQueue<>();
    private final AtomicLong opened = new AtomicLong();
    private volatile boolean closed;

    /** A complete response: status, header fields as received (names case-insensitive in lookups), body bytes. */
    public record Response(int status, List<Map.Entry<String, String>> headerFields, byte[] body) {
        /** The first value of a header, compared case-insensitively. */
        public Optional<String> header(String name) {
            for (Map.Entry<String, String> f : headerFields) {
                if (f.getKey().equalsIgnoreCase(name)) return Optional.of(f.getValue());
            }
            return Optional.empty();
        }

        /** Every header as a case-insensitive map (built on demand: most callers only need the status). */
        public Map<String, List<String>> headers() {
            Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, String> f : headerFields) map.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(f.getValue());
            return map;
        }
    }

    /** For {@code http://host:port} (a trailing {@code /} is allowed; other paths are not: targets are absolute). */
    public WireClient(URI origin) {
        this(origin, DEFAULT_READ_TIMEOUT, DEFAULT_MAX_IDLE);
    }

    WireClient(URI origin, Duration readTimeout, Duration maxIdle) {
        if (origin == null || !"http".equalsIgnoreCase(origin.getScheme()) || origin.getHost() == null) {
            throw new IllegalArgumentException("WireClient speaks plain http://host:port only, not " + origin);
        }
        String path = origin.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || origin.getRawQuery() != null) {
            throw new IllegalArgumentException("WireClient takes an origin without a path or query, not " + origin);
        }
        int port = origin.getPort() < 0 ? 80 : origin.getPort();
        // Resolved once: the target is a fixed loopback server, and a lookup per connection would be waste.
        this.address = new InetSocketAddress(origin.getHost(), port);
        if (address.isUnresolved()) throw new IllegalArgumentException("cannot resolve " + origin.getHost());
        this.hostHeader = ascii(origin.getRawAuthority());
        this.readTimeoutMs = Math.toIntExact(readTimeout.toMillis());
        this.maxIdleNanos = maxIdle.toNanos();
    }

    /**
     * Sends one request and reads the whole response (statuses ≥ 400 included: they are answers, not failures).
     *
     * @param target  path and query as sent, e.g. {@code /v1/jobs?page=2}
     * @param headers sent as given, after {@code Host} and before {@code Content-Length} (which this client sets)
     * @param body    null or empty for none
     * @throws IOException              when no complete response arrives (refused, reset, timeout, malformed)
     * @throws IllegalArgumentException for a method, target or header that cannot be sent as is
     */
    public Response send(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        if (closed) throw new IOException("WireClient is closed");
        // Checked before a connection is taken: a CR or LF written raw would split the request in two.
        checkToken(method, "method");
        checkTarget(target);
        if (headers != null) headers.forEach((name, value) -> {
            checkToken(name, "header name");
            checkValue(name, value);
        });
        byte[] b = body == null ? new byte[0] : body;
        Conn c = take();
        boolean reusable = false;
        try {
            c.writeRequest(method, target, headers, b);
            Response r = c.readResponse(method.equals("HEAD"));
            reusable = c.keepAlive;
            return r;
        } finally {
            if (reusable) give(c);
            else c.close();
        }
    }

    /** How many idle connections the pool holds (for tests: keep-alive must reuse, not pile up). */
    int idleConnections() {
        return pool.size();
    }

    /** How many connections this client has opened so far (for tests). */
    long connectionsOpened() {
        return opened.get();
    }

    private Conn take() throws IOException {
        long now = System.nanoTime();
        Conn c;
        while ((c = pool.poll()) != null) {
            if (now - c.idleSince < maxIdleNanos) return c;
            c.close();
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true); // a request is one write; waiting for an ACK (Nagle) would add latency for nothing
            s.setSoTimeout(readTimeoutMs);
            s.connect(address, CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        opened.incrementAndGet();
        return new Conn(s);
    }

    private void give(Conn c) {
        c.idleSince = System.nanoTime();
        pool.offer(c);
        if (closed) drain(); // close() raced with this send: leave nothing open behind it
    }

    /** Closes the idle connections; connections in use close when their request ends. */
    @Override
    public void close() {
        closed = true;
        drain();
    }

    private void drain() {
        Conn c;
        while ((c = pool.poll()) != null) c.close();
    }

    private static byte[] ascii(String s) {
        byte[] out = new byte[s.length()];
        for (int i = 0; i < s.length(); i++) out[i] = (byte) s.charAt(i);
        return out;
    }

    /** One socket with its own read buffer and request buffer; used by one caller at a time, so no locks. */
    private final class Conn {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] rbuf = new byte[16 * 1024];
        int rpos;
        int rlim;
        byte[] wbuf = new byte[4 * 1024];
        int wlen;
        final StringBuilder line = new StringBuilder(128);
        boolean keepAlive;
        long idleSince;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection we are discarding anyway
            }
        }

        // ---- request: assembled in one buffer and written with one write (one syscall, one TCP segment if small)

        void writeRequest(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
            wlen = 0;
            put(method).put(' ').put(target).put(" HTTP/1.1\r\nHost: ").put(hostHeader).put("\r\n");
            if (headers != null) {
                for (Map.Entry<String, String> h : headers.entrySet()) {
                    put(h.getKey()).put(": ").put(h.getValue()).put("\r\n");
                }
            }
            // Content-Length for any body, and 0 for the methods that normally carry one, so the server never has
            // to guess where this request ends.
            if (body.length > 0 || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
                put("Content-Length: ").put(Integer.toString(body.length)).put("\r\n");
            }
            put("\r\n").put(body);
            out.write(wbuf, 0, wlen);
            out.flush();
        }

        private Conn put(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) wbuf[wlen++] = (byte) s.charAt(i);
            return this;
        }

        private Conn put(char c) {
            ensure(1);
            wbuf[wlen++] = (byte) c;
            return this;
        }

        private Conn put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, wbuf, wlen, b.length);
            wlen += b.length;
            return this;
        }

        private void ensure(int more) {
            if (wlen + more > wbuf.length) wbuf = Arrays.copyOf(wbuf, Math.max(wbuf.length * 2, wlen + more));
        }

        // ---- response

        Response readResponse(boolean head) throws IOException {
            while (true) {
                String status = readLine();
                if (status == null) throw new EOFException("the server closed the connection before answering");
                // "HTTP/1.1 201 Created": version, status code, optional reason
                if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
                    throw new IOException("not an HTTP/1.x status line: " + shorten(status));
                }
                int code = parseStatus(status);
                boolean http10 = status.charAt(7) == '0';
                List<Map.Entry<String, String>> fields = new ArrayList<>(12);
                long contentLength = -1;
                boolean chunked = false;
                Boolean connectionClose = null;
                String f;
                while (!(f = readLineOrFail()).isEmpty()) {
                    int colon = f.indexOf(':');
                    if (colon <= 0) throw new IOException("malformed header line: " + shorten(f));
                    String name = f.substring(0, colon);
                    String value = f.substring(colon + 1).strip();
                    fields.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
                    if (name.equalsIgnoreCase("Content-Length")) {
                        long n = parseLength(value);
                        if (contentLength >= 0 && contentLength != n) throw new IOException("conflicting Content-Length headers");
                        contentLength = n;
                    } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                        chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    } else if (name.equalsIgnoreCase("Connection")) {
                        String v = value.toLowerCase(Locale.ROOT);
                        if (v.contains("close")) connectionClose = true;
                        else if (v.contains("keep-alive") && connectionClose == null) connectionClose = false;
                    }
                }
                if (code >= 100 && code < 200) {
                    // 100 Continue / 103 Early Hints come before the real answer; 101 would switch protocols.
                    if (code == 101) throw new IOException("the server switched protocols (101); WireClient speaks HTTP/1.1 only");
                    continue;
                }
                keepAlive = connectionClose == null ? !http10 : !connectionClose;
                byte[] body;
                if (head || code == 204 || code == 304) {
                    body = new byte[0];
                } else if (chunked) { // chunked wins over Content-Length (RFC 9112 §6.3)
                    body = readChunked();
                } else if (contentLength >= 0) {
                    body = readExactly(Math.toIntExact(contentLength));
                } else {
                    body = readToEof(); // no length: the body ends when the server closes the connection
                    keepAlive = false;
                }
                // Bytes after a complete response were never asked for: the connection's framing is off, drop it.
                if (rpos != rlim) keepAlive = false;
                return new Response(code, fields, body);
            }
        }

        private int parseStatus(String statusLine) throws IOException {
            int code = 0;
            for (int i = 9; i < 12; i++) {
                char ch = statusLine.charAt(i);
                if (ch < '0' || ch > '9') throw new IOException("bad status code in " + shorten(statusLine));
                code = code * 10 + (ch - '0');
            }
            if (statusLine.length() > 12 && statusLine.charAt(12) != ' ') throw new IOException("bad status line " + shorten(statusLine));
            return code;
        }

        private long parseLength(String value) throws IOException {
            try {
                long n = Long.parseLong(value);
                if (n < 0 || n > Integer.MAX_VALUE - 16) throw new IOException("unsupported Content-Length " + value);
                return n;
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length " + shorten(value));
            }
        }

        private byte[] readChunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
            while (true) {
                String sizeLine = readLineOrFail();
                int semi = sizeLine.indexOf(';'); // chunk extensions are allowed and ignored
                String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip();
                int size;
                try {
                    size = Integer.parseInt(hex, 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size " + shorten(sizeLine));
                }
                if (size < 0) throw new IOException("bad chunk size " + shorten(sizeLine));
                if (size == 0) {
                    while (!readLineOrFail().isEmpty()) {
                        // trailer fields: none that this client needs
                    }
                    return body.toByteArray();
                }
                body.write(readExactly(size));
                if (!readLineOrFail().isEmpty()) throw new IOException("chunk not followed by CRLF");
            }
        }

        private byte[] readExactly(int n) throws IOException {
            byte[] b = new byte[n];
            int got = Math.min(n, rlim - rpos);
            System.arraycopy(rbuf, rpos, b, 0, got);
            rpos += got;
            while (got < n) { // the rest straight from the socket: no point copying it through the buffer
                int r = in.read(b, got, n - got);
                if (r < 0) throw new EOFException("the connection closed after " + got + " of " + n + " body bytes");
                got += r;
            }
            return b;
        }

        private byte[] readToEof() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
            body.write(rbuf, rpos, rlim - rpos);
            rpos = rlim;
            byte[] chunk = new byte[8192];
            int r;
            while ((r = in.read(chunk)) >= 0) body.write(chunk, 0, r);
            return body.toByteArray();
        }

        private String readLineOrFail() throws IOException {
            String s = readLine();
            if (s == null) throw new EOFException("the connection closed in the middle of a response");
            return s;
        }

        /** One CRLF- (or LF-) terminated line as ISO-8859-1, without its terminator; null at EOF before any byte. */
        private String readLine() throws IOException {
            line.setLength(0);
            while (true) {
                if (rpos == rlim) {
                    int r = in.read(rbuf, 0, rbuf.length);
                    if (r < 0) {
                        if (line.isEmpty()) return null;
                        throw new EOFException("the connection closed in the middle of a line");
                    }
                    rpos = 0;
                    rlim = r;
                }
                byte b = rbuf[rpos++];
                if (b == '\n') {
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') line.setLength(len - 1);
                    return line.toString();
                }
                if (line.length() >= MAX_LINE) throw new IOException("response line longer than " + MAX_LINE + " bytes");
                line.append((char) (b & 0xff));
            }
        }
    }

    // ---- validation: a CR or LF in what we write would split the request (and corrupt the measurement)


    private static void checkToken(String s, String what) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException("empty " + what);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("the " + what + " " + shorten(s) + " holds a character HTTP does not allow there");
            }
        }
    }

    private static void checkTarget(String t) {
        if (t == null || !t.startsWith("/")) throw new IllegalArgumentException("the request target must start with '/'");
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c <= 0x20 || c >= 0x7f || ILLEGAL_IN_TARGET.indexOf(c) >= 0) {
                throw new IllegalArgumentException("the request target " + shorten(t) + " holds '" + c + "': percent-encode it");
            }
        }
    }

    private static void checkValue(String name, String v) {
        if (v == null) throw new IllegalArgumentException("header " + name + " has no value");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                throw new IllegalArgumentException("header " + name + " holds a character that is not printable ASCII");
            }
        }
    }

    private static String shorten(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "…";
    }
}
