package io.pogo.dispatcher.shell;

import io.pogo.api.device.DeviceFactory;
import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.VmConfig;
import io.pogo.api.vm.VmManager;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
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
 * {@code pogo run} runs its one VM and nothing else. A definition follows its file: one whose file was deleted
 * while Pogo was stopped (ConfigAdmin still remembers it) is dropped at the next start. Every problem is reported
 * in one line that names the file.
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

    private static final String SOURCE_FILE = "felix.fileinstall.filename";
    /** Which definition owns each VM name, so a second file with the same name is told which one it lost to. */
    private static final Map<String, String> OWNERS = new ConcurrentHashMap<>();

    private final Set<String> availableTypes = ConcurrentHashMap.newKeySet();
    @Reference
    private VmManager vms;
    @Reference
    private ConfigurationAdmin configurations;
    private VmConfig config;
    private boolean autostart;
    private String origin;
    private String ownedName;
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
    void activate(Definition definition, Map<String, Object> properties, BundleContext context) {
        if (!Boolean.parseBoolean(context.getProperty("pogo.definitions"))) {
            return;
        }
        Path file = sourceFile(properties);
        String pid = String.valueOf(properties.get("service.pid"));
        if (file != null && !Files.exists(file)) {
            forget(pid);
            return;
        }
        String where = file == null ? "VM definition " + pid : file.toString();
        if (definition.name() == null || definition.name().isBlank()) {
            report(where, "no VM name (add a line: name = NAME)");
            return;
        }
        String owner = OWNERS.putIfAbsent(definition.name(), where);
        if (owner != null) {
            report(where, "VM " + definition.name() + " is already defined by " + owner + "; this definition is ignored");
            return;
        }
        ownedName = definition.name();
        origin = where;
        Path root = Path.of(context.getProperty("pogo.root") == null ? "." : context.getProperty("pogo.root"));
        try {
            synchronized (this) {
                config = VmOptions.parse(root.toAbsolutePath().normalize(), definition.name(),
                        CommandLineWords.split(definition.options()));
                autostart = definition.autostart();
            }
            createWhenReady();
        } catch (IllegalArgumentException e) {
            report(where, e.getMessage());
        }
    }

    private static Path sourceFile(Map<String, Object> properties) {
        Object source = properties.get(SOURCE_FILE);
        if (source == null) {
            return null;
        }
        String text = source.toString();
        return text.startsWith("file:") ? Path.of(URI.create(text)) : Path.of(text);
    }

    /** Deletes the remembered configuration of a definition whose file is gone. */
    private void forget(String pid) {
        try {
            Configuration[] stale = configurations.listConfigurations("(service.pid=" + pid + ")");
            if (stale != null) {
                for (Configuration configuration : stale) {
                    configuration.delete();
                }
            }
        } catch (IOException | InvalidSyntaxException e) {
            report("VM definition " + pid, "its file is gone but its configuration could not be removed: "
                    + e.getMessage());
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
            report(origin, e.getMessage());
            config = null;
        }
    }

    private static void report(String where, String problem) {
        System.err.println("pogo: " + where + ": " + problem);
    }

    @Deactivate
    synchronized void deactivate() {
        if (ownedName != null) {
            OWNERS.remove(ownedName, origin);
        }
        if (created != null && vms.info(created).isPresent()) {
            vms.destroy(created);
        }
    }
}
