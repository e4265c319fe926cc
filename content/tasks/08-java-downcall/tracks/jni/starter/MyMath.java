import java.util.function.IntUnaryOperator;

/**
 * Task 8, JNI track: a Java class whose methods are implemented in C (mymath_jni.c).
 *
 * The checker compiles this file with `javac -h . MyMath.java` (which also writes MyMath.h),
 * builds libmymath_jni.so from mymath_jni.c and the C library, and runs
 *   java --enable-native-access=ALL-UNNAMED -Djava.library.path=<work folder> MyMath
 * It also calls add and sumChecked directly with values of its own.
 */
public class MyMath {

    static {
        // TODO 1: load the native library with System.loadLibrary. It takes the short name:
        //         for libNAME.so you pass "NAME".
    }

    // TODO 2: declare add as a native method instead of computing the sum in Java:
    //         public static native int add(int a, int b);
    public static int add(int a, int b) {
        return 0;
    }

    /**
     * Returns the sum, computed with the C library's add, of check.applyAsInt(v) for every v in
     * values. If check throws, the exception reaches the caller and check is not called again.
     */
    public static native int sumChecked(int[] values, IntUnaryOperator check);

    public static void main(String[] args) {
        System.out.println("add(2, 3) = " + add(2, 3));
    }
}
