package dev.galley.server.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * Cuts off request bodies that arrive too slowly (spec §8: bodies are read "with a minimum data rate (slow
 * clients are cut off, they cannot hold capacity)"). A body still arriving {@value #GRACE_MS} ms after the server
 * began reading it must have kept up {@code bytesPerSecond} on average since then, else the next read fails with
 * {@link TooSlow} (RouteRegistrar answers 408). A body that stops arriving altogether is the idle timeout's
 * business (RouteRegistrar lowers it while a body is read).
 *
 * <p>Why not Jetty's {@code HttpConfiguration.setMinRequestDataRate}: in Jetty 12.1 (ee10) it is checked on every
 * read with no grace period, so a 5-byte body that came with its headers fails as soon as 5 ms pass between the
 * read that returns it and the read that finds its end, which a busy server does all the time.
 */
public final class MinimumDataRate implements Filter {
    public static final long GRACE_MS = 5_000;
    private final long bytesPerSecond;

    public MinimumDataRate(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** True when {@code bytes} read {@code elapsedMs} after reading began fall short of the rate (grace excepted). */
    public static boolean tooSlow(long bytes, long elapsedMs, long bytesPerSecond) {
        if (bytesPerSecond <= 0 || elapsedMs <= GRACE_MS) return false;
        return bytes < bytesPerSecond * (elapsedMs - GRACE_MS) / 1000;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (bytesPerSecond > 0 && request instanceof HttpServletRequest http && hasBody(http)) {
            chain.doFilter(new Paced(http, bytesPerSecond), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** The read that found the body too slow. */
    public static final class TooSlow extends IOException {
        TooSlow(long bytes, long elapsedMs, long bytesPerSecond) {
            super("request body: " + bytes + " bytes in " + elapsedMs + " ms, under " + bytesPerSecond + " bytes/s");
        }
    }

    private static final class Paced extends HttpServletRequestWrapper {
        private final long bytesPerSecond;
        private PacedStream stream;

        Paced(HttpServletRequest request, long bytesPerSecond) {
            super(request);
            this.bytesPerSecond = bytesPerSecond;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) stream = new PacedStream(super.getInputStream(), bytesPerSecond);
            return stream;
        }
    }

    private static final class PacedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long bytesPerSecond;
        private long started = -1;
        private long bytes;

        PacedStream(ServletInputStream in, long bytesPerSecond) {
            this.in = in;
            this.bytesPerSecond = bytesPerSecond;
        }

        private void check() throws TooSlow {
            long now = System.nanoTime();
            if (started < 0) started = now;
            long elapsedMs = (now - started) / 1_000_000;
            if (tooSlow(bytes, elapsedMs, bytesPerSecond)) throw new TooSlow(bytes, elapsedMs, bytesPerSecond);
        }

        @Override
        public int read() throws IOException {
            check();
            int b = in.read();
            if (b >= 0) bytes++;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            check();
            int n = in.read(buffer, offset, length);
            if (n > 0) bytes += n;
            return n;
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }
}
