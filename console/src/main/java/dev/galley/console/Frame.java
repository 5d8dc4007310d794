package dev.galley.console;

/**
 * What every page's frame needs: its title, which navigation entry is current, who is signed in (null on the
 * sign-in page), the CSRF token its forms carry, and the versioned asset URLs.
 */
public record Frame(String title, String section, String publicKey, String csrfToken, String cssUrl, String jsUrl) {
    public boolean signedIn() {
        return publicKey != null;
    }

    public String navClass(String entry) {
        return entry.equals(section) ? "current" : "";
    }
}
