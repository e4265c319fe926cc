package org.ffilab.classroom;

/** A student joined a class (with its code, at sign-up, or through a roster import). */
record StudentJoined(long classId, long studentId) {

}
