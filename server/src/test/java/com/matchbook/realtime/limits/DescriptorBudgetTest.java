package com.matchbook.realtime.limits;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DescriptorBudgetTest {

    @Test
    void connectionsAndTheirRefusalsStayBelowTheLimitWithRoomForTheRest() {
        for (long limit : new long[] {1024, 2048, 20_000, 1_048_576}) {
            int max = DescriptorBudget.maxConnections(limit);
            int accepted = DescriptorBudget.acceptCapFor(max);
            assertTrue(accepted <= limit - 256, limit + ": " + accepted + " sockets leave too little for the rest");
            assertTrue(max >= limit / 2, limit + ": only " + max + " connections");
        }
        assertEquals(720, DescriptorBudget.maxConnections(1024), "the README's example");
        assertEquals(16_875, DescriptorBudget.maxConnections(20_000), "the README's example");
    }

    @Test
    void theDefaultComesFromThisProcesssLimit() {
        assertEquals(DescriptorBudget.maxConnections(DescriptorBudget.descriptorLimit()),
                     ConnectionLimits.from(io.helidon.config.Config.empty().get("matchbook")).maxConnections());
    }
}
