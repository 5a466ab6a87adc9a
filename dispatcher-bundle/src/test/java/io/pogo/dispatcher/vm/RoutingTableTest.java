package io.pogo.dispatcher.vm;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.pogo.api.cpu.ExitKind;
import io.pogo.api.dispatch.ExitRoutine;
import org.junit.jupiter.api.Test;

class RoutingTableTest {

    private final ExitRoutine first = (exit, hart, vm) -> 1;
    private final ExitRoutine second = (exit, hart, vm) -> 2;

    @Test
    void theLatestRoutineWinsAndTheEarlierTakesOverWhenItLeaves() {
        RoutingTable table = new RoutingTable();
        assertNull(table.routine(ExitKind.CSR_ACCESS));
        table.route(ExitKind.CSR_ACCESS, first);
        table.route(ExitKind.CSR_ACCESS, second);
        assertSame(second, table.routine(ExitKind.CSR_ACCESS));
        table.unroute(ExitKind.CSR_ACCESS, second);
        assertSame(first, table.routine(ExitKind.CSR_ACCESS));
        table.unroute(ExitKind.CSR_ACCESS, first);
        assertNull(table.routine(ExitKind.CSR_ACCESS));
    }

    @Test
    void removingARoutineThatIsNotActiveKeepsTheActiveOne() {
        RoutingTable table = new RoutingTable();
        table.route(ExitKind.WFI, first);
        table.route(ExitKind.WFI, second);
        table.unroute(ExitKind.WFI, first);
        assertSame(second, table.routine(ExitKind.WFI));
        assertNull(table.routine(ExitKind.MRET));
    }
}
