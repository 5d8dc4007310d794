package dev.galley.core.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogRetentionTest {
    static final long CAP = LogRetention.MIN_CAP_BYTES;

    @Test
    void nothingIsDroppedWhileTheOutputFits() {
        assertThat(LogRetention.trimTarget(0, CAP, CAP)).isZero();
        assertThat(LogRetention.trimTarget(500, CAP + 500, CAP)).isEqualTo(500);
    }

    @Test
    void overTheCapTheOutputIsTrimmedToSevenEighthsOfIt() {
        assertThat(LogRetention.trimTarget(0, CAP + 1, CAP)).isEqualTo(CAP + 1 - (CAP - CAP / 8));
    }

    @Test
    void aCapBelowTheMinimumIsABug() {
        assertThatThrownBy(() -> LogRetention.trimTarget(0, 10, 1000)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Appends random chunks (up to 256 KiB, the server's chunk limit) and drops whole chunks as the rule says. */
    @Test
    void keptOutputNeverExceedsTheCapAndAlwaysHoldsTheNewestChunk() {
        Random random = new Random(42);
        List<long[]> chunks = new ArrayList<>(); // {start, end}
        long start = 0;
        long total = 0;
        for (int i = 0; i < 5_000; i++) {
            long n = 1 + random.nextInt(256 * 1024);
            chunks.add(new long[]{total, total + n});
            total += n;
            long target = LogRetention.trimTarget(start, total, CAP);
            while (!chunks.isEmpty() && chunks.getFirst()[0] < target) start = chunks.removeFirst()[1];
            assertThat(total - start).isLessThanOrEqualTo(CAP);
            assertThat(chunks).isNotEmpty();
            assertThat(chunks.getLast()[1]).isEqualTo(total);
            assertThat(chunks.getFirst()[0]).isEqualTo(start);
        }
    }

    @Test
    void theMarkerSaysHowMuchWasDropped() {
        assertThat(LogRetention.droppedMarker(12_897_485)).isEqualTo("[galley: 12.3 MiB of earlier output dropped]\n");
        assertThat(LogRetention.size(1)).isEqualTo("1 byte");
        assertThat(LogRetention.size(1023)).isEqualTo("1023 bytes");
        assertThat(LogRetention.size(1536)).isEqualTo("1.5 KiB");
        assertThat(LogRetention.size(3L << 30)).isEqualTo("3.0 GiB");
    }
}
