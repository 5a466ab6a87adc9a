package io.pogo.allocator;

import io.pogo.api.allocator.PolicyKind;
import io.pogo.api.allocator.PolicySwap;
import java.util.List;

/**
 * One kind of decision whose policy can be swapped at run time. Registered (inside this bundle) with the service
 * property {@value #KIND} naming the {@link PolicyKind}.
 */
public interface PolicySwitch {

    String KIND = "policy.kind";

    List<String> available();

    String active();

    /** Remembers {@code name} as the wanted policy and swaps to it now if it is available. */
    PolicySwap use(String name);
}
