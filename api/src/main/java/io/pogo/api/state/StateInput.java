package io.pogo.api.state;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A record as {@link StateOutput} wrote it. Reading past its end, or an array longer than what is left, throws
 * {@link IllegalArgumentException} with one sentence naming the record's type.
 */
@ProviderType
public interface StateInput {

    boolean readBoolean();

    int readInt();

    long readLong();

    long[] readLongs();

    byte[] readBytes();

    String readString();

    /** Whether everything written was read; a restore that leaves bytes over read a record of another layout. */
    boolean atEnd();
}
