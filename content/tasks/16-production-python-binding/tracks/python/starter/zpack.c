/*
 * zpack: zlib's deflate and inflate for Python, as a hand-written C extension.
 *
 *   zpack.compress(data, level=-1) -> bytes   zlib format (RFC 1950), like zlib.compress
 *   zpack.decompress(data) -> bytes           raises zpack.error for corrupt or truncated data
 *
 * The module table, the exception class and the argument parsing are done. The TODOs are the
 * binding itself (task.md, Python track).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static PyObject *ZpackError;

static PyObject *zpack_compress(PyObject *self, PyObject *args)
{
    Py_buffer in;
    int level = Z_DEFAULT_COMPRESSION;

    if (!PyArg_ParseTuple(args, "y*|i:compress", &in, &level))
        return NULL;
    /* TODO: reject a level outside -1..9 with ValueError.
     * TODO: deflateInit(&strm, level) on a zeroed z_stream; an output buffer of
     *       deflateBound(&strm, in.len) bytes (malloc); deflate(&strm, Z_FINISH) with the GIL
     *       released (Py_BEGIN_ALLOW_THREADS ... Py_END_ALLOW_THREADS, no Python objects in
     *       between); deflateEnd(&strm) on every path; bytes from the buffer once the GIL is back;
     *       free(buffer). avail_in and avail_out are 32-bit (uInt). */
    PyBuffer_Release(&in);
    PyErr_SetString(PyExc_NotImplementedError, "zpack.compress is not written yet");
    return NULL;
}

static PyObject *zpack_decompress(PyObject *self, PyObject *args)
{
    Py_buffer in;

    if (!PyArg_ParseTuple(args, "y*:decompress", &in))
        return NULL;
    /* TODO: inflateInit(&strm); inflate(&strm, Z_NO_FLUSH) into a malloc'd buffer that grows
     *       (realloc) until inflate returns Z_STREAM_END, with the GIL released; any other end
     *       (Z_DATA_ERROR, or no progress because the input stopped early) raises ZpackError
     *       with strm.msg; inflateEnd(&strm) on every path, errors included. */
    PyBuffer_Release(&in);
    PyErr_SetString(PyExc_NotImplementedError, "zpack.decompress is not written yet");
    return NULL;
}

static PyMethodDef methods[] = {
    {"compress", zpack_compress, METH_VARARGS,
     "compress(data, level=-1) -> bytes\n\nCompress data (any bytes-like object) in zlib format."},
    {"decompress", zpack_decompress, METH_VARARGS,
     "decompress(data) -> bytes\n\nDecompress zlib data; raises zpack.error if it is corrupt."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "zpack", "zlib compression that releases the GIL.", -1, methods,
};

PyMODINIT_FUNC PyInit_zpack(void)
{
    PyObject *m;

    /* TODO: the version pin. Compare ZLIB_VERSION (the zlib.h this file was compiled with)
     *       with zlibVersion() (the library loaded now) and refuse to import (ImportError,
     *       naming both versions) when their major.minor differ. */
    m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    ZpackError = PyErr_NewException("zpack.error", PyExc_ValueError, NULL);
    if (ZpackError == NULL || PyModule_AddObjectRef(m, "error", ZpackError) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
