package dev.galley.core.billing;

import java.math.BigDecimal;

/**
 * Who may start work and whose work stops (spec §9, GALLEY_BILLING=enforce). Billing-exempt accounts (operators)
 * are never refused or stopped. Creating work needs a balance above zero; running work stops only below zero, so an
 * account at exactly zero finishes what it runs but starts nothing new.
 */
public final class CreditPolicy {
    private CreditPolicy() {}

    /** May the account create or cook a job, or have a waiting job placed? */
    public static boolean mayStartWork(BillingMode mode, boolean exempt, BigDecimal balance) {
        return mode == BillingMode.RECORD || exempt || balance.signum() > 0;
    }

    /** Is a running job of the account stopped at the cut that left its balance at {@code balanceAfterCut}? */
    public static boolean stopsAtCut(BillingMode mode, boolean exempt, BigDecimal balanceAfterCut) {
        return mode == BillingMode.ENFORCE && !exempt && balanceAfterCut.signum() < 0;
    }

    /** The 402 message for a create or cook refused for credit. */
    public static String paymentRequired(BigDecimal balance, String currency) {
        return "the account's balance is " + Money.format(balance) + " " + currency
                + "; new jobs need a balance above zero. Ask an operator for credit (galley balance shows it)";
    }

    /** The job's status_reason when it is stopped at a cut. */
    public static String stoppedAtCut(BigDecimal balance, String currency) {
        return "stopped: the account's balance fell below zero (" + Money.format(balance) + " " + currency
                + ") at the metering cut; add credit and start the job again";
    }

    /** The wait reason of a job that is not placed because its account has no credit. */
    public static String waitingForCredit(BigDecimal balance, String currency) {
        return "waiting for credit: the account's balance is " + Money.format(balance) + " " + currency
                + "; jobs are placed once it is above zero";
    }
}
