import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** Hazard: the result of int add(int, int) described as JAVA_LONG (a C long, 64 bits). */
public class MyMath {

    private static final MethodHandle ADD;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup mymath = SymbolLookup.libraryLookup(Path.of("libmymath.so"), Arena.global());
        ADD = linker.downcallHandle(
                mymath.find("add").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /** Returns the C library's add(a, b), read as a 64-bit value. */
    public static long add(int a, int b) {
        try {
            return (long) ADD.invokeExact(a, b);
        } catch (Throwable t) {
            throw new IllegalStateException("calling the C function add failed", t);
        }
    }

    public static void main(String[] args) {
        System.out.println("add(2, 3) = " + add(2, 3));
    }
}
