/**
 * Task 17 (given, not editable): what the events library's threads deliver to Java.
 * onEvent(source, seq) is event number seq (0, 1, 2, ...) of the library's thread number source.
 * It may throw: the binding turns that into EVENTS_STOP, which ends the run.
 */
public interface EventListener {
    void onEvent(int source, int seq);
}
