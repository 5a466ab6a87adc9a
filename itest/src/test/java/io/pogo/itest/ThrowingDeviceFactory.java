package io.pogo.itest;

import io.pogo.api.device.Device;
import io.pogo.api.device.DeviceContext;
import io.pogo.api.device.DeviceFactory;
import io.pogo.api.device.DeviceTree;
import io.pogo.api.device.Placement;
import java.util.function.LongFunction;

/**
 * A device in a virtio slot whose register reads throw in the host: the bug of a third-party device bundle, or one
 * whose dependency went away. {@code failure} makes what a read of an offset throws.
 */
final class ThrowingDeviceFactory implements DeviceFactory {

    private final LongFunction<? extends Throwable> failure;

    ThrowingDeviceFactory(LongFunction<? extends Throwable> failure) {
        this.failure = failure;
    }

    @Override
    public Placement placement() {
        return new Placement.VirtioSlot();
    }

    @Override
    public Device create(DeviceContext context) {
        return new Device() {
            @Override
            public void describe(DeviceTree tree) {
            }

            @Override
            public long read(long offset, int size) {
                switch (failure.apply(offset)) {
                    case RuntimeException exception -> throw exception;
                    case Error error -> throw error;
                    case Throwable other -> throw new IllegalStateException(other);
                }
            }

            @Override
            public void write(long offset, int size, long value) {
            }

            @Override
            public void close() {
            }
        };
    }
}
