import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * Task 8, Panama track: call int add(int, int) of libmymath.so from Java.
 *
 * The checker builds libmymath.so in this folder and runs
 *   java --enable-native-access=ALL-UNNAMED MyMath
 * It also calls MyMath.add(a, b) directly with values of its own.
 */
public class MyMath {

    private static final MethodHandle ADD;

    static {
        // TODO 1: load libmymath.so with SymbolLookup.libraryLookup(...). The library stays
        //         loaded only while the Arena you pass in is open: pick one that lives as long
        //         as the program does.
        // TODO 2: find the symbol "add" and turn it into a downcall MethodHandle with
        //         Linker.nativeLinker().downcallHandle(...) and a FunctionDescriptor that says
        //         exactly what C says: int add(int a, int b).
        ADD = null;
    }

    /** Returns the C library's add(a, b). */
    public static int add(int a, int b) {
        // TODO 3: invoke ADD with a and b and return its result.
        return 0;
    }

    public static void main(String[] args) {
        System.out.println("add(2, 3) = " + add(2, 3));
    }
}
