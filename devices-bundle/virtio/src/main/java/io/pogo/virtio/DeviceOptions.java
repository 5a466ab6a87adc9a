package io.pogo.virtio;

import io.pogo.api.device.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The options a virtio device was given on the command line, such as {@code --drive file=disk.img,readonly=on},
 * checked against the ones it knows. Every question answers with a one-line message naming the option, so a
 * factory can ask them all before it acquires anything (an image lock, a switch port) and a bad value leaves nothing
 * behind.
 *
 * @param option the command-line option the device came from, such as {@code --drive}, for the messages
 * @param values the device's options, key to value
 */
public record DeviceOptions(String option, Map<String, String> values) {

    /**
     * The options, refused in one line if any key is not one of {@code known} or {@code legacy}, which every virtio
     * device takes.
     *
     * @param known the device's own keys, in the order the message lists them
     */
    public static DeviceOptions checked(String option, Map<String, String> values, List<String> known) {
        List<String> all = new ArrayList<>(known);
        all.add(Placement.VirtioSlot.LEGACY);
        for (String key : values.keySet()) {
            if (!all.contains(key)) {
                throw new IllegalArgumentException(option + ": unknown option '" + key + "' (known: "
                        + String.join(", ", all) + ")");
            }
        }
        return new DeviceOptions(option, Map.copyOf(values));
    }

    /** The value of {@code key}, or null when it is not given. */
    public String get(String key) {
        return values.get(key);
    }

    /** The value of {@code key}, refused in one line when it is missing or empty; {@code form} is its syntax. */
    public String required(String key, String form) {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(option + ": " + key + "=" + form + " is required");
        }
        return value;
    }

    /** The switch {@code key}: on, true, yes or off, false, no; {@code byDefault} when it is not given. */
    public boolean flag(String key, boolean byDefault) {
        String value = values.get(key);
        if (value == null) {
            return byDefault;
        }
        return switch (value) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException(option + " " + key + "=" + value + ": expected on or off");
        };
    }

    /** The register layout {@code legacy=on|off} asks for; modern by default. */
    public TransportVersion transport() {
        return flag(Placement.VirtioSlot.LEGACY, false) ? TransportVersion.LEGACY : TransportVersion.MODERN;
    }
}
