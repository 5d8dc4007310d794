package dev.galley.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunningBalancesTest {
    @Test
    void eachPostingGivesTheBalanceAfterItInOrder() {
        UUID consumer = UUID.randomUUID();
        UUID provider = UUID.randomUUID();
        var balances = new RunningBalances(Map.of(consumer, new BigDecimal("10"), provider, BigDecimal.ZERO));
        assertThat(balances.post(consumer, new BigDecimal("-0.854"))).isEqualByComparingTo("9.146");
        assertThat(balances.post(provider, new BigDecimal("0.7686"))).isEqualByComparingTo("0.7686");
        assertThat(balances.post(consumer, new BigDecimal("-9.5"))).isEqualByComparingTo("-0.354");
        assertThat(balances.balances()).containsEntry(consumer, new BigDecimal("-0.354000"));
        assertThat(balances.balance(provider)).isEqualByComparingTo("0.7686");
    }

    @Test
    void postingToAnAccountThatWasNotReadIsABug() {
        var balances = new RunningBalances(Map.of());
        assertThatThrownBy(() -> balances.post(UUID.randomUUID(), BigDecimal.ONE)).isInstanceOf(IllegalArgumentException.class);
    }
}
