/*
 * Hidden helper (a copy of task 6's): force-included (cc -include gilaudit.h) into a second,
 * audit build of the student's zpack.c, never into the build the student sees.
 *
 * Many mistakes in a block without the GIL do not crash at once: reading an object, changing
 * its reference count, calling a C-API function that happens not to allocate. Here the macros
 * that touch an object's header, and (in gilaudit_calls.h, which check.py writes from the list
 * of Python symbols the student's module uses) every C-API function it calls, are redefined to
 * check PyGILState_Check() first. In a thread without the GIL they print what was used and
 * where, then abort(). Otherwise their effect is the
 * same: Py_IncRef/Py_DecRef are the function forms of Py_XINCREF/Py_XDECREF.
 */
#ifndef FFILAB_GILAUDIT_H
#define FFILAB_GILAUDIT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static __attribute__((noinline, unused)) void ffilab_gil_audit(const char *what, const char *file,
                                                               int line)
{
    char message[512];
    int n;

    if (PyGILState_Check())
        return;
    n = snprintf(message, sizeof message, "\nffilab-gil-audit: %s at %s:%d without the GIL\n",
                 what, file, line);
    if (n > 0 && write(2, message, (size_t)n) < 0) {
        /* aborting anyway */
    }
    abort();
}

#define FFILAB_AUDITED(what, expr) (ffilab_gil_audit(what, __FILE__, __LINE__), (expr))

#undef Py_INCREF
#define Py_INCREF(op) FFILAB_AUDITED("Py_INCREF", Py_IncRef(_PyObject_CAST(op)))
#undef Py_DECREF
#define Py_DECREF(op) FFILAB_AUDITED("Py_DECREF", Py_DecRef(_PyObject_CAST(op)))
#undef Py_XINCREF
#define Py_XINCREF(op) FFILAB_AUDITED("Py_XINCREF", Py_IncRef(_PyObject_CAST(op)))
#undef Py_XDECREF
#define Py_XDECREF(op) FFILAB_AUDITED("Py_XDECREF", Py_DecRef(_PyObject_CAST(op)))
#undef Py_NewRef
#define Py_NewRef(op) FFILAB_AUDITED("Py_NewRef", Py_NewRef(_PyObject_CAST(op)))
#undef Py_XNewRef
#define Py_XNewRef(op) FFILAB_AUDITED("Py_XNewRef", Py_XNewRef(_PyObject_CAST(op)))
#undef Py_REFCNT
#define Py_REFCNT(op) FFILAB_AUDITED("Py_REFCNT", Py_REFCNT(_PyObject_CAST(op)))
#undef Py_TYPE
#define Py_TYPE(op) FFILAB_AUDITED("Py_TYPE", Py_TYPE(_PyObject_CAST(op)))
#undef Py_SIZE
#define Py_SIZE(op) FFILAB_AUDITED("Py_SIZE", Py_SIZE(_PyObject_CAST(op)))
#undef PyTuple_GET_SIZE
#define PyTuple_GET_SIZE(op) \
    FFILAB_AUDITED("PyTuple_GET_SIZE", PyTuple_GET_SIZE(_PyObject_CAST(op)))
#undef PyTuple_GET_ITEM
#define PyTuple_GET_ITEM(op, i) FFILAB_AUDITED("PyTuple_GET_ITEM", _PyTuple_CAST(op)->ob_item[(i)])
#undef PyList_GET_SIZE
#define PyList_GET_SIZE(op) FFILAB_AUDITED("PyList_GET_SIZE", PyList_GET_SIZE(_PyObject_CAST(op)))
#undef PyList_GET_ITEM
#define PyList_GET_ITEM(op, i) FFILAB_AUDITED("PyList_GET_ITEM", _PyList_CAST(op)->ob_item[(i)])

#include "gilaudit_calls.h"

#endif
