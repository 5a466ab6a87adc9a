package io.pogo.api.device;

/** A device tree property; see {@link DtValue} for its encodings. */
public record DtProperty(String name, DtValue value) {
}
