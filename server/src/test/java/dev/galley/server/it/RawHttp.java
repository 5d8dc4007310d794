package dev.galley.server.it;

import dev.galley.client.ApiKeyPair;
import dev.galley.client.RequestSigning;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 connection driven by hand over a plain socket, for what an HTTP client library will not do:
 * send headers and then the body a byte at a time, or read a streamed response and hang up halfway.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean closed;

    RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** Sends a request line and headers signed over {@code signedBody}; the caller sends the body (or not). */
    RawHttp sendHead(String keyPair, String method, String target, byte[] signedBody, int contentLength) throws IOException {
        return sendHead(method, target, RequestSigning.headers(ApiKeyPair.parse(keyPair), method, target, signedBody,
                System.currentTimeMillis(), RequestSigning.randomNonce()), contentLength);
    }

    RawHttp sendHead(String method, String target, Map<String, String> headers, int contentLength) throws IOException {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (contentLength >= 0) head.append("Content-Type: application/json\r\nContent-Length: ").append(contentLength).append("\r\n");
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return this;
    }

    /** Sends more of the body; false once the server has closed the connection. */
    boolean send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            closed = true;
            return false;
        }
    }

    /** Reads what has arrived (waiting at most 200 ms); false once the server closed the connection. */
    boolean poll() throws IOException {
        return poll(200);
    }

    /** Reads what has arrived, waiting at most {@code waitMs}; false once the server closed the connection. */
    boolean poll(int waitMs) throws IOException {
        byte[] buf = new byte[65536];
        try {
            socket.setSoTimeout(waitMs);
            int n = in.read(buf);
            if (n < 0) closed = true;
            else received.write(buf, 0, n);
            return !closed;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            closed = true; // reset by the server
            return false;
        }
    }

    /** True once the server closed (or reset) the connection. */
    boolean closed() {
        return closed;
    }

    /** Neither answered nor closed yet. */
    boolean pending() {
        return status() == 0 && !closed;
    }

    /** Everything received so far, as text. */
    String received() {
        return received.toString(StandardCharsets.UTF_8);
    }

    /** The status code of the response, or 0 while its status line has not arrived. */
    int status() {
        String text = received();
        if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) return 0;
        return Integer.parseInt(text.substring(9, 12));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
