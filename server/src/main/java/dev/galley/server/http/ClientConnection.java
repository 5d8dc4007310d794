package dev.galley.server.http;

import io.javalin.http.Context;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;

/**
 * The TCP connection under a request (Jetty 12, HTTP/1.1), for the two things the servlet API cannot do:
 * giving one phase of a request its own idle timeout, and noticing that a client went away while the server
 * has nothing to write to it.
 */
public final class ClientConnection {
    private ClientConnection() {}

    /** The request's connection end point; empty when the request does not come through Jetty's servlet layer. */
    public static Optional<EndPoint> endPoint(Context ctx) {
        try {
            return Optional.ofNullable(ServletContextRequest.getServletContextRequest(ctx.req()))
                    .map(r -> r.getConnectionMetaData().getConnection().getEndPoint());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Calls {@code gone} once the client closes the connection (or sends anything more) while the response is
     * being streamed. A streaming response whose request body has been read has nothing more to read, so
     * Jetty does not watch the socket and would notice a closed one only at the next write, which a quiet
     * stream may never make: this asks the end point to report the next readable event, which is the
     * client's FIN. The connection cannot serve another request afterwards, so callers answer with
     * {@code Connection: close}. Returns false when it could not watch (not Jetty, or a read is pending).
     */
    public static boolean onClientGone(Context ctx, Runnable gone) {
        return endPoint(ctx).map(ep -> ep.tryFillInterested(Callback.from(gone, failure -> gone.run()))).orElse(false);
    }
}
