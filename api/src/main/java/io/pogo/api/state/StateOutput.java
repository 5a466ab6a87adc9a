package io.pogo.api.state;

import org.osgi.annotation.versioning.ProviderType;

/** Where a {@link Stateful} writes its record: values in order, read back in the same order by {@link StateInput}. */
@ProviderType
public interface StateOutput {

    void writeBoolean(boolean value);

    void writeInt(int value);

    void writeLong(long value);

    /** A length-prefixed array. */
    void writeLongs(long[] values);

    /** A length-prefixed array. */
    void writeBytes(byte[] bytes);

    /** A length-prefixed UTF-8 string. */
    void writeString(String value);
}
