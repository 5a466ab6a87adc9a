package io.pogo.api.device;

/** The values a device tree property holds, as the devicetree specification encodes them. */
public sealed interface DtValue {

    /** No value: a boolean property such as {@code interrupt-controller}. */
    record Empty() implements DtValue {
    }

    /** Big-endian 32-bit cells: {@code reg}, {@code interrupts}, phandles. */
    record Cells(int... cells) implements DtValue {
    }

    /** One or more NUL-terminated strings: {@code compatible}, {@code status}. */
    record Strings(String... strings) implements DtValue {
    }

    /** Raw bytes. */
    record Bytes(byte[] bytes) implements DtValue {
    }
}
