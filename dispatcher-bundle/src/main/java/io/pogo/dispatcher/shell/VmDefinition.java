package io.pogo.dispatcher.shell;

import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmManager;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * A VM defined in configuration (factory PID {@code io.pogo.vm}; FileInstall feeds {@code etc/io.pogo.vm-NAME.cfg}
 * files): it exists while its configuration does, and starts at once when {@code autostart} is set.
 */
@Component(configurationPid = "io.pogo.vm", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {},
        immediate = true)
public final class VmDefinition {

    /** The configuration properties. */
    @interface Definition {
        String name();

        /** The options of {@code pogo run}, as on a command line. */
        String options() default "";

        boolean autostart() default false;
    }

    @Reference
    private VmManager vms;
    private String name;

    @Activate
    void activate(Definition definition, BundleContext context) {
        Path root = Path.of(context.getProperty("pogo.root") == null ? "." : context.getProperty("pogo.root"));
        try {
            VmConfig config = VmOptions.parse(root.toAbsolutePath().normalize(), definition.name(),
                    CommandLineWords.split(definition.options()));
            vms.create(config);
            name = config.name();
            if (definition.autostart()) {
                vms.start(name);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("pogo: VM definition " + definition.name() + ": " + e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        if (name != null && vms.info(name).isPresent()) {
            vms.destroy(name);
        }
    }
}
