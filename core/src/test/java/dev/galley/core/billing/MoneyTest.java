package dev.galley.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.galley.core.error.FieldError;
import dev.galley.core.error.FieldErrors;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class MoneyTest {
    private static final BigDecimal MAX = new BigDecimal("1000000000");

    @Test
    void theWireFormHasExactlySixFractionDigits() {
        assertThat(Money.format(new BigDecimal("0.35"))).isEqualTo("0.350000");
        assertThat(Money.format(new BigDecimal("-12"))).isEqualTo("-12.000000");
        assertThat(Money.format(new BigDecimal("1E+3"))).isEqualTo("1000.000000");
        assertThat(Money.format(BigDecimal.ZERO)).isEqualTo("0.000000");
    }

    @Test
    void roundingIsHalfEvenToSixDigits() {
        assertThat(Money.round(new BigDecimal("0.0000005"))).isEqualByComparingTo("0.000000");
        assertThat(Money.round(new BigDecimal("0.0000015"))).isEqualByComparingTo("0.000002");
        assertThat(Money.round(new BigDecimal("0.00000151"))).isEqualByComparingTo("0.000002");
        assertThat(Money.round(new BigDecimal("-0.0000025"))).isEqualByComparingTo("-0.000002");
    }

    @Test
    void parsingAcceptsPlainDecimalsOnly() {
        assertThat(Money.parse("12")).isEqualByComparingTo("12");
        assertThat(Money.parse("0.35")).isEqualByComparingTo("0.35").hasScaleOf(6);
        assertThat(Money.parse("-3.000001")).isEqualByComparingTo("-3.000001");
        for (String bad : List.of("", "1e3", ".5", "5.", "+1", "01", "0.0000001", "1,5", " 1", "1 ", "NaN", "--1", "0x10",
                "1234567890123456789")) {
            assertThatThrownBy(() -> Money.parse(bad)).as("'%s'", bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most 6 fraction digits");
        }
        assertThatThrownBy(() -> Money.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readingFromJsonRefusesNumbersAndNamesTheField() {
        var json = JsonNodeFactory.instance;
        FieldErrors errors = new FieldErrors();
        assertThat(Money.read(json.numberNode(new BigDecimal("1.5")), "amount", true, BigDecimal.ZERO, MAX, errors)).isNull();
        assertThat(Money.read(json.booleanNode(true), "amount", true, BigDecimal.ZERO, MAX, errors)).isNull();
        assertThat(Money.read(json.textNode("1.1234567"), "amount", true, BigDecimal.ZERO, MAX, errors)).isNull();
        assertThat(Money.read(json.textNode("-1"), "amount", true, BigDecimal.ZERO, MAX, errors)).isNull();
        assertThat(Money.read(json.textNode("1000000000.000001"), "amount", true, BigDecimal.ZERO, MAX, errors)).isNull();
        assertThat(Money.read(null, "amount", true, BigDecimal.ZERO, MAX, errors)).isNull();
        assertThat(Money.read(json.nullNode(), "optional", false, BigDecimal.ZERO, MAX, errors)).isNull();
        assertThat(errors.list()).extracting(FieldError::field).containsOnly("amount").hasSize(6);
        assertThat(errors.list().get(0).message()).contains("not a JSON number").contains("\"1.5\"");
        assertThat(errors.list().get(3).message()).isEqualTo("must be between 0 and 1000000000");
        FieldErrors none = new FieldErrors();
        assertThat(Money.read(json.textNode("1000000000"), "amount", true, BigDecimal.ZERO, MAX, none)).isEqualByComparingTo(MAX);
        assertThat(none.isEmpty()).isTrue();
    }

    @Test
    void aParsedValueSurvivesTheWireUnchanged() throws Exception {
        var mapper = new ObjectMapper();
        for (String text : List.of("0.000001", "123456789012.123456", "-0.5", "7")) {
            BigDecimal v = Money.parse(text);
            String wire = mapper.writeValueAsString(Money.format(v));
            assertThat(Money.parse(mapper.readValue(wire, String.class))).isEqualByComparingTo(v);
        }
    }
}
