package io.pogo.allocator;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells the user, once per policy name, that the policy they selected (and Pogo remembered) is not installed and
 * which one decides instead; the selection stays, so the policy takes over when its bundle comes back.
 */
public final class AbsentPolicyNotice {

    private final String kind;
    private final Set<String> told = ConcurrentHashMap.newKeySet();

    public AbsentPolicyNotice(String kind) {
        this.kind = kind;
    }

    public void tell(String wanted, String fallback) {
        if (told.add(wanted)) {
            System.err.println("pogo: the " + kind + " policy '" + wanted + "' is selected but not installed; "
                    + fallback + " is used until it is (alloc:use " + kind + " NAME selects another)");
        }
    }
}
