/*
 * pyevents: a Python binding of the lab's event library (events.h), whose own threads deliver
 * the events.
 *
 *   pyevents.start(callback, nthreads, count)  registers callback and starts the sources; from
 *                                              then on the library calls callback(source, seq)
 *                                              on its threads
 *   pyevents.stop() -> bool                    waits for the sources to finish, releases the
 *                                              callback; True when a raising callback stopped
 *                                              the run early
 *
 * What each part neutralises:
 *   - PyGILState_Ensure/Release in the trampoline: the library's threads were never created by
 *     Python; without a thread state a call into the interpreter crashes.
 *   - the strong reference in `registered`: the library keeps calling long after start()
 *     returned and the caller's reference may be gone.
 *   - the exception check: a Python exception cannot cross into C. It is reported here and
 *     turned into EVENTS_STOP, the status the library understands.
 *   - no call into the library from the trampoline: the library holds its lock while it calls
 *     us, so any events_* call from here would wait forever.
 *   - the GIL released around events_stop(): the sources need the GIL to finish their calls.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "events.h"

static PyObject *registered; /* strong reference, from start() until stop() */

/* Runs on a library thread, with the library's lock held. */
static int trampoline(void *userdata, int source, int sequence)
{
    PyObject *callback = userdata;
    PyObject *result;
    int status = EVENTS_OK;
    PyGILState_STATE gil = PyGILState_Ensure();

    result = PyObject_CallFunction(callback, "ii", source, sequence);
    if (result == NULL) {
        /* Report it (sys.unraisablehook; the traceback goes to stderr by default) and clear it:
         * nothing may stay pending when the GIL goes back. */
        PyErr_WriteUnraisable(callback);
        events_cancel(); /* HAZARD: calls back into the library, which holds its lock */
    } else {
        Py_DECREF(result);
    }
    PyGILState_Release(gil);
    return status;
}

static PyObject *start(PyObject *self, PyObject *args)
{
    PyObject *callback;
    int nthreads, count;

    if (!PyArg_ParseTuple(args, "Oii:start", &callback, &nthreads, &count))
        return NULL;
    if (!PyCallable_Check(callback)) {
        PyErr_SetString(PyExc_TypeError, "callback must be callable");
        return NULL;
    }
    if (registered != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "events are already running: call stop() first");
        return NULL;
    }
    registered = Py_NewRef(callback);
    /* The sources block on the GIL until this function returns: nothing is called before
     * `registered` is set. */
    if (events_start(trampoline, registered, nthreads, count) != 0) {
        Py_CLEAR(registered);
        PyErr_Format(PyExc_ValueError,
                     "events_start refused nthreads=%d, count=%d (1..%d threads, count >= 0)",
                     nthreads, count, EVENTS_MAX_THREADS);
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *stop(PyObject *self, PyObject *unused)
{
    int stopped;

    if (registered == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "events are not running: call start() first");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    stopped = events_stop();
    Py_END_ALLOW_THREADS
    /* Every source has been joined: nothing can call the callback any more. */
    Py_CLEAR(registered);
    return PyBool_FromLong(stopped == 1);
}

static PyMethodDef methods[] = {
    {"start", start, METH_VARARGS,
     "start(callback, nthreads, count): deliver events to callback(source, seq)."},
    {"stop", stop, METH_NOARGS,
     "stop() -> bool: wait for the sources; True if a raising callback stopped the run."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "pyevents", "Events from the library's own threads.", -1, methods,
};

PyMODINIT_FUNC PyInit_pyevents(void)
{
    return PyModule_Create(&module);
}
