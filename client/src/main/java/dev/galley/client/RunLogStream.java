package dev.galley.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * Streams a followed log ({@code GET …/logs?follow=true}). {@link GalleyClient} reads whole bodies with a
 * request timeout, which a stream that lasts as long as the run cannot have; this signs the same way and
 * hands over the output as it arrives, with no overall timeout.
 */
final class RunLogStream {
    private final URI baseUrl;
    private final ApiKeyPair key;
    private final HttpClient http;

    RunLogStream(URI baseUrl, ApiKeyPair key, Duration connectTimeout) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.key = Objects.requireNonNull(key, "key");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    long follow(String pathWithQuery, OutputStream sink) {
        String base = baseUrl.toString().endsWith("/") ? baseUrl.toString().substring(0, baseUrl.toString().length() - 1)
                : baseUrl.toString();
        URI uri = URI.create(base + UrlText.escapeIllegal(pathWithQuery));
        String signedTarget = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("Accept", "text/plain");
        RequestSigning.headers(key, "GET", signedTarget, new byte[0], System.currentTimeMillis(),
                RequestSigning.randomNonce()).forEach(request::setHeader);
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() >= 400) {
                    throw new GalleyApiException(new ApiResponse(response.statusCode(), response.headers().map(),
                            body.readAllBytes()));
                }
                byte[] buffer = new byte[8192];
                long total = 0;
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    if (n == 0) continue;
                    sink.write(buffer, 0, n);
                    sink.flush();
                    total += n;
                }
                return total;
            }
        } catch (ConnectException e) {
            throw new GalleyConnectionException("cannot connect to " + baseUrl + " (is the server running?)", e);
        } catch (IOException e) {
            throw new GalleyConnectionException("the log stream from " + baseUrl + " broke off: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GalleyConnectionException("interrupted while following logs", e);
        }
    }
}
