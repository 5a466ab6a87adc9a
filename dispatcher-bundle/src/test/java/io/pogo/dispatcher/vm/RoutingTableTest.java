package io.pogo.dispatcher.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertNull(table.route(ExitKind.CSR_ACCESS));
        table.route(ExitKind.CSR_ACCESS, first, "interpreter", "First");
        table.route(ExitKind.CSR_ACCESS, second, "allocator", "Second");
        assertSame(second, table.route(ExitKind.CSR_ACCESS).routine());
        table.unroute(ExitKind.CSR_ACCESS, second);
        assertSame(first, table.route(ExitKind.CSR_ACCESS).routine());
        table.unroute(ExitKind.CSR_ACCESS, first);
        assertNull(table.route(ExitKind.CSR_ACCESS));
    }

    @Test
    void removingARoutineThatIsNotActiveKeepsTheActiveOne() {
        RoutingTable table = new RoutingTable();
        table.route(ExitKind.WFI, first, "interpreter", "First");
        table.route(ExitKind.WFI, second, "allocator", "Second");
        table.unroute(ExitKind.WFI, first);
        assertSame(second, table.route(ExitKind.WFI).routine());
        assertNull(table.route(ExitKind.MRET));
    }

    @Test
    void eachBundleKeepsOneHandlerIndexAndItsName() {
        RoutingTable table = new RoutingTable();
        table.route(ExitKind.WFI, first, "allocator", "First");
        table.route(ExitKind.CSR_ACCESS, second, "interpreter", "Second");
        table.route(ExitKind.SBI_HSM, second, "allocator", "Second");
        RoutingTable.Route hsm = table.route(ExitKind.SBI_HSM);
        assertEquals(table.route(ExitKind.WFI).handler(), hsm.handler());
        assertEquals("allocator", table.handler(hsm.handler()));
        assertEquals("interpreter", table.handler(table.route(ExitKind.CSR_ACCESS).handler()));
        assertEquals("Second", hsm.name());
        assertEquals(ExitKind.values().length, table.routes().size());
    }
}
