package dev.galley.console;

import dev.galley.client.ApiKeyPair;

/** A live console session: the key the console signs with on the user's behalf, and the CSRF token its forms carry. */
record Session(byte[] idSha256, ApiKeyPair key, String csrfToken) {}
