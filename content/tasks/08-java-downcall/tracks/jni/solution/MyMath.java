import java.util.function.IntUnaryOperator;

/** Task 8, JNI track: the native methods are implemented in mymath_jni.c. */
public class MyMath {

    static {
        // Finds libmymath_jni.so in java.library.path (the checker sets it to the work folder).
        System.loadLibrary("mymath_jni");
    }

    /** Returns add(a, b) of the C library (mymath.h). */
    public static native int add(int a, int b);

    /**
     * Returns the sum, computed with the C library's add, of check.applyAsInt(v) for every v in
     * values. If check throws, the exception reaches the caller and check is not called again.
     */
    public static native int sumChecked(int[] values, IntUnaryOperator check);

    public static void main(String[] args) {
        System.out.println("add(2, 3) = " + add(2, 3));
        System.out.println("sumChecked([1, 2, 3], v -> 10 * v) = "
                + sumChecked(new int[] {1, 2, 3}, v -> 10 * v));
        try {
            sumChecked(new int[] {1, -2, 3}, v -> {
                if (v < 0) {
                    throw new IllegalArgumentException("negative value " + v);
                }
                return v;
            });
        } catch (IllegalArgumentException e) {
            System.out.println("sumChecked([1, -2, 3], ...) threw " + e.getMessage());
        }
    }
}
