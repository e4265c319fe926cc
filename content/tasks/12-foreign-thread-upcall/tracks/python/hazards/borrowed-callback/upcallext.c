/*
 * upcallext: a C extension whose own thread calls back into Python.
 *
 *   upcallext.start(callback, values)  copies the ints, starts a pthread that calls
 *                                      callback(v) for each v, and returns at once
 *   upcallext.wait()                   waits for that thread; returns how many calls returned
 *                                      normally
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

struct job {
    PyObject *callback; /* a strong reference: ours from start() until the thread is done */
    int *values;        /* a C copy: the thread never reads the Python list */
    Py_ssize_t count;
    long delivered;
};

static struct job job;
static pthread_t worker_thread;
static int running;

/* Runs on a thread Python did not create: it has no thread state until it asks for one. */
static void *worker(void *arg)
{
    struct job *j = arg;

    for (Py_ssize_t i = 0; i < j->count; i++) {
        /* Attach: create (or reuse) a thread state for this thread and take the GIL. */
        PyGILState_STATE gil = PyGILState_Ensure();
        PyObject *result = PyObject_CallFunction(j->callback, "i", j->values[i]);
        if (result == NULL) {
            PyErr_WriteUnraisable(j->callback); /* reports and clears the exception */
        } else {
            j->delivered++;
            Py_DECREF(result);
        }
        /* Give the GIL back between calls, so the rest of the program keeps running. */
        PyGILState_Release(gil);
    }

    j->callback = NULL;
    return NULL;
}

static PyObject *start(PyObject *self, PyObject *args)
{
    PyObject *callback, *values, *seq;
    Py_ssize_t n;
    int *copy, rc;

    if (!PyArg_ParseTuple(args, "OO:start", &callback, &values))
        return NULL;
    if (running) {
        PyErr_SetString(PyExc_RuntimeError, "a thread is already running: call wait() first");
        return NULL;
    }
    if (!PyCallable_Check(callback)) {
        PyErr_SetString(PyExc_TypeError, "callback must be callable");
        return NULL;
    }
    seq = PySequence_Fast(values, "values must be a sequence of ints");
    if (seq == NULL)
        return NULL;
    n = PySequence_Fast_GET_SIZE(seq);
    copy = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
    if (copy == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        int overflow;
        long v = PyLong_AsLongAndOverflow(PySequence_Fast_GET_ITEM(seq, i), &overflow);
        if ((v == -1 && PyErr_Occurred()) || overflow || v < INT_MIN || v > INT_MAX) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_OverflowError, "a value does not fit in a C int");
            free(copy);
            Py_DECREF(seq);
            return NULL;
        }
        copy[i] = (int)v;
    }
    Py_DECREF(seq);

    job.values = copy;
    job.count = n;
    job.delivered = 0;
    /* HAZARD: a borrowed pointer; nothing keeps the callable alive after start() returns. */
    job.callback = callback;
    rc = pthread_create(&worker_thread, NULL, worker, &job);
    if (rc != 0) {
        Py_CLEAR(job.callback);
        free(copy);
        job.values = NULL;
        errno = rc;
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    running = 1;
    Py_RETURN_NONE;
}

static PyObject *wait_for_thread(PyObject *self, PyObject *unused)
{
    if (!running) {
        PyErr_SetString(PyExc_RuntimeError, "no thread is running: call start() first");
        return NULL;
    }
    /* The thread needs the GIL for every call: joining it while holding the GIL would wait
     * forever. No Python object is touched in between. */
    Py_BEGIN_ALLOW_THREADS
    pthread_join(worker_thread, NULL);
    Py_END_ALLOW_THREADS
    running = 0;
    free(job.values);
    job.values = NULL;
    return PyLong_FromLong(job.delivered);
}

static PyMethodDef methods[] = {
    {"start", start, METH_VARARGS,
     "start(callback, values): call callback(v) for each v from a new C thread."},
    {"wait", wait_for_thread, METH_NOARGS,
     "wait() -> int: wait for the thread; the number of calls that returned normally."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "upcallext", "Calls back into Python from a C thread.", -1, methods,
};

PyMODINIT_FUNC PyInit_upcallext(void)
{
    return PyModule_Create(&module);
}
