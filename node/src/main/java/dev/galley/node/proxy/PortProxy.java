package dev.galley.node.proxy;

import dev.galley.core.net.IpRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's own TCP proxy in front of a container's published port (spec §6.2).
 *
 * <p>Why a proxy at all: containers publish their ports on 127.0.0.1 only (see
 * {@link dev.galley.node.runtime.ContainerRuntime}), so nothing a job opens is reachable from outside
 * unless the agent exposes it here. That is where the job's {@code allowed_ips} are enforced, the same
 * way under docker and podman, without touching the host firewall.
 *
 * <p>Each accepted connection is checked against {@code allowed} (empty = everyone). A refused one is
 * closed at once, before any byte is read or forwarded, and logged at INFO with the address. An admitted
 * one is piped both ways on two virtual threads; when one side finishes sending, the proxy half-closes
 * the other side's output so request/response protocols that rely on EOF still work; on any error both
 * sockets are closed. {@link #close()} stops accepting and closes the open connections too, because the
 * proxy is closed when its run ends.
 */
public final class PortProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PortProxy.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int BUFFER_SIZE = 16 * 1024;

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<IpRange> allowed;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private PortProxy(ServerSocket server, String targetHost, int targetPort, List<IpRange> allowed) {
        this.server = server;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.allowed = List.copyOf(allowed);
    }

    /**
     * Listens on {@code bindAddr:listenPortOr0} (0 = any free port, see {@link #port()}) and forwards
     * admitted connections to {@code targetHost:targetPort}.
     */
    public static PortProxy start(InetAddress bindAddr, int listenPortOr0, String targetHost, int targetPort, List<IpRange> allowed)
            throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(bindAddr, listenPortOr0));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + bindAddr.getHostAddress() + ":" + listenPortOr0 + ": " + e.getMessage(), e);
        }
        PortProxy proxy = new PortProxy(server, targetHost, targetPort, allowed);
        Thread.ofVirtual().name("proxy-accept-" + server.getLocalPort()).start(proxy::acceptLoop);
        log.info("proxying {} -> {}:{} for {}", server.getLocalSocketAddress(), targetHost, targetPort,
                allowed.isEmpty() ? "everyone" : allowed);
        return proxy;
    }

    /** The port this proxy listens on. */
    public int port() {
        return server.getLocalPort();
    }

    /** True when the address may connect: {@code allowed} is empty or one of its ranges contains it. */
    boolean admits(InetAddress address) {
        if (allowed.isEmpty()) return true;
        for (IpRange range : allowed) if (range.contains(address)) return true;
        return false;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) log.warn("proxy on port {} stopped accepting: {}", port(), e.getMessage());
                return;
            }
            InetAddress remote = client.getInetAddress();
            if (!admits(remote)) {
                log.info("proxy on port {} refused {} (not in allowed_ips)", port(), remote.getHostAddress());
                closeQuietly(client);
                continue;
            }
            Thread.ofVirtual().name("proxy-conn-" + port()).start(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        openSockets.add(client);
        Socket target = new Socket();
        openSockets.add(target);
        try {
            target.connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            log.warn("proxy on port {}: cannot reach {}:{}: {}", port(), targetHost, targetPort, e.getMessage());
            closeBoth(client, target);
            return;
        }
        if (closed) {
            closeBoth(client, target);
            return;
        }
        // Both directions must finish (EOF each way) or one must fail before the sockets are closed.
        AtomicInteger directionsLeft = new AtomicInteger(2);
        Thread.ofVirtual().name("proxy-up-" + port()).start(() -> pipe(client, target, directionsLeft));
        pipe(target, client, directionsLeft);
    }

    private void pipe(Socket from, Socket to, AtomicInteger directionsLeft) {
        byte[] buffer = new byte[BUFFER_SIZE];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            // EOF from this side: pass the half-close on, the other direction may still be talking.
            if (!to.isClosed()) to.shutdownOutput();
            if (directionsLeft.decrementAndGet() == 0) closeBoth(from, to);
        } catch (IOException e) {
            if (!(e instanceof SocketException) || !closed) {
                log.debug("proxy on port {}: connection ended: {}", port(), e.getMessage());
            }
            closeBoth(from, to);
        }
    }

    private void closeBoth(Socket a, Socket b) {
        closeQuietly(a);
        closeQuietly(b);
        openSockets.remove(a);
        openSockets.remove(b);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to do with a socket that will not close.
        }
    }

    /** Stops accepting and closes every connection still open. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing a server socket only fails if it is already broken; it is gone either way.
        }
        for (Socket socket : openSockets) closeQuietly(socket);
        openSockets.clear();
        log.info("proxy on port {} closed", server.getLocalPort());
    }
}
