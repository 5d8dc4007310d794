package dev.galley.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser as far as HTTP goes: one session cookie, form posts, no redirects followed, no JavaScript. */
final class WebClient {
    record Page(int status, String body, java.net.http.HttpHeaders headers) {
        String location() {
            return headers.firstValue("Location").orElse("");
        }

        /** The CSRF token of the page's first form. */
        String csrf() {
            Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(body);
            if (!m.find()) throw new AssertionError("no CSRF field on the page:\n" + body);
            return m.group(1);
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String cookie;

    WebClient(URI base) {
        this.base = base;
    }

    Page get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Page post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A request with no body, by any method (what a stray link or a hand-made request sends). */
    Page request(String method, String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /** Signs in with the key pair; the session cookie is kept for the following requests. */
    Page signIn(String keyPair) {
        int colon = keyPair.indexOf(':');
        Page p = post("/console/sign-in", form("public_key", keyPair.substring(0, colon), "secret_key", keyPair.substring(colon + 1)));
        if (p.status() != 303) throw new AssertionError("sign-in answered " + p.status() + ":\n" + p.body());
        return p;
    }

    static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private Page send(HttpRequest.Builder b) {
        if (cookie != null) b.header("Cookie", Web.COOKIE + "=" + cookie);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            r.headers().allValues("Set-Cookie").forEach(c -> {
                if (c.startsWith(Web.COOKIE + "=")) {
                    String v = c.substring(Web.COOKIE.length() + 1, c.indexOf(';'));
                    cookie = v.isEmpty() ? null : v;
                }
            });
            return new Page(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
