package dev.galley.node.agent;

import dev.galley.core.net.IpRange;
import dev.galley.node.protocol.NodeUrl;
import dev.galley.node.proxy.PortProxy;
import dev.galley.node.runtime.ContainerRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The port proxies of one run: one {@link PortProxy} per published container port, listening on the
 * agent's bind address at a port the OS picks, forwarding to the runtime's 127.0.0.1 port, admitting
 * only {@code allowed_ips}. Their addresses become the run's {@code node_urls}.
 */
final class RunProxies implements AutoCloseable {
    private static final String CONTAINER_SIDE_HOST = "127.0.0.1";

    private final List<PortProxy> proxies;
    private final List<NodeUrl> nodeUrls;

    private RunProxies(List<PortProxy> proxies, List<NodeUrl> nodeUrls) {
        this.proxies = proxies;
        this.nodeUrls = List.copyOf(nodeUrls);
    }

    /**
     * Opens a proxy for every port the container publishes.
     *
     * @throws IllegalArgumentException when an allowed IP does not parse (fail closed rather than admit everyone)
     * @throws IOException              when a proxy cannot listen
     */
    static RunProxies open(ContainerRuntime runtime, String containerId, InetAddress bindAddress, String publicHost,
                           List<String> allowedIps) throws IOException {
        List<IpRange> allowed = new ArrayList<>();
        for (String ip : allowedIps) allowed.add(IpRange.parse(ip.strip()));
        Map<Integer, Integer> published = new TreeMap<>(runtime.publishedPorts(containerId));
        List<PortProxy> proxies = new ArrayList<>();
        List<NodeUrl> urls = new ArrayList<>();
        try {
            for (var port : published.entrySet()) {
                PortProxy proxy = PortProxy.start(bindAddress, 0, CONTAINER_SIDE_HOST, port.getValue(), allowed);
                proxies.add(proxy);
                urls.add(NodeUrl.tcp(port.getKey(), publicHost, proxy.port()));
            }
        } catch (IOException | RuntimeException e) {
            proxies.forEach(PortProxy::close);
            throw e;
        }
        return new RunProxies(proxies, urls);
    }

    List<NodeUrl> nodeUrls() {
        return nodeUrls;
    }

    @Override
    public void close() {
        proxies.forEach(PortProxy::close);
    }
}
