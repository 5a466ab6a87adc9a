package io.pogo.interpreter.privileged;

import io.pogo.api.cpu.Hart;
import io.pogo.api.cpu.Interrupt;
import io.pogo.api.device.ConsoleChannel;
import io.pogo.api.device.PowerControl;
import io.pogo.api.device.Timebase;
import io.pogo.api.dispatch.HartControl;
import io.pogo.api.dispatch.MmioBus;
import io.pogo.api.dispatch.VmContext;
import io.pogo.api.memory.GuestMemory;

import java.util.List;

/**
 * A VM with nothing but a timebase stopped at {@link #TICKS}, which remembers the last timer armed on it: all the
 * privileged routines look at.
 */
final class FakeVm implements VmContext {
    static final long TICKS = 123_456;

    record ArmedTimer(int hartId, Interrupt interrupt, long deadline) {
    }

    ArmedTimer armed;

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public GuestMemory memory() {
        throw new UnsupportedOperationException();
    }

    @Override
    public MmioBus bus() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ConsoleChannel console() {
        throw new UnsupportedOperationException();
    }

    @Override
    public PowerControl power() {
        throw new UnsupportedOperationException();
    }

    @Override
    public Timebase timebase() {
        return new Timebase() {
            @Override
            public long ticks() {
                return TICKS;
            }

            @Override
            public long frequency() {
                return 10_000_000;
            }

            @Override
            public void arm(int hartId, Interrupt interrupt, long deadline) {
                armed = new ArmedTimer(hartId, interrupt, deadline);
            }
        };
    }

    @Override
    public List<Hart> harts() {
        throw new UnsupportedOperationException();
    }

    @Override
    public HartControl hartControl() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void waitForResources(String reason) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void resourcesGranted() {
        throw new UnsupportedOperationException();
    }
}
