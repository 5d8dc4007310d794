package dev.galley.cli;

/**
 * A saved server and key, as {@code galley login} stores them.
 *
 * @param apiKey {@code pk_…:sk_…}
 */
public record Profile(String url, String apiKey) {
    @Override
    public String toString() {
        // Never print the secret half.
        int colon = apiKey == null ? -1 : apiKey.indexOf(':');
        return "Profile[" + url + ", " + (colon < 0 ? "no key" : apiKey.substring(0, colon) + ":sk_****") + "]";
    }
}
