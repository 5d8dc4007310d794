package dev.galley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/** Amounts travel as decimal strings (spec §9); here they are {@link BigDecimal}, never floating point. */
final class Money {
    private Money() {}

    /** The field as a BigDecimal; null when absent, null or not a decimal string. */
    static BigDecimal read(JsonNode node, String field) {
        String text = JsonText.text(node, field);
        if (text == null) return null;
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The wire form of an amount the caller gives: plain decimal text (the server refuses more than six fraction digits). */
    static String write(BigDecimal amount) {
        return amount.toPlainString();
    }
}
