package io.sluice.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));

    @Test
    void retriesAreCappedAtTheBudgetShareOfRequests() {
        RetryBudget budget = RetryBudget.of(20, 0, now::get);
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            budget.deposit();
            if (budget.tryWithdraw()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(20);
        assertThat(budget.tryWithdraw()).isFalse();
    }

    @Test
    void aQuietRouteMayStillRetryTheMinimumEachSecond() {
        RetryBudget budget = RetryBudget.of(20, 3, now::get);
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isFalse();
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(budget.tryWithdraw()).isTrue();
    }

    @Test
    void savedCreditIsCapped() {
        RetryBudget budget = RetryBudget.of(100, 0, now::get);
        for (int i = 0; i < 5_000; i++) {
            budget.deposit();
        }
        assertThat(budget.available()).isEqualTo(RetryBudget.MAX_BALANCE);
    }

    @Test
    void zeroPercentAndZeroMinimumNeverRetries() {
        RetryBudget budget = RetryBudget.of(0, 0, now::get);
        budget.deposit();
        assertThat(budget.tryWithdraw()).isFalse();
    }
}
