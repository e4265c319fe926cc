import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** Task 8, Panama track: calls int add(int, int) of libmymath.so without a line of C glue. */
public class MyMath {

    // The library stays loaded as long as this arena is open. add() is called for the whole life
    // of the program, so the arena is one that never closes: Arena.global().
    private static final Arena LIBRARY_ARENA = Arena.global();

    private static final MethodHandle ADD;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup mymath = SymbolLookup.libraryLookup(Path.of("libmymath.so"), LIBRARY_ARENA);
        // int add(int, int): an int result is JAVA_INT (32 bits), never JAVA_LONG.
        ADD = linker.downcallHandle(
                mymath.find("add").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /** Returns the C library's add(a, b). */
    public static int add(int a, int b) {
        try {
            return (int) ADD.invokeExact(a, b);
        } catch (Throwable t) {
            throw new IllegalStateException("calling the C function add failed", t);
        }
    }

    public static void main(String[] args) {
        System.out.println("add(2, 3) = " + add(2, 3));
    }
}
