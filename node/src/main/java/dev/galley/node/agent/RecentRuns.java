package dev.galley.node.agent;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs this agent has already finished with, most recent last, bounded. Assignments are delivered at
 * least once, and a long-poll answer computed just before a run left ASSIGNED can arrive after the run
 * is over; remembering recent runs keeps such a late duplicate from starting a second container.
 * Bounded because an agent runs for months; a duplicate arrives within seconds.
 */
final class RecentRuns {
    private final Map<String, Boolean> runs;

    RecentRuns(int capacity) {
        this.runs = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void add(String runUuid) {
        runs.put(runUuid, Boolean.TRUE);
    }

    synchronized boolean contains(String runUuid) {
        return runs.containsKey(runUuid);
    }
}
