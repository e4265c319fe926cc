import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** Hazard: the library is looked up in an arena that is closed before add() is ever called. */
public class MyMath {

    private static final MethodHandle ADD;

    static {
        Linker linker = Linker.nativeLinker();
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup mymath = SymbolLookup.libraryLookup(Path.of("libmymath.so"), arena);
            ADD = linker.downcallHandle(
                    mymath.find("add").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        } // the arena closes here: the library is unloaded, the address of add is no longer valid
    }

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
