/* guardwrap._cground: C kernels for the grounding check (guardwrap._sources, guardwrap._claims).
 *
 * Each function does, faster, exactly what a pure-Python function beside it does; the Python stays
 * the reference and tests/grounding/test_cground.py holds the two to the same results. Loaded with
 * guardwrap._native.kernel("guardwrap._cground"): None (not built, or GUARDWRAP_PURE_PYTHON=1)
 * means the Python runs.
 *
 *   digit_spans(text, start, end) -> list[int]
 *       [s0, e0, s1, e1, ...]: the spans of re.finditer("[0-9]+", text, start, end), flat (what
 *       `_claims.extract` walks).
 *   all_plain(text, plain) -> bool
 *       `_claimtext.all_plain(text)` with its table of plain Latin-1 characters passed in as plain.
 *   run_table(text) -> RunTable
 *       where the maximal runs of ASCII digits of text are, by their first and by their last 1, 2
 *       or 3 digits, in one pass; .find_all(needle, lo) is every q >= lo where
 *       text.startswith(needle, q) (what str.find finds, one after the other), from the runs that
 *       start (or end) with the needle's digits that follow (or precede) a non-digit; None for a
 *       needle without such digits ("2026", "Mar"): the caller searches then. What
 *       `SourceIndex._hits` asks of its table.
 *
 * Plain CPython C API (3.10-3.13), any str kind, linear in the input, no mutable global state.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* Whether the 8 bytes at p, read as 8 / width characters of `width` bytes (1, 2 or 4), hold an
 * ASCII digit: each lane XOR '0' is below 10 exactly for the digits, and "some lane is below n"
 * is the classic borrow test ((x - n per lane) & ~x & the lanes' top bits), exact for n <= half
 * the lane's range (wider characters have a high bit set in their lane or a higher lane: never
 * below 10 after XOR with '0'; 4-byte lanes are tested on their whole value). */
static inline int
word_has_digit(const void *p, size_t width)
{
    uint64_t x;
    memcpy(&x, p, 8);
    if (width == 1) {
        x ^= 0x3030303030303030ULL;
        return ((x - 0x0A0A0A0A0A0A0A0AULL) & ~x & 0x8080808080808080ULL) != 0;
    }
    if (width == 2) {
        x ^= 0x0030003000300030ULL;
        return ((x - 0x000A000A000A000AULL) & ~x & 0x8000800080008000ULL) != 0;
    }
    x ^= 0x0000003000000030ULL;
    return ((x - 0x0000000A0000000AULL) & ~x & 0x8000000080000000ULL) != 0;
}

/* The maximal runs of ASCII digits of text[start:end] (a run reaching `end` is cut there, as
 * re.finditer("[0-9]+", text, start, end) cuts it), as a flat array of (start, end) pairs.
 * Returns the number of runs, or -1 with MemoryError set. *out is PyMem-allocated (free it). */
#define SCAN_RUNS(T)                                                                   \
    do {                                                                               \
        const T *p = (const T *)data;                                                  \
        Py_ssize_t i = start;                                                          \
        while (i < end) {                                                              \
            /* eight bytes at a time past characters that are no digits */              \
            while (i + (Py_ssize_t)(8 / sizeof(T)) <= end && !word_has_digit(p + i, sizeof(T))) \
                i += (Py_ssize_t)(8 / sizeof(T));                                      \
            if (i >= end)                                                              \
                break;                                                                 \
            if (p[i] < (T)'0' || p[i] > (T)'9') {                                         \
                i++;                                                                   \
                continue;                                                              \
            }                                                                          \
            Py_ssize_t a = i;                                                          \
            while (i < end && p[i] >= (T)'0' && p[i] <= (T)'9')                        \
                i++;                                                                   \
            if (count * 2 + 2 > cap) {                                                 \
                Py_ssize_t ncap = cap * 2;                                             \
                Py_ssize_t *grown = NULL;                                              \
                if ((size_t)ncap <= PY_SSIZE_T_MAX / sizeof(Py_ssize_t))               \
                    grown = (Py_ssize_t *)PyMem_Realloc(buf, (size_t)ncap * sizeof(Py_ssize_t)); \
                if (grown == NULL) {                                                   \
                    PyMem_Free(buf);                                                   \
                    PyErr_NoMemory();                                                  \
                    return -1;                                                         \
                }                                                                      \
                buf = grown;                                                           \
                cap = ncap;                                                            \
            }                                                                          \
            buf[count * 2] = a;                                                        \
            buf[count * 2 + 1] = i;                                                    \
            count++;                                                                   \
        }                                                                              \
    } while (0)

static Py_ssize_t
scan_runs(PyObject *text, Py_ssize_t start, Py_ssize_t end, Py_ssize_t **out)
{
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t cap = 64, count = 0;
    Py_ssize_t *buf = PyMem_New(Py_ssize_t, (size_t)cap);
    if (buf == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    if (kind == PyUnicode_1BYTE_KIND)
        SCAN_RUNS(Py_UCS1);
    else if (kind == PyUnicode_2BYTE_KIND)
        SCAN_RUNS(Py_UCS2);
    else
        SCAN_RUNS(Py_UCS4);
    *out = buf;
    return count;
}

/* text as a ready str, or NULL with TypeError set */
static int
check_str(PyObject *arg, const char *fn)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_Format(PyExc_TypeError, "%s() expects a str, not %.80s", fn, Py_TYPE(arg)->tp_name);
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(arg) < 0)
        return -1;
#endif
    return 0;
}

static PyObject *
digit_spans(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "Unn:digit_spans", &text, &start, &end))
        return NULL;
    if (check_str(text, "digit_spans") < 0)
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    /* clamp as re's pos/endpos do */
    if (start < 0)
        start = 0;
    if (end > n)
        end = n;
    if (end < start)
        end = start;
    Py_ssize_t *runs = NULL;
    Py_ssize_t count = scan_runs(text, start, end, &runs);
    if (count < 0)
        return NULL;
    PyObject *out = PyList_New(count * 2);
    if (out == NULL) {
        PyMem_Free(runs);
        return NULL;
    }
    for (Py_ssize_t k = 0; k < count * 2; k++) {
        PyObject *v = PyLong_FromSsize_t(runs[k]);
        if (v == NULL) {
            PyMem_Free(runs);
            Py_DECREF(out);
            return NULL;
        }
        PyList_SET_ITEM(out, k, v);
    }
    PyMem_Free(runs);
    return out;
}

/* -- RunTable: where the runs of digits of a text are, by their first and by their last 1, 2 or 3
 * digits (direct-address tables: no hashing, no Python object per run) ------------------------- */

#define AFFIX 3
#define NTABLES (2 * AFFIX)  /* t < AFFIX: the first t + 1 digits; else the last t - AFFIX + 1 */
static const Py_ssize_t TABLE_SIZE[NTABLES] = {10, 100, 1000, 10, 100, 1000};
static const Py_ssize_t POW10[AFFIX + 1] = {1, 10, 100, 1000};

typedef struct {
    PyObject_HEAD
    PyObject *text;               /* the str the runs were read from (a strong reference) */
    Py_ssize_t nruns;
    Py_ssize_t *runs;             /* (start, end) of each run, ascending */
    Py_ssize_t *next;             /* per run and table: the next run with the same key, or -1 */
    Py_ssize_t *head[NTABLES];    /* per table and key: the first run, or -1 */
    Py_ssize_t *count[NTABLES];   /* per table and key: how many runs */
} RunTable;

static PyTypeObject RunTable_Type;

static int
same_span(int k1, const void *d1, Py_ssize_t a1, int k2, const void *d2, Py_ssize_t a2, Py_ssize_t len)
{
    for (Py_ssize_t j = 0; j < len; j++)
        if (PyUnicode_READ(k1, d1, a1 + j) != PyUnicode_READ(k2, d2, a2 + j))
            return 0;
    return 1;
}

static void
RunTable_dealloc(RunTable *self)
{
    PyMem_Free(self->runs);
    PyMem_Free(self->next);
    for (int k = 0; k < NTABLES; k++) {
        PyMem_Free(self->head[k]);
        PyMem_Free(self->count[k]);
    }
    Py_XDECREF(self->text);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* the value of the ASCII digits (kind, data)[a:b], b - a <= AFFIX */
static Py_ssize_t
digits_value(int kind, const void *data, Py_ssize_t a, Py_ssize_t b)
{
    Py_ssize_t v = 0;
    for (Py_ssize_t i = a; i < b; i++)
        v = v * 10 + (Py_ssize_t)(PyUnicode_READ(kind, data, i) - '0');
    return v;
}

/* run_table(text) -> RunTable */
static PyObject *
run_table(PyObject *module, PyObject *arg)
{
    if (check_str(arg, "run_table") < 0)
        return NULL;
    const int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    RunTable *t = PyObject_New(RunTable, &RunTable_Type);
    if (t == NULL)
        return NULL;
    Py_INCREF(arg);
    t->text = arg;
    t->runs = t->next = NULL;
    for (int k = 0; k < NTABLES; k++)
        t->head[k] = t->count[k] = NULL;
    Py_ssize_t *runs = NULL;
    t->nruns = scan_runs(arg, 0, PyUnicode_GET_LENGTH(arg), &runs);
    if (t->nruns < 0) {
        Py_DECREF(t);
        return NULL;
    }
    t->runs = runs;
    if (t->nruns > PY_SSIZE_T_MAX / (Py_ssize_t)(sizeof(Py_ssize_t) * NTABLES)) {
        Py_DECREF(t);
        return PyErr_NoMemory();
    }
    t->next = PyMem_New(Py_ssize_t, (size_t)(t->nruns > 0 ? t->nruns : 1) * NTABLES);
    if (t->next == NULL) {
        Py_DECREF(t);
        return PyErr_NoMemory();
    }
    for (int k = 0; k < NTABLES; k++) {
        t->head[k] = PyMem_New(Py_ssize_t, (size_t)TABLE_SIZE[k]);
        t->count[k] = PyMem_New(Py_ssize_t, (size_t)TABLE_SIZE[k]);
        if (t->head[k] == NULL || t->count[k] == NULL) {
            Py_DECREF(t);
            return PyErr_NoMemory();
        }
        for (Py_ssize_t j = 0; j < TABLE_SIZE[k]; j++) {
            t->head[k][j] = -1;
            t->count[k][j] = 0;
        }
    }
    /* last run first: each run goes to the front of its lists, which then run in ascending order */
    for (Py_ssize_t r = t->nruns - 1; r >= 0; r--) {
        Py_ssize_t ra = t->runs[r * 2], rb = t->runs[r * 2 + 1];
        /* the first and the last (up to) AFFIX digits, read once: shorter affixes are their parts */
        Py_ssize_t have = rb - ra < AFFIX ? rb - ra : AFFIX;
        Py_ssize_t head3 = digits_value(kind, data, ra, ra + have), tail3 = digits_value(kind, data, rb - have, rb);
        for (int k = 0; k < NTABLES; k++) {
            Py_ssize_t len = k % AFFIX + 1;
            t->next[r * NTABLES + k] = -1;
            if (rb - ra < len)
                continue;
            Py_ssize_t v = k < AFFIX ? head3 / POW10[have - len] : tail3 % POW10[len];
            t->next[r * NTABLES + k] = t->head[k][v];
            t->head[k][v] = r;
            t->count[k][v]++;
        }
    }
    return (PyObject *)t;
}

/* find_all(needle, lo): every q >= lo where text.startswith(needle, q), ascending, found through
 * the needle's runs of digits that lie between other characters of the needle (a whole run of
 * the text), or after one (the start of a run) or before one (the end of a run); None when the
 * needle has no such run (it is all digits, or has none): search the text then. */
static PyObject *
RunTable_find_all(RunTable *self, PyObject *args)
{
    PyObject *needle;
    Py_ssize_t lo;
    if (!PyArg_ParseTuple(args, "Un:find_all", &needle, &lo))
        return NULL;
    if (check_str(needle, "find_all") < 0)
        return NULL;
    if (lo < 0) {
        PyErr_SetString(PyExc_ValueError, "find_all(): lo must be >= 0");
        return NULL;
    }
    const int nk = PyUnicode_KIND(needle), tk = PyUnicode_KIND(self->text);
    const void *nd = PyUnicode_DATA(needle), *td = PyUnicode_DATA(self->text);
    const Py_ssize_t m = PyUnicode_GET_LENGTH(needle), n = PyUnicode_GET_LENGTH(self->text);
    Py_ssize_t best = -2, best_table = 0, best_count = 0, best_a = 0, best_b = 0;
    Py_ssize_t i = 0;
    while (i < m) {
        Py_UCS4 ch = PyUnicode_READ(nk, nd, i);
        if (ch < '0' || ch > '9') {
            i++;
            continue;
        }
        Py_ssize_t a = i;
        while (i < m && (ch = PyUnicode_READ(nk, nd, i)) >= '0' && ch <= '9')
            i++;
        Py_ssize_t b = i, len = b - a > AFFIX ? AFFIX : b - a, k, v;
        if (a > 0) { /* after a non-digit: a run of the text starts here, with these digits */
            k = len - 1;
            v = digits_value(nk, nd, a, a + len);
        }
        else if (b < m) { /* before a non-digit: a run of the text ends here */
            k = AFFIX + len - 1;
            v = digits_value(nk, nd, b - len, b);
        }
        else {
            continue; /* all digits: it may lie anywhere in a run of the text */
        }
        if (best == -2 || self->count[k][v] < best_count) {
            best = self->head[k][v];
            best_table = k, best_count = self->count[k][v], best_a = a, best_b = b;
        }
    }
    if (best == -2)
        Py_RETURN_NONE;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t r = best; r >= 0; r = self->next[r * NTABLES + best_table]) {
        Py_ssize_t q = best_table >= AFFIX ? self->runs[r * 2 + 1] - best_b : self->runs[r * 2] - best_a;
        if (q < lo || q > n - m || !same_span(tk, td, q, nk, nd, 0, m))
            continue;
        PyObject *v = PyLong_FromSsize_t(q);
        if (v == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        int rc = PyList_Append(out, v);
        Py_DECREF(v);
        if (rc < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

static PyMethodDef RunTable_methods[] = {
    {"find_all", (PyCFunction)RunTable_find_all, METH_VARARGS,
     "find_all(needle, lo) -> every q >= lo where text.startswith(needle, q), ascending; None when "
     "the needle has no run of digits next to another character (search the text then)."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject RunTable_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "guardwrap._cground.RunTable",
    .tp_basicsize = sizeof(RunTable),
    .tp_dealloc = (destructor)RunTable_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The runs of ASCII digits of a text, keyed by their digits (see run_table).",
    .tp_methods = RunTable_methods,
};

/* all_plain(text, plain) -> bool: whether every character of text is ASCII, the euro sign, or a
 * Latin-1 character whose code is a byte of `plain` (what `_claimtext.all_plain` proves with
 * split, encode and translate; `plain` is its table, passed in). */
static PyObject *
all_plain(PyObject *self, PyObject *args)
{
    PyObject *text;
    Py_buffer plain;
    if (!PyArg_ParseTuple(args, "Uy*:all_plain", &text, &plain))
        return NULL;
    if (check_str(text, "all_plain") < 0) {
        PyBuffer_Release(&plain);
        return NULL;
    }
    unsigned char ok[256] = {0};
    const unsigned char *pb = (const unsigned char *)plain.buf;
    for (Py_ssize_t k = 0; k < plain.len; k++)
        ok[pb[k]] = 1;
    PyBuffer_Release(&plain);
    for (int c = 0; c < 128; c++)
        ok[c] = 1;
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *p = (const Py_UCS1 *)data;
        for (Py_ssize_t i = 0; i < n; i++)
            if (!ok[p[i]])
                Py_RETURN_FALSE;
        Py_RETURN_TRUE;
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *p = (const Py_UCS2 *)data;
        for (Py_ssize_t i = 0; i < n; i++)
            if (p[i] > 0xFF ? p[i] != 0x20AC : !ok[p[i]])
                Py_RETURN_FALSE;
        Py_RETURN_TRUE;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch == 0x20AC)
            continue;
        if (ch > 0xFF || !ok[ch])
            Py_RETURN_FALSE;
    }
    Py_RETURN_TRUE;
}

static PyMethodDef methods[] = {
    {"digit_spans", digit_spans, METH_VARARGS,
     "digit_spans(text, start, end) -> [s0, e0, s1, e1, ...]: the runs of ASCII digits of text[start:end]."},
    {"all_plain", all_plain, METH_VARARGS,
     "all_plain(text, plain) -> whether every character is ASCII, the euro sign or a byte of plain."},
    {"run_table", run_table, METH_O,
     "run_table(text) -> RunTable: the runs of ASCII digits of text, keyed by their digits."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "guardwrap._cground",
    "C kernels for the grounding check; the pure-Python code is the reference.", -1, methods,
};

PyMODINIT_FUNC
PyInit__cground(void)
{
    if (PyType_Ready(&RunTable_Type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&RunTable_Type);
    if (PyModule_AddObject(m, "RunTable", (PyObject *)&RunTable_Type) < 0) {
        Py_DECREF(&RunTable_Type);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
