package dev.galley.core.list;

import static dev.galley.core.spec.SpecFixtures.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.galley.core.error.FieldError;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListQueryParserTest {
    private final ListQueryParser parser = new ListQueryParser(
            Map.of("name", FilterKind.SUBSTRING, "created_at", FilterKind.DATE_RANGE), Map.of(), Set.of());

    private ListQuery parse(String name, String value) {
        return parser.parse(Map.of(name, List.of(value)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"filter[name]", "sort", "page", "limit", "filter[created_at]"})
    void a_nul_character_in_any_value_is_a_400_naming_the_parameter(String name) {
        assertThat(errorsOf(() -> parse(name, "a\0b"))).extracting(FieldError::field).containsExactly(name);
    }

    @Test
    void a_nul_character_in_a_parameter_name_is_refused_too() {
        assertThat(errorsOf(() -> parse("filter[na\0me]", "x"))).extracting(FieldError::message)
                .containsExactly("must not contain NUL characters (%00)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+100000-01-01T00:00:00Z", "2026-01-01,+10000-01-01", "-000001-01-01T00:00:00Z", "0000-12-31T23:59:59Z"})
    void dates_outside_years_1_to_9999_are_refused(String value) {
        assertThat(errorsOf(() -> parse("filter[created_at]", value))).extracting(FieldError::field).containsExactly("filter[created_at]");
    }

    @Test
    void the_first_and_last_day_of_that_span_are_fine() {
        assertThat(parse("filter[created_at]", "0001-01-01,9999-12-31").filters()).hasSize(1);
    }

    @Test
    void a_page_past_two_to_the_31_is_the_last_possible_page_not_an_error() {
        assertThat(parse("page", "99999999999999").page()).isEqualTo(Integer.MAX_VALUE);
    }
}
