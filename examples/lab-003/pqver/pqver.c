/*
 * pqver: a tiny CPython extension that links libpq (PostgreSQL's client
 * library). It makes the lab's point real: installing it compiles C against
 * libpq's headers (gcc + libpq-dev at build time), and importing it needs
 * libpq.so.5 at run time (libpq5).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <libpq-fe.h>

/* libpq_version() -> "15.18": the version of the libpq loaded at run time. */
static PyObject *libpq_version(PyObject *self, PyObject *args) {
    int v = PQlibVersion(); /* e.g. 150018 for 15.18 */
    (void)self;
    (void)args;
    return PyUnicode_FromFormat("%d.%d", v / 10000, v % 10000);
}

/* is_threadsafe() -> bool: whether this libpq was built thread-safe. */
static PyObject *is_threadsafe(PyObject *self, PyObject *args) {
    (void)self;
    (void)args;
    return PyBool_FromLong(PQisthreadsafe());
}

static PyMethodDef methods[] = {
    {"libpq_version", libpq_version, METH_NOARGS, "Version of the libpq loaded at run time."},
    {"is_threadsafe", is_threadsafe, METH_NOARGS, "Whether libpq is thread-safe."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "pqver", "libpq version probe", -1, methods};

PyMODINIT_FUNC PyInit_pqver(void) { return PyModule_Create(&module); }
