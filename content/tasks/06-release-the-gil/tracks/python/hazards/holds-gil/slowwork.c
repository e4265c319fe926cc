/*
 * Task 6 hazard holds-gil: slow_work never releases the GIL (everything else is the
 * reference).
 * Built by the checker with:
 *   cc -shared -fPIC -g -O2 -Wall -I/usr/include/python3.13 \
 *      -o slowwork.cpython-313-x86_64-linux-gnu.so slowwork.c
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <time.h>
#include <unistd.h>

/* Sleeps ms milliseconds and returns how many really passed. Plain C: no Python objects. */
static long sleep_ms(int ms)
{
    struct timespec start, end;

    clock_gettime(CLOCK_MONOTONIC, &start);
    usleep((useconds_t)ms * 1000);
    clock_gettime(CLOCK_MONOTONIC, &end);
    return (end.tv_sec - start.tv_sec) * 1000L + (end.tv_nsec - start.tv_nsec) / 1000000L;
}

/* Reads the one argument; on failure an exception is set (we still hold the GIL here). */
static int parse_ms(PyObject *args, int *ms)
{
    if (!PyArg_ParseTuple(args, "i", ms))
        return 0;
    if (*ms < 0) {
        PyErr_SetString(PyExc_ValueError, "ms must be >= 0");
        return 0;
    }
    return 1;
}

static PyObject *slow_work(PyObject *self, PyObject *args)
{
    int ms;
    long slept;

    if (!parse_ms(args, &ms))
        return NULL;
    /* The GIL stays held for the whole sleep: the two versions are now the same. */
    slept = sleep_ms(ms);
    return PyLong_FromLong(slept);
}

static PyObject *slow_work_held(PyObject *self, PyObject *args)
{
    int ms;

    if (!parse_ms(args, &ms))
        return NULL;
    /* The same sleep with the GIL held: every other Python thread waits until it is over. */
    return PyLong_FromLong(sleep_ms(ms));
}

static PyMethodDef slowwork_methods[] = {
    {"slow_work", slow_work, METH_VARARGS,
     "slow_work(ms) -> int\n\nSleeps ms milliseconds with the GIL released; returns the "
     "milliseconds that passed."},
    {"slow_work_held", slow_work_held, METH_VARARGS,
     "slow_work_held(ms) -> int\n\nSleeps ms milliseconds holding the GIL; returns the "
     "milliseconds that passed."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef slowwork_module = {
    PyModuleDef_HEAD_INIT,
    "slowwork",
    "A blocking call with and without the GIL.",
    -1,
    slowwork_methods,
};

PyMODINIT_FUNC PyInit_slowwork(void)
{
    return PyModule_Create(&slowwork_module);
}
