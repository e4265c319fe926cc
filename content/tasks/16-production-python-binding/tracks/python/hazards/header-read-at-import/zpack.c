/*
 * zpack: zlib's deflate and inflate for Python, as a hand-written C extension.
 *
 *   zpack.compress(data, level=-1) -> bytes   zlib format (RFC 1950), like zlib.compress
 *   zpack.decompress(data) -> bytes           raises zpack.error for corrupt or truncated data
 *
 * Ownership, call by call:
 *   - data: a Py_buffer view of the caller's object, held from PyArg_ParseTuple to
 *     PyBuffer_Release; the object cannot go away or be resized while the view exists, which is
 *     what makes it safe to read without the GIL.
 *   - z_stream: ours (on the stack), but the state it points to after deflateInit/inflateInit is
 *     zlib's, allocated through zlib's own allocator: only deflateEnd/inflateEnd give it back,
 *     on every path, errors included. Never free() anything zlib allocated.
 *   - the output: a malloc'd buffer of ours, copied into a new bytes object once the GIL is back,
 *     then freed.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* The pin, at build time: the header this is compiled against. */
#if ZLIB_VERNUM < 0x1300
#error "zpack needs zlib 1.3 or later (zlib.h)"
#endif

static PyObject *ZpackError;

#define CHUNK(n) ((n) > UINT_MAX ? UINT_MAX : (uInt)(n)) /* avail_in/avail_out are 32-bit */

/* Deflates all of src into dst (cap bytes, at least deflateBound). No Python objects here. */
static int deflate_all(z_stream *s, const unsigned char *src, size_t n, unsigned char *dst,
                       size_t cap, size_t *written)
{
    size_t in_left = n, out_left = cap;
    int rc;

    s->next_in = (Bytef *)src;
    s->next_out = dst;
    do {
        uInt in_chunk = CHUNK(in_left), out_chunk = CHUNK(out_left);
        s->avail_in = in_chunk;
        s->avail_out = out_chunk;
        rc = deflate(s, in_chunk == in_left ? Z_FINISH : Z_NO_FLUSH);
        in_left -= in_chunk - s->avail_in;
        out_left -= out_chunk - s->avail_out;
    } while (rc == Z_OK);
    *written = cap - out_left;
    return rc;
}

static PyObject *zpack_compress(PyObject *self, PyObject *args)
{
    Py_buffer in;
    int level = Z_DEFAULT_COMPRESSION, rc;
    z_stream strm;
    unsigned char *out;
    size_t cap, written = 0;
    PyObject *result;

    if (!PyArg_ParseTuple(args, "y*|i:compress", &in, &level))
        return NULL;
    if (level < -1 || level > 9) {
        PyBuffer_Release(&in);
        PyErr_Format(PyExc_ValueError, "level must be -1 or between 0 and 9, not %d", level);
        return NULL;
    }
    memset(&strm, 0, sizeof strm); /* zalloc/zfree NULL: zlib uses its own allocator */
    rc = deflateInit(&strm, level); /* a macro: passes ZLIB_VERSION and sizeof(z_stream) */
    if (rc != Z_OK) {
        PyBuffer_Release(&in);
        if (rc == Z_MEM_ERROR)
            return PyErr_NoMemory();
        PyErr_Format(ZpackError, "deflateInit failed (%d)", rc);
        return NULL;
    }
    cap = deflateBound(&strm, (uLong)in.len);
    out = malloc(cap);
    if (out == NULL) {
        deflateEnd(&strm);
        PyBuffer_Release(&in);
        return PyErr_NoMemory();
    }

    Py_BEGIN_ALLOW_THREADS /* only C data from here on: in.buf, strm, out */
    rc = deflate_all(&strm, in.buf, (size_t)in.len, out, cap, &written);
    Py_END_ALLOW_THREADS

    deflateEnd(&strm); /* zlib frees what deflateInit allocated */
    PyBuffer_Release(&in);
    if (rc != Z_STREAM_END) {
        free(out);
        PyErr_Format(ZpackError, "deflate failed (%d): %s", rc, strm.msg ? strm.msg : "no message");
        return NULL;
    }
    result = PyBytes_FromStringAndSize((const char *)out, (Py_ssize_t)written);
    free(out);
    return result;
}

/* Inflates all of src into a growing malloc'd buffer. No Python objects here. */
static int inflate_all(z_stream *s, const unsigned char *src, size_t n, unsigned char **dst,
                       size_t *size)
{
    size_t in_left = n, cap = n < 1024 ? 4096 : n * 4, used = 0;
    unsigned char *buf = malloc(cap), *bigger;
    int rc = Z_OK;

    if (buf == NULL)
        return Z_MEM_ERROR;
    s->next_in = (Bytef *)src;
    for (;;) {
        uInt in_chunk = CHUNK(in_left), out_chunk;
        if (used == cap) {
            if (cap > ((size_t)-1) / 2 || (bigger = realloc(buf, cap * 2)) == NULL) {
                rc = Z_MEM_ERROR;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        out_chunk = CHUNK(cap - used);
        s->avail_in = in_chunk;
        s->next_out = buf + used;
        s->avail_out = out_chunk;
        rc = inflate(s, Z_NO_FLUSH);
        in_left -= in_chunk - s->avail_in;
        used += out_chunk - s->avail_out;
        if (rc == Z_STREAM_END)
            break;
        if (rc == Z_OK)
            continue;
        if (rc == Z_BUF_ERROR && used == cap)
            continue; /* only out of room: grow and go on */
        if (rc == Z_BUF_ERROR) {
            rc = Z_DATA_ERROR; /* no progress possible: the input ended too early */
            s->msg = "incomplete or truncated stream";
        }
        break;
    }
    if (rc != Z_STREAM_END) {
        free(buf);
        return rc;
    }
    *dst = buf;
    *size = used;
    return rc;
}

static PyObject *zpack_decompress(PyObject *self, PyObject *args)
{
    Py_buffer in;
    z_stream strm;
    unsigned char *out = NULL;
    size_t size = 0;
    int rc;
    PyObject *result;

    if (!PyArg_ParseTuple(args, "y*:decompress", &in))
        return NULL;
    memset(&strm, 0, sizeof strm);
    rc = inflateInit(&strm);
    if (rc != Z_OK) {
        PyBuffer_Release(&in);
        if (rc == Z_MEM_ERROR)
            return PyErr_NoMemory();
        PyErr_Format(ZpackError, "inflateInit failed (%d)", rc);
        return NULL;
    }

    Py_BEGIN_ALLOW_THREADS
    rc = inflate_all(&strm, in.buf, (size_t)in.len, &out, &size);
    Py_END_ALLOW_THREADS

    PyBuffer_Release(&in);
    if (rc != Z_STREAM_END) {
        if (rc == Z_MEM_ERROR)
            PyErr_NoMemory();
        else
            PyErr_Format(ZpackError, "invalid compressed data: %s",
                         strm.msg ? strm.msg : "error");
        inflateEnd(&strm); /* on the error path too: the state is still zlib's to free */
        return NULL;
    }
    inflateEnd(&strm);
    result = PyBytes_FromStringAndSize((const char *)out, (Py_ssize_t)size);
    free(out);
    return result;
}

/* "1.3.1" and "1.3" agree on "1.3": the part before the second dot. */
static int same_major_minor(const char *a, const char *b)
{
    int dots = 0;
    for (; *a && *a == *b; a++, b++) {
        if (*a == '.' && ++dots == 2)
            return 1;
    }
    return (*a == '\0' || *a == '.') && (*b == '\0' || *b == '.') && dots == 1;
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

/* HAZARD: the "header's version" is read from the zlib.h installed on this machine, at import,
 * instead of the ZLIB_VERSION compiled into the module. It works wherever zlib's development
 * files are installed (every build machine) and nowhere else. */
static int installed_header_version(char *out)
{
    char line[256];
    int found = 0;
    FILE *header = fopen("/usr/include/zlib.h", "r");

    if (header == NULL)
        return 0;
    while (!found && fgets(line, sizeof line, header) != NULL)
        found = sscanf(line, "#define ZLIB_VERSION \"%63[^\"]\"", out) == 1;
    fclose(header);
    return found;
}

PyMODINIT_FUNC PyInit_zpack(void)
{
    /* The pin, at run time: z_stream is laid out by the zlib.h we were compiled with, and the
     * library we got reads and writes it with its own idea of the layout. */
    const char *runtime = zlibVersion();
    char header[64];
    PyObject *m;

    if (!installed_header_version(header)) {
        PyErr_SetString(PyExc_ImportError,
                        "zpack: cannot read the version of zlib.h (/usr/include/zlib.h)");
        return NULL;
    }
    if (!same_major_minor(runtime, header)) {
        PyErr_Format(PyExc_ImportError,
                     "zpack was built against zlib %s but the zlib loaded at run time is %s; "
                     "refusing to run with a library whose structures may differ",
                     header, runtime);
        return NULL;
    }
    m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    ZpackError = PyErr_NewException("zpack.error", PyExc_ValueError, NULL);
    if (ZpackError == NULL || PyModule_AddObjectRef(m, "error", ZpackError) < 0 ||
        PyModule_AddStringConstant(m, "ZLIB_VERSION", ZLIB_VERSION) < 0 ||
        PyModule_AddStringConstant(m, "ZLIB_RUNTIME_VERSION", runtime) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
