/**
 * Task 13 (given, not editable): one reading, the Java object your native loop creates and uses.
 *
 * Reading.of(i) makes a new Reading for index i; its value() is 2 * i + 1. The two counters let
 * the checker see that your C code really made and used a Reading per iteration.
 */
public final class Reading {

    static long created;
    static long valueCalls;

    private final long value;
    private final int index;

    private Reading(int index) {
        this.index = index;
        this.value = 2L * index + 1;
    }

    /** A new Reading for index i (a new object every time). */
    public static Reading of(int i) {
        created++;
        return new Reading(i);
    }

    /** This reading's value: 2 * i + 1 for Reading.of(i). */
    public long value() {
        valueCalls++;
        return value;
    }

    @Override
    public String toString() {
        return "Reading(" + index + ")";
    }
}
