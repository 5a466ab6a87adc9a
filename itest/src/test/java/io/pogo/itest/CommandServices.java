package io.pogo.itest;

import io.pogo.launcher.PogoFramework;
import java.util.Arrays;

/** Pogo's shell commands called on their services, as Gogo calls them. */
final class CommandServices {

    private CommandServices() {
    }

    /** Calls {@code scope:function} with string {@code arguments}; returns what the command returns. */
    static Object call(PogoFramework framework, String scope, String function, String... arguments) throws Exception {
        Object service = service(framework,
                "(&(osgi.command.scope=" + scope + ")(osgi.command.function=" + function + "))");
        Class<?>[] types = new Class<?>[arguments.length];
        Arrays.fill(types, String.class);
        return service.getClass().getMethod(function, types).invoke(service, (Object[]) arguments);
    }

    /**
     * The command component, once registered and active. Right after the framework starts, or while a policy change
     * reactivates a component it references, the service may not be there yet or give none for a moment (a test
     * on a busy host met both); both end by themselves, so this waits rather than fails.
     */
    private static Object service(PogoFramework framework, String filter) throws InterruptedException {
        while (true) {
            Object service = framework.context().getService(framework.awaitService(filter));
            if (service != null) {
                return service;
            }
            Thread.sleep(10);
        }
    }
}
