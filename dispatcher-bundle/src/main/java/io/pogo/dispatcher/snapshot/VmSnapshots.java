package io.pogo.dispatcher.snapshot;

import io.pogo.api.cpu.VCpu;
import io.pogo.api.device.Device;
import io.pogo.api.dispatch.HartStatus;
import io.pogo.api.state.Stateful;
import io.pogo.api.vm.AttachedDevice;
import io.pogo.api.vm.VmConfig;
import io.pogo.dispatcher.vm.Vm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Takes a VM apart into a {@link VmImage} for a snapshot, and puts a freshly built one back together from it. */
public final class VmSnapshots {

    private VmSnapshots() {
    }

    /** A VM with a device that cannot save its state cannot be snapshotted; the sentence names the device. */
    public static void requireStateful(Vm vm) {
        List<Device> devices = vm.devices();
        List<AttachedDevice> attached = vm.info().devices();
        for (int i = 0; i < devices.size(); i++) {
            if (!(devices.get(i) instanceof Stateful)) {
                throw new IllegalStateException("VM " + vm.name() + " cannot be snapshotted: its device "
                        + attached.get(i).type() + " does not save its state");
            }
        }
    }

    /**
     * Writes the VM to {@code file}; call it within {@link Vm#frozen}.
     *
     * @param backed the pages of its RAM that host memory backs
     */
    public static SnapshotWriter.Written write(Vm vm, Path file, BitSet backed) {
        VmImage image;
        try {
            image = capture(vm);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("VM " + vm.name() + " cannot be snapshotted: " + e.getMessage());
        }
        try {
            return SnapshotWriter.write(file, image, vm.memory(), backed);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write snapshot " + file + ": " + describe(e));
        }
    }

    /** Everything of the VM but its RAM; call it within {@link Vm#frozen}. */
    public static VmImage capture(Vm vm) {
        List<VmImage.HartImage> harts = new ArrayList<>();
        List<HartStatus> statuses = vm.hartStatuses();
        List<VCpu> vcpus = vm.vcpus();
        for (int hart = 0; hart < vcpus.size(); hart++) {
            harts.add(new VmImage.HartImage(statuses.get(hart), StateRecord.of(vcpus.get(hart).state())));
        }
        List<VmImage.DeviceImage> devices = new ArrayList<>();
        List<Device> parts = vm.devices();
        List<AttachedDevice> attached = vm.info().devices();
        for (int i = 0; i < parts.size(); i++) {
            devices.add(new VmImage.DeviceImage(attached.get(i).type(), attached.get(i).window().base(),
                    StateRecord.of((Stateful) parts.get(i))));
        }
        return new VmImage(vm.config(), vm.saveTimebase(), harts, devices);
    }

    /**
     * Fills a VM just built from the snapshot's configuration, not yet started: RAM, harts, devices, then the
     * timebase, whose timers may raise interrupts at once. Returns the bytes of RAM restored.
     */
    public static long restore(Vm vm, SnapshotReader reader) {
        VmImage image = reader.image();
        requireSameBoard(vm, image);
        long ramBytes = reader.readRamInto(vm.memory());
        restoreParts(vm, image);
        return ramBytes;
    }

    /**
     * Fills a VM just built from the image's configuration, not yet started, whose RAM is already in place (a
     * migration sent it): harts, devices, then the timebase.
     */
    public static void restoreState(Vm vm, VmImage image) {
        requireSameBoard(vm, image);
        restoreParts(vm, image);
    }

    /**
     * Captures a running VM and writes the image to nowhere, as a migration's stop-and-copy will: the values, read
     * while the guest runs, are thrown away (every part's save only reads). The classes of the capture live in
     * bundles, which the JVM's ahead-of-time cache does not hold: loaded and linked here, they are not loaded in the
     * downtime.
     */
    public static void rehearseCapture(Vm vm) {
        try {
            writeImage(new DataOutputStream(OutputStream.nullOutputStream()), capture(vm));
        } catch (IOException nowhere) {
            throw new UncheckedIOException(nowhere);
        }
    }

    /**
     * Puts a VM just built, not started, through what a migration's restore will do to it: its own state captured,
     * written, read back and restored, which changes nothing. As {@link #rehearseCapture}, so that the restore's
     * classes are not loaded in the downtime.
     */
    public static void rehearseRestore(Vm vm) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            writeImage(new DataOutputStream(bytes), capture(vm));
            restoreState(vm, readImage(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        } catch (IOException inMemory) {
            throw new UncheckedIOException(inMemory);
        }
    }

    /** The VM's configuration as a snapshot or a migration carries it. */
    public static void writeConfig(DataOutputStream out, VmConfig config) throws IOException {
        ConfigCodec.write(out, config);
    }

    public static VmConfig readConfig(DataInputStream in) throws IOException {
        return ConfigCodec.read(in);
    }

    /** The VM's image as a snapshot file holds it, for a migration's stream. */
    public static void writeImage(DataOutputStream out, VmImage image) throws IOException {
        SnapshotWriter.writeImage(out, image);
    }

    public static VmImage readImage(DataInputStream in) throws IOException {
        return SnapshotReader.readImage(in);
    }

    private static void requireSameBoard(Vm vm, VmImage image) {
        List<AttachedDevice> attached = vm.info().devices();
        if (attached.size() != image.devices().size()) {
            throw new IllegalArgumentException("the board built from it has " + attached.size()
                    + " devices, the snapshot " + image.devices().size());
        }
        for (int i = 0; i < attached.size(); i++) {
            VmImage.DeviceImage saved = image.devices().get(i);
            AttachedDevice here = attached.get(i);
            if (!here.type().equals(saved.type()) || here.window().base() != saved.base()) {
                throw new IllegalArgumentException("the board built from it has " + here.type() + " at 0x"
                        + Long.toHexString(here.window().base()) + " where the snapshot has " + saved.type()
                        + " at 0x" + Long.toHexString(saved.base()));
            }
        }
        if (vm.vcpus().size() != image.harts().size()) {
            throw new IllegalArgumentException("it holds " + image.harts().size() + " harts for a VM of "
                    + vm.vcpus().size());
        }
    }

    private static void restoreParts(Vm vm, VmImage image) {
        List<AttachedDevice> attached = vm.info().devices();
        List<Device> devices = vm.devices();
        for (int hart = 0; hart < image.harts().size(); hart++) {
            image.harts().get(hart).state().restoreInto(vm.vcpus().get(hart).state(), "hart " + hart);
        }
        for (int i = 0; i < devices.size(); i++) {
            String type = attached.get(i).type();
            if (!(devices.get(i) instanceof Stateful stateful)) {
                throw new IllegalArgumentException("its device " + type + " does not restore state here");
            }
            image.devices().get(i).state().restoreInto(stateful, "device " + type);
        }
        vm.restoreHartStatuses(image.harts().stream().map(VmImage.HartImage::status).toList());
        vm.restoreTimebase(image.timebase());
    }

    /** The snapshot's configuration under {@code name}, or as it is when that is null. */
    public static VmConfig renamed(VmConfig config, String name) {
        if (name == null) {
            return config;
        }
        return new VmConfig(name, config.harts(), config.memoryBytes(), config.firmware(), config.kernel(),
                config.initrd(), config.append(), config.devices(), config.virtioLegacy(), config.deviceTree(),
                config.limits());
    }

    /** One sentence naming the file; the reader's own sentences already do. */
    public static IllegalArgumentException cannotRestore(Path file, RuntimeException cause) {
        String message = cause.getMessage() == null ? "an internal error" : cause.getMessage();
        if (message.startsWith("snapshot " + file)) {
            return new IllegalArgumentException(message);
        }
        return new IllegalArgumentException("cannot restore snapshot " + file + ": " + message);
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
