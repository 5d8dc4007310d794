package dev.galley.console;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Log bytes become events only at whole UTF-8 characters, wherever the network cut them. */
class LogSinkTest {
    @Test
    void aCutInsideAMultiByteCharacterWaitsForTheRest() {
        byte[] euro = "a€".getBytes(StandardCharsets.UTF_8); // 61 E2 82 AC
        assertThat(JobPages.LogSink.wholeCharacters(euro)).isEqualTo(4);
        assertThat(JobPages.LogSink.wholeCharacters(java.util.Arrays.copyOf(euro, 3))).isEqualTo(1);
        assertThat(JobPages.LogSink.wholeCharacters(java.util.Arrays.copyOf(euro, 2))).isEqualTo(1);
        byte[] emoji = "🙂".getBytes(StandardCharsets.UTF_8);
        assertThat(JobPages.LogSink.wholeCharacters(java.util.Arrays.copyOf(emoji, 3))).isEqualTo(0);
        assertThat(JobPages.LogSink.wholeCharacters(emoji)).isEqualTo(4);
        assertThat(JobPages.LogSink.wholeCharacters("plain".getBytes(StandardCharsets.UTF_8))).isEqualTo(5);
    }
}
