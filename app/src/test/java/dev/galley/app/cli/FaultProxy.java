package dev.galley.app.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP/1.1 proxy in front of the real server that can misbehave on purpose: forward a request and then
 * drop the connection instead of returning the answer (the server did the work, the client never hears of it),
 * or answer with a canned status (429, 503) without forwarding. Every request it sees is recorded. Each
 * connection carries one request ({@code Connection: close}), so what the client sees is never a stale socket.
 */
final class FaultProxy implements AutoCloseable {
    /** What to do with the next request. */
    sealed interface Action permits Forward, DropResponse, Respond {}

    record Forward() implements Action {}

    record DropResponse() implements Action {}

    record Respond(int status, String extraHeaders, String body) implements Action {}

    record Seen(String method, String target, String idempotencyKey) {}

    private final URI upstream;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Action> script = new ConcurrentLinkedQueue<>();
    private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());

    FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.execute(this::acceptLoop);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The next requests get these actions, in order; later ones are forwarded. */
    FaultProxy then(Action... actions) {
        script.addAll(List.of(actions));
        return this;
    }

    List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                pool.execute(() -> handle(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) return;
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            int length = 0;
            String idempotencyKey = null;
            StringBuilder forwardedHead = new StringBuilder(lines[0]).append("\r\n");
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                String name = line.substring(0, Math.max(0, line.indexOf(':'))).strip().toLowerCase(Locale.ROOT);
                String value = line.substring(line.indexOf(':') + 1).strip();
                if (name.equals("content-length")) length = Integer.parseInt(value);
                if (name.equals("idempotency-key")) idempotencyKey = value;
                if (name.equals("connection")) continue;
                forwardedHead.append(line).append("\r\n");
            }
            forwardedHead.append("Connection: close\r\n\r\n");
            byte[] body = in.readNBytes(length);
            seen.add(new Seen(requestLine[0], requestLine[1], idempotencyKey));

            Action action = script.poll();
            if (action instanceof Respond canned) {
                byte[] payload = canned.body().getBytes(StandardCharsets.UTF_8);
                String response = "HTTP/1.1 " + canned.status() + " Canned\r\nContent-Type: application/json\r\n"
                        + canned.extraHeaders() + "Content-Length: " + payload.length + "\r\nConnection: close\r\n\r\n";
                OutputStream out = client.getOutputStream();
                out.write(response.getBytes(StandardCharsets.US_ASCII));
                out.write(payload);
                out.flush();
                return;
            }
            byte[] answer = forward(forwardedHead.toString(), body);
            if (action instanceof DropResponse) return; // the server did the work; the client hears nothing
            OutputStream out = client.getOutputStream();
            out.write(withConnectionClose(answer));
            out.flush();
        } catch (IOException e) {
            // The client went away; nothing to do.
        }
    }

    private byte[] forward(String head, byte[] body) throws IOException {
        try (Socket up = new Socket(upstream.getHost(), upstream.getPort())) {
            OutputStream out = up.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return up.getInputStream().readAllBytes(); // Connection: close, so the answer ends at EOF
        }
    }

    /** The upstream answer with its Connection header replaced, so the client never reuses this socket. */
    private static byte[] withConnectionClose(byte[] answer) {
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) return answer;
        StringBuilder head = new StringBuilder();
        for (String line : text.substring(0, end).split("\r\n")) {
            if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) head.append(line).append("\r\n");
        }
        head.append("Connection: close\r\n");
        return (head + text.substring(end + 2)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
