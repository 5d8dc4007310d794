package dev.galley.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CreditPolicyTest {
    static final BigDecimal NEGATIVE = new BigDecimal("-0.01");
    static final BigDecimal POSITIVE = new BigDecimal("0.01");

    @Test
    void recordingNeverRefusesOrStopsAnyone() {
        assertThat(CreditPolicy.mayStartWork(BillingMode.RECORD, false, NEGATIVE)).isTrue();
        assertThat(CreditPolicy.stopsAtCut(BillingMode.RECORD, false, NEGATIVE)).isFalse();
    }

    @Test
    void enforcingNeedsABalanceAboveZeroToStartAndStopsBelowZero() {
        assertThat(CreditPolicy.mayStartWork(BillingMode.ENFORCE, false, POSITIVE)).isTrue();
        assertThat(CreditPolicy.mayStartWork(BillingMode.ENFORCE, false, BigDecimal.ZERO)).isFalse();
        assertThat(CreditPolicy.mayStartWork(BillingMode.ENFORCE, false, NEGATIVE)).isFalse();
        assertThat(CreditPolicy.stopsAtCut(BillingMode.ENFORCE, false, BigDecimal.ZERO)).as("zero finishes what it runs").isFalse();
        assertThat(CreditPolicy.stopsAtCut(BillingMode.ENFORCE, false, NEGATIVE)).isTrue();
    }

    @Test
    void exemptAccountsAreNeverRefusedOrStopped() {
        assertThat(CreditPolicy.mayStartWork(BillingMode.ENFORCE, true, NEGATIVE)).isTrue();
        assertThat(CreditPolicy.stopsAtCut(BillingMode.ENFORCE, true, NEGATIVE)).isFalse();
    }

    @Test
    void messagesSayTheBalanceAndWhatToDo() {
        assertThat(CreditPolicy.paymentRequired(NEGATIVE, "USD")).contains("-0.010000 USD").contains("above zero");
        assertThat(CreditPolicy.stoppedAtCut(NEGATIVE, "EUR")).contains("-0.010000 EUR").contains("below zero");
        assertThat(CreditPolicy.waitingForCredit(BigDecimal.ZERO, "USD")).contains("0.000000 USD");
    }

    @Test
    void modesParseCaseInsensitively() {
        assertThat(BillingMode.parse("Enforce")).isEqualTo(BillingMode.ENFORCE);
        assertThat(BillingMode.parse(" record ")).isEqualTo(BillingMode.RECORD);
        assertThatThrownBy(() -> BillingMode.parse("strict")).hasMessageContaining("record or enforce");
        assertThatThrownBy(() -> BillingMode.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(BillingMode.ENFORCE.wire()).isEqualTo("enforce");
        assertThat(LedgerType.CREDIT_GRANT.postedByOperators()).isTrue();
        assertThat(LedgerType.USAGE_CHARGE.postedByOperators()).isFalse();
    }
}
