package io.pogo.dispatcher.snapshot;

import io.pogo.api.vm.DeviceRequest;
import io.pogo.api.vm.Firmware;
import io.pogo.api.vm.VmConfig;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A VM's configuration in a snapshot: enough to build the same board again, file names as they were given. */
final class ConfigCodec {

    private ConfigCodec() {
    }

    static void write(DataOutput out, VmConfig config) throws IOException {
        out.writeUTF(config.name());
        out.writeInt(config.harts());
        out.writeLong(config.memoryBytes());
        switch (config.firmware()) {
            case Firmware.Builtin builtin -> out.writeUTF("builtin");
            case Firmware.None none -> out.writeUTF("none");
            case Firmware.Image image -> {
                out.writeUTF("image");
                out.writeUTF(image.file().toString());
            }
        }
        writePath(out, config.kernel());
        writePath(out, config.initrd());
        writeLongString(out, config.append());
        out.writeInt(config.devices().size());
        for (DeviceRequest device : config.devices()) {
            out.writeUTF(device.type());
            out.writeInt(device.options().size());
            for (Map.Entry<String, String> option : device.options().entrySet()) {
                out.writeUTF(option.getKey());
                out.writeUTF(option.getValue());
            }
        }
        out.writeBoolean(config.virtioLegacy());
        writePath(out, config.deviceTree());
    }

    static VmConfig read(DataInput in) throws IOException {
        String name = in.readUTF();
        int harts = in.readInt();
        long memory = in.readLong();
        Firmware firmware = switch (in.readUTF()) {
            case "builtin" -> new Firmware.Builtin();
            case "none" -> new Firmware.None();
            case "image" -> new Firmware.Image(Path.of(in.readUTF()));
            default -> throw new IOException("unknown firmware");
        };
        Path kernel = readPath(in);
        Path initrd = readPath(in);
        String append = readLongString(in);
        int count = in.readInt();
        List<DeviceRequest> devices = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String type = in.readUTF();
            Map<String, String> options = new LinkedHashMap<>();
            for (int option = in.readInt(); option > 0; option--) {
                options.put(in.readUTF(), in.readUTF());
            }
            devices.add(new DeviceRequest(type, options));
        }
        boolean virtioLegacy = in.readBoolean();
        Path deviceTree = readPath(in);
        return new VmConfig(name, harts, memory, firmware, kernel, initrd, append, devices, virtioLegacy, deviceTree);
    }

    private static void writePath(DataOutput out, Path path) throws IOException {
        out.writeBoolean(path != null);
        if (path != null) {
            out.writeUTF(path.toString());
        }
    }

    private static Path readPath(DataInput in) throws IOException {
        return in.readBoolean() ? Path.of(in.readUTF()) : null;
    }

    /** The command line may be longer than writeUTF's 64 KiB of encoded bytes. */
    private static void writeLongString(DataOutput out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readLongString(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 1 << 20) {
            throw new IOException("command line too long");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
