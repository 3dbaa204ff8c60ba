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
 *       every maximal run of ASCII digits of text, keyed by its digits and by its first and last
 *       (up to 3) digits, in one pass; .find_all(needle, lo) is every q >= lo where
 *       text.startswith(needle, q) (what str.find finds, one after the other), from the places of
 *       one run of the needle's digits (None for a needle without a run next to a non-digit, such
 *       as "2026": then the caller searches). What `SourceIndex._hits` asks of its table.
 *
 * Plain CPython C API (3.10-3.13), any str kind, linear in the input, no mutable global state.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The maximal runs of ASCII digits of text[start:end] (a run reaching `end` is cut there, as
 * re.finditer("[0-9]+", text, start, end) cuts it), as a flat array of (start, end) pairs.
 * Returns the number of runs, or -1 with MemoryError set. *out is PyMem-allocated (free it). */
#define SCAN_RUNS(T)                                                                   \
    do {                                                                               \
        const T *p = (const T *)data;                                                  \
        Py_ssize_t i = start;                                                          \
        while (i < end) {                                                              \
            if (p[i] < (T)'0' || p[i] > (T)'9') {                                         \
                i++;                                                                   \
                continue;                                                              \
            }                                                                          \
            Py_ssize_t a = i;                                                          \
            while (i < end && p[i] >= (T)'0' && p[i] <= (T)'9')                        \
                i++;                                                                   \
            if (count * 2 + 2 > cap) {                                                 \
                Py_ssize_t ncap = cap * 2;                                             \
                Py_ssize_t *grown = PyMem_Resize(buf, Py_ssize_t, (size_t)ncap);       \
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

/* -- RunTable: where each run of digits of a text is, keyed by its digits, its first and its last
 * (up to 3) digits, without a Python object per run -------------------------------------------- */

#define TAG_EXACT 0  /* the whole run */
#define TAG_PREFIX 1 /* its first 1, 2 or 3 digits */
#define TAG_SUFFIX 2 /* its last 1, 2 or 3 digits */
#define AFFIX 3

typedef struct {
    PyObject_HEAD
    PyObject *text;     /* the str the runs were read from (a strong reference) */
    Py_ssize_t nruns;
    Py_ssize_t *runs;   /* (start, end) of each run, ascending */
    Py_ssize_t nent;    /* entries: one per run and key (its digits, each prefix and suffix) */
    Py_ssize_t *ent;    /* per entry: (key start in text, key length, tag, run, next entry of the key or -1) */
    Py_ssize_t *count;  /* per entry that is the first of its key: how many entries the key has */
    Py_ssize_t *slots;  /* open addressing: the first entry of a key, or -1 */
    size_t mask;
} RunTable;

#define E_A(t, e) ((t)->ent[(e) * 5])
#define E_LEN(t, e) ((t)->ent[(e) * 5 + 1])
#define E_TAG(t, e) ((t)->ent[(e) * 5 + 2])
#define E_RUN(t, e) ((t)->ent[(e) * 5 + 3])
#define E_NEXT(t, e) ((t)->ent[(e) * 5 + 4])

static PyTypeObject RunTable_Type;

static size_t
hash_span(int kind, const void *data, Py_ssize_t a, Py_ssize_t b, Py_ssize_t tag)
{
    size_t h = (size_t)1469598103934665603ULL;
    for (Py_ssize_t i = a; i < b; i++) {
        h ^= (size_t)PyUnicode_READ(kind, data, i);
        h *= (size_t)1099511628211ULL;
    }
    h ^= (size_t)(b - a) * 31u + (size_t)tag;
    h *= (size_t)1099511628211ULL;
    return h;
}

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
    PyMem_Free(self->ent);
    PyMem_Free(self->count);
    PyMem_Free(self->slots);
    Py_XDECREF(self->text);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* the first entry of key (kind, data)[a:b] with tag, or -1; *slot_out: its slot, or the empty
 * slot where it would go */
static Py_ssize_t
find_key(RunTable *t, int kind, const void *data, Py_ssize_t a, Py_ssize_t b, Py_ssize_t tag, size_t *slot_out)
{
    const int tk = PyUnicode_KIND(t->text);
    const void *td = PyUnicode_DATA(t->text);
    size_t k = hash_span(kind, data, a, b, tag) & t->mask;
    for (;;) {
        Py_ssize_t f = t->slots[k];
        if (f < 0 || (E_TAG(t, f) == tag && E_LEN(t, f) == b - a && same_span(tk, td, E_A(t, f), kind, data, a, b - a))) {
            if (slot_out != NULL)
                *slot_out = k;
            return f;
        }
        k = (k + 1) & t->mask;
    }
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
    t->runs = t->ent = t->count = t->slots = NULL;
    t->nent = 0;
    Py_ssize_t *runs = NULL;
    t->nruns = scan_runs(arg, 0, PyUnicode_GET_LENGTH(arg), &runs);
    if (t->nruns < 0) {
        Py_DECREF(t);
        return NULL;
    }
    t->runs = runs;
    if (t->nruns > PY_SSIZE_T_MAX / 64) {
        Py_DECREF(t);
        return PyErr_NoMemory();
    }
    Py_ssize_t cap = t->nruns * (1 + 2 * AFFIX); /* entries at most */
    size_t size = 8;
    while (size < (size_t)cap * 2)
        size *= 2;
    t->mask = size - 1;
    Py_ssize_t nc = cap > 0 ? cap : 1;
    t->ent = PyMem_New(Py_ssize_t, (size_t)nc * 5);
    t->count = PyMem_New(Py_ssize_t, (size_t)nc);
    t->slots = PyMem_New(Py_ssize_t, size);
    Py_ssize_t *last = PyMem_New(Py_ssize_t, (size_t)nc); /* per first entry: the last of its key */
    if (t->ent == NULL || t->count == NULL || t->slots == NULL || last == NULL) {
        PyMem_Free(last);
        Py_DECREF(t);
        return PyErr_NoMemory();
    }
    for (size_t k = 0; k < size; k++)
        t->slots[k] = -1;
    for (Py_ssize_t r = 0; r < t->nruns; r++) {
        Py_ssize_t ra = t->runs[r * 2], rb = t->runs[r * 2 + 1];
        for (int which = 0; which < 1 + 2 * AFFIX; which++) {
            Py_ssize_t a, b, tag;
            if (which == 0) {
                a = ra, b = rb, tag = TAG_EXACT;
            }
            else if (which <= AFFIX) {
                if (rb - ra < which)
                    continue;
                a = ra, b = ra + which, tag = TAG_PREFIX;
            }
            else {
                if (rb - ra < which - AFFIX)
                    continue;
                a = rb - (which - AFFIX), b = rb, tag = TAG_SUFFIX;
            }
            Py_ssize_t e = t->nent++;
            E_A(t, e) = a;
            E_LEN(t, e) = b - a;
            E_TAG(t, e) = tag;
            E_RUN(t, e) = r;
            E_NEXT(t, e) = -1;
            t->count[e] = 0;
            size_t slot;
            Py_ssize_t f = find_key(t, kind, data, a, b, tag, &slot);
            if (f < 0) {
                t->slots[slot] = e;
                t->count[e] = 1;
                last[e] = e;
            }
            else {
                E_NEXT(t, last[f]) = e;
                last[f] = e;
                t->count[f]++;
            }
        }
    }
    PyMem_Free(last);
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
    Py_ssize_t best = -1, best_count = 0, best_a = 0, best_b = 0, best_tag = 0;
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
        Py_ssize_t b = i, ka, kb, tag;
        if (a > 0 && b < m)
            ka = a, kb = b, tag = TAG_EXACT;
        else if (a > 0)
            ka = a, kb = (b - a > AFFIX ? a + AFFIX : b), tag = TAG_PREFIX;
        else if (b < m)
            ka = (b - a > AFFIX ? b - AFFIX : a), kb = b, tag = TAG_SUFFIX;
        else
            continue;
        Py_ssize_t f = find_key(self, nk, nd, ka, kb, tag, NULL);
        Py_ssize_t c = f < 0 ? 0 : self->count[f];
        if (best == -1 || c < best_count) {
            best = f < 0 ? -2 : f; /* -2: a usable run with no places: nothing to find */
            best_count = c, best_a = a, best_b = b, best_tag = tag;
        }
    }
    if (best == -1)
        Py_RETURN_NONE;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t e = best; e >= 0; e = E_NEXT(self, e)) {
        Py_ssize_t r = E_RUN(self, e);
        Py_ssize_t q = best_tag == TAG_SUFFIX ? self->runs[r * 2 + 1] - best_b : self->runs[r * 2] - best_a;
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
