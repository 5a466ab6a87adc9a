import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Rewrites the classes of a jar that are older than Java 6 (class file version 50) as Java 8 class files, with the
 * stack maps those need. The JDK's AOT cache leaves out a class as old as that ("Old class has been linked"), and
 * the JVM verifies it with the slow inference verifier at every start: picocli is compiled for Java 5, and its
 * 160-odd classes were read from its jar and verified anew by every `pogo run`. The code itself is unchanged.
 * A jar with nothing to rewrite is left as it is, so its date does not make the AOT cache stale.
 * Usage: {@code java ClassFileUpgrade.java JAR}.
 */
public final class ClassFileUpgrade {

    private static final int OLDEST_KEPT = ClassFile.JAVA_6_VERSION;
    private static final int TARGET = ClassFile.JAVA_8_VERSION;

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]).toAbsolutePath();
        try (URLClassLoader classes = new URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null);
             FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of());
             Stream<Path> entries = Files.walk(zip.getPath("/"))) {
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(classes))));
            List<Path> old = entries.filter(entry -> entry.toString().endsWith(".class"))
                    .filter(entry -> !entry.startsWith("/META-INF")).filter(entry -> version(entry) < OLDEST_KEPT)
                    .toList();
            for (Path entry : old) {
                Files.write(entry, upgrade(classFile, classFile.parse(Files.readAllBytes(entry))));
            }
            if (!old.isEmpty()) {
                System.out.println("ClassFileUpgrade: " + old.size() + " classes of " + jar.getFileName()
                        + " rewritten as Java 8 class files");
            }
        }
    }

    private static int version(Path entry) {
        try {
            return ClassFile.of().parse(Files.readAllBytes(entry)).majorVersion();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same class with every method's code rebuilt, which makes the stack maps the new version needs. */
    private static byte[] upgrade(ClassFile classFile, ClassModel model) {
        ClassTransform version = (builder, element) -> {
            if (element instanceof ClassFileVersion) {
                builder.withVersion(TARGET, 0);
            } else {
                builder.with(element);
            }
        };
        return classFile.transformClass(model, version.andThen(ClassTransform.transformingMethodBodies(
                CodeTransform.ACCEPT_ALL)));
    }
}
