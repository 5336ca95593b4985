package dev.custody.ffi;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CallGateTest {

    @Test
    void closeWithNoCallInFlightShutsDownItself() {
        CallGate g = new CallGate();
        assertThat(g.close()).isTrue();
        assertThat(g.tryEnter()).isFalse();
        assertThat(g.close()).as("a second close").isFalse();
    }

    @Test
    void theLastCallInFlightShutsDownAndOnlyIt() {
        CallGate g = new CallGate();
        assertThat(g.tryEnter()).isTrue();
        assertThat(g.tryEnter()).isTrue();
        assertThat(g.close()).isFalse();
        assertThat(g.tryEnter()).as("refused at once").isFalse();
        assertThat(g.exit()).isFalse();
        assertThat(g.inFlight()).isEqualTo(1);
        assertThat(g.exit()).isTrue();
        assertThat(g.inFlight()).isZero();
    }

    @Test
    void exactlyOneShutdownUnderRacingCallsAndClose() throws InterruptedException {
        for (int round = 0; round < Tier.count(200, 5_000); round++) {
            CallGate g = new CallGate();
            AtomicInteger shutdowns = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            Runnable caller = () -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                while (g.tryEnter()) {
                    if (g.exit()) {
                        shutdowns.incrementAndGet();
                    }
                }
            };
            Thread a = Thread.ofPlatform().start(caller);
            Thread b = Thread.ofPlatform().start(caller);
            start.countDown();
            Thread.onSpinWait();
            if (g.close()) {
                shutdowns.incrementAndGet();
            }
            a.join();
            b.join();
            assertThat(shutdowns.get()).as("round " + round).isEqualTo(1);
            assertThat(g.inFlight()).isZero();
        }
    }
}
