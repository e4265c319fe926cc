package org.ffilab.run;

import java.time.Duration;

import org.ffilab.grading.Verdict;

/**
 * A verdict with how the run that earned it went, for the run metrics.
 *
 * @param verdict what the run earned
 * @param outputTruncated the run printed past its output limit (said by the harness or the sandbox's own cap)
 * @param sandboxStart creating, attaching and starting the container
 * @param execution the container's start to its exit
 * @param grading reading the harness's last frames and assembling the verdict
 */
record Graded(Verdict verdict, boolean outputTruncated, Duration sandboxStart, Duration execution,
		Duration grading) {

}
