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
 * This version compiles and works from a single thread on a good day. The TODOs are what makes
 * it survive the library's threads (task.md, Python track).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "events.h"

static PyObject *registered;

/* Runs on a library thread, with the library's lock held. */
static int trampoline(void *userdata, int source, int sequence)
{
    PyObject *callback = userdata;
    PyObject *result;

    /* TODO 1: this thread was created by the library, not by Python. Attach it before the first
     * Python call (PyGILState_Ensure) and release it before returning (PyGILState_Release). */
    result = PyObject_CallFunction(callback, "ii", source, sequence);

    /* TODO 3: a NULL result means the callback raised. Report the exception and clear it
     * (PyErr_WriteUnraisable(callback)), then tell the library to stop by returning
     * EVENTS_STOP. Never call an events_* function from here: the library holds its lock. */
    Py_XDECREF(result);
    return EVENTS_OK;
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
    /* TODO 2: a borrowed reference, and the library keeps calling long after start() returns.
     * Keep a strong one (Py_NewRef) until stop(). */
    registered = callback;
    if (events_start(trampoline, registered, nthreads, count) != 0) {
        registered = NULL;
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
    /* TODO 4: events_stop() waits for the sources, and they need the GIL to finish their calls.
     * Release it around the wait (Py_BEGIN_ALLOW_THREADS / Py_END_ALLOW_THREADS). */
    stopped = events_stop();
    /* TODO 2: drop the reference start() took (Py_CLEAR). */
    registered = NULL;
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
