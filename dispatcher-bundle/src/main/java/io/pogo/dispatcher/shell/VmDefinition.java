package io.pogo.dispatcher.shell;

import io.pogo.api.device.DeviceFactory;
import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * A VM defined in configuration (factory PID {@code io.pogo.vm}; FileInstall feeds {@code etc/io.pogo.vm-NAME.cfg}
 * files): it exists while its configuration does, once the device types it asks for are available, and starts at
 * once when {@code autostart} is set. Only the shell runs definitions ({@code pogo.definitions=true}); a headless
 * {@code pogo run} runs its one VM and nothing else.
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

    private final Set<String> availableTypes = ConcurrentHashMap.newKeySet();
    @Reference
    private VmManager vms;
    private VmConfig config;
    private boolean autostart;
    private String created;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindFactory(DeviceFactory factory, Map<String, Object> properties) {
        availableTypes.add(String.valueOf(properties.get(DeviceFactory.TYPE)));
        createWhenReady();
    }

    void unbindFactory(DeviceFactory factory, Map<String, Object> properties) {
        availableTypes.remove(String.valueOf(properties.get(DeviceFactory.TYPE)));
    }

    @Activate
    void activate(Definition definition, BundleContext context) {
        if (!Boolean.parseBoolean(context.getProperty("pogo.definitions"))) {
            return;
        }
        Path root = Path.of(context.getProperty("pogo.root") == null ? "." : context.getProperty("pogo.root"));
        try {
            synchronized (this) {
                config = VmOptions.parse(root.toAbsolutePath().normalize(), definition.name(),
                        CommandLineWords.split(definition.options()));
                autostart = definition.autostart();
            }
            createWhenReady();
        } catch (IllegalArgumentException e) {
            report(definition.name(), e);
        }
    }

    /** Creates the VM once every device type it asks for has a factory (bundles start in any order). */
    private synchronized void createWhenReady() {
        if (config == null || created != null
                || !config.devices().stream().map(DeviceRequest::type).allMatch(availableTypes::contains)) {
            return;
        }
        try {
            vms.create(config);
            created = config.name();
            if (autostart) {
                vms.start(created);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            report(config.name(), e);
            config = null;
        }
    }

    private static void report(String name, RuntimeException e) {
        System.err.println("pogo: VM definition " + name + ": " + e.getMessage());
    }

    @Deactivate
    synchronized void deactivate() {
        if (created != null && vms.info(created).isPresent()) {
            vms.destroy(created);
        }
    }
}
