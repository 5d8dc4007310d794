package dev.galley.app.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/** Hot spots of a JFR recording: execution samples by top frame, and by the first Galley frame on the stack. */
public final class JfrSummary {
    private JfrSummary() {}

    public static String summarize(Path file, long fromEpochMs, long toEpochMs, int top) throws IOException {
        Map<String, Integer> selfTop = new HashMap<>();
        Map<String, Integer> galley = new HashMap<>();
        Map<String, Integer> area = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
            long t = e.getStartTime().toEpochMilli();
            if (t < fromEpochMs || t > toEpochMs || e.getStackTrace() == null) continue;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) continue;
            samples++;
            selfTop.merge(name(frames.getFirst().getMethod()), 1, Integer::sum);
            String firstGalley = null;
            for (RecordedFrame f : frames) {
                String n = name(f.getMethod());
                if (n.startsWith("dev.galley.")) {
                    firstGalley = n;
                    break;
                }
            }
            galley.merge(firstGalley == null ? "(no Galley frame: JDK/Jetty/driver threads)" : firstGalley, 1, Integer::sum);
            area.merge(area(frames), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(samples).append(" execution samples in the measured window\n\n");
        section(sb, "by area (any frame on the stack, first match wins)", area, samples, top);
        section(sb, "top frames (self time)", selfTop, samples, top);
        section(sb, "first Galley frame on the stack (where Galley code spends or causes the time)", galley, samples, top);
        return sb.toString();
    }

    private static String area(List<RecordedFrame> frames) {
        String[][] rules = {
                {"dev.galley.server.scheduler.", "scheduler (SchedulingLoop/SnapshotLoader/PlanApplier)"},
                {"dev.galley.server.auth.", "authentication (HMAC, key decrypt, nonce insert)"},
                {"dev.galley.core.cook.", "cook (merge, fill inputs)"},
                {"dev.galley.core.spec.", "job spec validation"},
                {"dev.galley.server.jobs.", "jobs (JobService, JobGroupCommit)"},
                {"dev.galley.server.lifecycle.", "job and run records (JobRepository, RunRepository, JobReconciler)"},
                {"org.postgresql.", "PostgreSQL JDBC driver"},
                {"com.fasterxml.jackson.", "Jackson JSON"},
                {"org.eclipse.jetty.", "Jetty HTTP"},
                {"io.javalin.", "Javalin"},
        };
        for (String[] r : rules) {
            for (RecordedFrame f : frames) if (name(f.getMethod()).startsWith(r[0])) return r[1];
        }
        return "other (JVM, GC, JDK)";
    }

    private static void section(StringBuilder sb, String title, Map<String, Integer> counts, int total, int top) {
        sb.append(title).append(":\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> sb.append(String.format("  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey())));
        sb.append('\n');
    }

    private static String name(RecordedMethod m) {
        return m == null ? "?" : m.getType().getName() + "." + m.getName();
    }
}
