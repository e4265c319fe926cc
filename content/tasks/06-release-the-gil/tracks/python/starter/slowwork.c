/*
 * Task 6: a CPython extension module with a blocking call, with and without the GIL.
 * Built by the checker with:
 *   cc -shared -fPIC -g -O2 -Wall -I/usr/include/python3.13 \
 *      -o slowwork.cpython-313-x86_64-linux-gnu.so slowwork.c
 * and imported as `import slowwork`.
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

/*
 * slow_work(ms) -> int
 * Sleeps ms milliseconds (with sleep_ms) WITH THE GIL RELEASED and returns what sleep_ms
 * returned, as a Python int. A negative ms raises ValueError.
 */
static PyObject *slow_work(PyObject *self, PyObject *args)
{
    /* TODO: read ms from args (PyArg_ParseTuple with "i"), reject ms < 0 with ValueError,
     *       release the GIL around sleep_ms only, then build the result. */
    PyErr_SetString(PyExc_NotImplementedError, "slow_work is not written yet");
    return NULL;
}

/*
 * slow_work_held(ms) -> int
 * The same, but HOLDING THE GIL for the whole sleep, for contrast.
 */
static PyObject *slow_work_held(PyObject *self, PyObject *args)
{
    /* TODO */
    PyErr_SetString(PyExc_NotImplementedError, "slow_work_held is not written yet");
    return NULL;
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
