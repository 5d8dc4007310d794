package dev.galley.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: a header row and columns padded to their widest cell, two spaces apart, the last column
 * unpadded (no trailing blanks). Empty cells show as {@code -} so that {@code awk '{print $3}'} keeps its
 * columns; overlong cells are cut with an ellipsis so one long reason does not wrap every row.
 */
final class Table {
    static final int MAX_CELL = 60;

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
        }
        rows.add(Arrays.stream(cells).map(Table::cell).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintStream out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = headers.get(i).length();
        for (List<String> row : rows) {
            for (int i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], row.get(i).length());
        }
        printRow(out, headers, widths);
        for (List<String> row : rows) printRow(out, row, widths);
        out.flush();
    }

    private static void printRow(PrintStream out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
        out.println(line.toString().stripTrailing());
    }

    private static String cell(Object value) {
        if (value == null) return "-";
        String text = value.toString().replaceAll("\\s+", " ").strip();
        if (text.isEmpty()) return "-";
        return text.length() > MAX_CELL ? text.substring(0, MAX_CELL - 1) + "…" : text;
    }
}
