package dev.galley.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.galley.core.net.IpRange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PortProxyTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Echoes everything back; on EOF from the client it closes, which exercises half-close through the proxy. */
    private ServerSocket echoServer;
    private final AtomicInteger echoConnections = new AtomicInteger();
    private PortProxy proxy;

    @BeforeEach
    void startEchoServer() throws IOException {
        echoServer = new ServerSocket(0, 50, LOOPBACK);
        Thread.ofVirtual().start(() -> {
            while (!echoServer.isClosed()) {
                try {
                    Socket s = echoServer.accept();
                    echoConnections.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException ignored) {
                            // client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) proxy.close();
        echoServer.close();
    }

    private PortProxy proxyToEcho(List<IpRange> allowed) throws IOException {
        proxy = PortProxy.start(LOOPBACK, 0, "127.0.0.1", echoServer.getLocalPort(), allowed);
        return proxy;
    }

    private static byte[] sendAndReadAll(int port, byte[] payload) throws IOException {
        try (Socket client = new Socket(LOOPBACK, port)) {
            var reader = new ByteArrayOutputStream();
            Thread readerThread = Thread.ofVirtual().start(() -> {
                try {
                    client.getInputStream().transferTo(reader);
                } catch (IOException ignored) {
                    // asserted through the content
                }
            });
            client.getOutputStream().write(payload);
            client.shutdownOutput(); // our EOF must reach the echo server, whose close must reach us
            readerThread.join();
            return reader.toByteArray();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void pipesBothWaysIncludingHalfClose() throws IOException {
        int port = proxyToEcho(List.of()).port();
        assertThat(port).isPositive().isNotEqualTo(echoServer.getLocalPort());
        assertThat(new String(sendAndReadAll(port, "hello\n".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .isEqualTo("hello\n");
    }

    @Test
    void carriesALargePayloadIntact() throws IOException {
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(payload);
        assertThat(sendAndReadAll(proxyToEcho(List.of()).port(), payload)).isEqualTo(payload);
    }

    @Test
    void interactiveRoundTripsBeforeAnyEof() throws IOException {
        try (Socket client = new Socket(LOOPBACK, proxyToEcho(List.of()).port())) {
            for (String line : List.of("one", "two", "three")) {
                client.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
                assertThat(new String(client.getInputStream().readNBytes(line.length()), StandardCharsets.UTF_8)).isEqualTo(line);
            }
        }
    }

    @Test
    void refusesAnAddressOutsideTheAllowedRangesWithoutData() throws IOException {
        int port = proxyToEcho(List.of(IpRange.parse("10.0.0.0/8"))).port();
        try (Socket client = new Socket(LOOPBACK, port)) {
            client.setSoTimeout(5_000);
            client.getOutputStream().write("hello".getBytes(StandardCharsets.UTF_8));
            assertThat(readOrReset(client.getInputStream())).isEqualTo(-1);
        }
        assertThat(echoConnections).as("the target never saw the refused connection").hasValue(0);
    }

    @Test
    void admitsAnAddressInsideTheAllowedRanges() throws IOException {
        int port = proxyToEcho(List.of(IpRange.parse("10.0.0.0/8"), IpRange.parse("127.0.0.1/32"))).port();
        assertThat(sendAndReadAll(port, "ok".getBytes(StandardCharsets.UTF_8))).asString(StandardCharsets.UTF_8).isEqualTo("ok");
        assertThat(echoConnections).hasValue(1);
    }

    @Test
    void admitsChecksEveryRange() throws IOException {
        PortProxy p = proxyToEcho(List.of(IpRange.parse("192.168.1.0/24"), IpRange.parse("2001:db8::/32")));
        assertThat(p.admits(InetAddress.getByName("192.168.1.77"))).isTrue();
        assertThat(p.admits(InetAddress.getByName("2001:db8::1"))).isTrue();
        assertThat(p.admits(InetAddress.getByName("192.168.2.1"))).isFalse();
        assertThat(p.admits(InetAddress.getByName("127.0.0.1"))).isFalse();
    }

    @Test
    void closeStopsAcceptingAndEndsOpenConnections() throws IOException {
        PortProxy p = proxyToEcho(List.of());
        int port = p.port();
        try (Socket open = new Socket(LOOPBACK, port)) {
            open.setSoTimeout(5_000);
            open.getOutputStream().write("x".getBytes(StandardCharsets.UTF_8));
            assertThat(open.getInputStream().read()).isEqualTo('x');
            p.close();
            assertThat(readOrReset(open.getInputStream())).isEqualTo(-1);
        }
        // The listener is gone: a connection is refused, or (when another process reused the port at once)
        // at least nothing is proxied to our echo server any more.
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(LOOPBACK, port), 2_000);
            s.setSoTimeout(1_000);
            s.getOutputStream().write('y');
            int answer;
            try {
                answer = s.getInputStream().read();
            } catch (IOException timeoutOrReset) {
                answer = -1;
            }
            assertThat(answer).as("nothing proxied after close").isNotEqualTo('y');
        } catch (ConnectException refused) {
            assertThat(refused).hasMessageContaining("refused");
        }
    }

    @Test
    void unreachableTargetClosesTheClient() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            deadPort = s.getLocalPort();
        }
        proxy = PortProxy.start(LOOPBACK, 0, "127.0.0.1", deadPort, List.of());
        try (Socket client = new Socket(LOOPBACK, proxy.port())) {
            client.setSoTimeout(5_000);
            assertThat(readOrReset(client.getInputStream())).isEqualTo(-1);
        }
    }

    @Test
    void listeningOnATakenPortFailsClearly() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            assertThatThrownBy(() -> PortProxy.start(LOOPBACK, taken.getLocalPort(), "127.0.0.1", 1, List.of()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    /** A closed connection reads as EOF or as a reset, depending on timing; both mean "no data, gone". */
    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }
}
