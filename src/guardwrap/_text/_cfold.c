/* guardwrap._text._cfold: the per-character loops of the matching view, in C.
 *
 * References (pure Python, `guardwrap/_text/_fold.py`; a differential test holds each function to
 * its reference):
 *
 * `spaced_hint(text)`  == `any(sep in text and hint.search(text) for sep, hint in _HINTS)`: some
 *     separator character s of " .-_*\/|" stands right before a letter or digit x, followed by one
 *     to three s, a letter or digit y and an s again ("s x s y s", the start of a run of letters
 *     spaced out one by one). Letters and digits are what `re` reads as `[^\W_]`
 *     (Py_UNICODE_ISALNUM), for every code point.
 * `words(text, punct)` == `frozenset(text.translate({c: " " for c in punct}).split())`: the words
 *     of the text split at whitespace (str.split()'s) and at the ASCII characters of `punct`;
 *     one pass, one str object per distinct word.
 * `ranges(pairs)` == `array("i", chain.from_iterable(range(a, b) for a, b in pairs)).tobytes()`:
 *     the offsets map of a view whose spaced-out runs were joined (`_fold.extend_range`).
 * `redact(text, findings, Finding)` == `_anonymize.apply_spans(text, findings, "redact")` for
 *     findings in order (or None: the caller's Python path), the text built in one piece.
 * `lower_ascii(text)` == `text.lower()` for an ASCII str, vectorised (`View.folded`).
 * `blob_runs(text)` == `[m.span() for m in re.finditer("[A-Za-z0-9+/=_-]{16,}", text)]`: the
 *     maximal runs of the base64/hex alphabet of 16 or more characters, for `_decode.blob_spans`
 *     (reference: `_decode._blob_runs_py`, and Hyperscan's scan of `_decode._run16_db`).
 * `map_chars(text, index, reps, astral)` == `_view._map_chars_py(text, table)`: every non-ASCII
 *     character replaced by the table's text for it (`index`: 65536 native uint16, 0 = not in the
 *     table, k = reps[k - 1]; `astral`: the table itself, read for code points past the BMP), and
 *     one offsets entry (view start, view end, original start, original end) per character whose
 *     replacement is not one character long. None when no character is replaced; else
 *     (view, entries as native int64 quadruples in bytes).
 * `shape(text, n, cap)` == `guardwrap.injection._disguise._shape_py(text, n, cap)`: in one pass,
 *     `[m.span() for m in re.finditer(r"\S{n,}", text)][:cap]` (the maximal runs of n or more
 *     characters that are not whitespace) and the most digits in one stretch of text made only of
 *     hex digits, "x", "X", spaces, tabs, ",", ";", ":" and backslashes (bytes written as numbers),
 *     for the injection detector's readers of disguised text.
 *
 * And one call that is not a loop of the view: `release_heap()` is glibc's malloc_trim(0) (None
 * elsewhere): Hyperscan's compiler frees megabytes it used for a moment, which glibc keeps in the
 * process's heap; `_hs.compile_db` hands them back after each compile (about 3 MB of a full guard).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#include <limits.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#if PY_VERSION_HEX >= 0x030C0000
#define STR_READY(o) 0
#else
#define STR_READY(o) PyUnicode_READY(o)
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE __attribute__((always_inline)) inline
#else
#define ALWAYS_INLINE inline
#endif

/* -- spaced_hint ------------------------------------------------------------------------------ */

static const char SEPS[] = " .-_*/|";

static ALWAYS_INLINE int
is_alnum_at(int kind, const void *data, Py_ssize_t i)
{
    Py_UCS4 c = PyUnicode_READ(kind, data, i);
    if (c < 128)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return Py_UNICODE_ISALNUM(c);
}

static unsigned char IS_SEP[128];  /* the characters of SEPS, filled at import */

#if defined(__GNUC__) || defined(__clang__)
/* 8 bytes as a little-endian word: byte k of the result is p[k] */
static ALWAYS_INLINE uint64_t
load_le64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}
#endif

/* the hint at p (see `hint_scan`), for 1 <= p and p + 4 <= n */
static ALWAYS_INLINE int
hint_at(int kind, const void *data, Py_ssize_t n, Py_ssize_t p)
{
    Py_UCS4 s = PyUnicode_READ(kind, data, p - 1), c;
    Py_ssize_t r, q;
    if (s >= 128 || !IS_SEP[s])
        return 0;
    c = PyUnicode_READ(kind, data, p + 1);
    if (c != s || !is_alnum_at(kind, data, p))
        return 0;
    r = 1;
    while (r < 4 && p + 1 + r < n && PyUnicode_READ(kind, data, p + 1 + r) == s)
        r++;
    if (r > 3)
        return 0;
    q = p + 1 + r;  /* y */
    return q + 1 < n && is_alnum_at(kind, data, q) && PyUnicode_READ(kind, data, q + 1) == s;
}

static ALWAYS_INLINE int
hint_scan(int kind, const void *data, Py_ssize_t n)
{
    Py_ssize_t p = 1;
    /* p: the first letter or digit; s = text[p - 1] a separator, text[p + 1] = s too */
#if defined(__GNUC__) || defined(__clang__)
    if (kind == PyUnicode_1BYTE_KIND) {
        /* Eight positions at a time: a hint at p needs text[p - 1] == text[p + 1], so only the
         * positions of a block where that holds (exactly the zero bytes of the XOR of the block
         * and the block two characters on) are tried. Byte k of a word is text[i + k]. */
        const unsigned char *b = (const unsigned char *)data;
        const uint64_t low7 = 0x7F7F7F7F7F7F7F7FULL;
        Py_ssize_t i;
        for (i = 0; i + 12 <= n; i += 8) {  /* positions p = i + 1 .. i + 8, each with p + 4 <= n */
            uint64_t x, y, z, zero;
            x = load_le64(b + i);
            y = load_le64(b + i + 2);
            z = x ^ y;
            /* the high bit of each byte of z that is zero (exact: no carry crosses a byte) */
            zero = ~(((z & low7) + low7) | z | low7);
            while (zero) {
                if (hint_at(kind, data, n, i + 1 + (__builtin_ctzll(zero) >> 3)))
                    return 1;
                zero &= zero - 1;
            }
        }
        p = i + 1;
    }
#endif
    for (; p + 4 <= n; p++) {
        if (hint_at(kind, data, n, p))
            return 1;
    }
    return 0;
}

static PyObject *
spaced_hint(PyObject *module, PyObject *text)
{
    int kind, found;
    const void *data;
    Py_ssize_t n;
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "_cfold.spaced_hint takes a str");
        return NULL;
    }
    if (STR_READY(text) < 0)
        return NULL;
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    n = PyUnicode_GET_LENGTH(text);
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        found = hint_scan(PyUnicode_1BYTE_KIND, data, n);
        break;
    case PyUnicode_2BYTE_KIND:
        found = hint_scan(PyUnicode_2BYTE_KIND, data, n);
        break;
    default:
        found = hint_scan(PyUnicode_4BYTE_KIND, data, n);
        break;
    }
    return PyBool_FromLong(found);
}

/* -- words ------------------------------------------------------------------------------------ */

static inline uint64_t
mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

typedef struct {
    Py_ssize_t start, len;  /* len -1: empty */
    uint64_t hash;
} wslot;

static ALWAYS_INLINE int
is_split(Py_UCS4 c, const unsigned char *punct)
{
    if (c < 128)
        return punct[c];
    return Py_UNICODE_ISSPACE(c);
}

static ALWAYS_INLINE int
words_scan(int kind, const void *data, Py_ssize_t n, const unsigned char *punct, PyObject *text,
           PyObject *out)
{
    Py_ssize_t i = 0, cap = 64, used = 0, k;
    wslot *tab = PyMem_Malloc((size_t)cap * sizeof(wslot));
    if (tab == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (k = 0; k < cap; k++)
        tab[k].len = -1;
    while (i < n) {
        Py_ssize_t ts, tl, j;
        uint64_t h = 1469598103934665603ULL;
        while (i < n && is_split(PyUnicode_READ(kind, data, i), punct))
            i++;
        if (i >= n)
            break;
        ts = i;
        while (i < n) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (is_split(c, punct))
                break;
            h = (h ^ (uint64_t)c) * 1099511628211ULL;
            i++;
        }
        tl = i - ts;
        if (2 * (used + 1) > cap) {  /* grow */
            Py_ssize_t ncap = cap * 2;
            wslot *nt;
            if ((size_t)ncap > PY_SSIZE_T_MAX / sizeof(wslot)) {
                PyMem_Free(tab);
                PyErr_NoMemory();
                return -1;
            }
            nt = PyMem_Malloc((size_t)ncap * sizeof(wslot));
            if (nt == NULL) {
                PyMem_Free(tab);
                PyErr_NoMemory();
                return -1;
            }
            for (k = 0; k < ncap; k++)
                nt[k].len = -1;
            for (k = 0; k < cap; k++) {
                if (tab[k].len >= 0) {
                    j = (Py_ssize_t)(mix64(tab[k].hash) & (uint64_t)(ncap - 1));
                    while (nt[j].len >= 0)
                        j = (j + 1) & (ncap - 1);
                    nt[j] = tab[k];
                }
            }
            PyMem_Free(tab);
            tab = nt;
            cap = ncap;
        }
        j = (Py_ssize_t)(mix64(h) & (uint64_t)(cap - 1));
        for (;;) {
            if (tab[j].len < 0) {
                PyObject *w = PyUnicode_Substring(text, ts, ts + tl);
                if (w == NULL || PyList_Append(out, w) < 0) {
                    Py_XDECREF(w);
                    PyMem_Free(tab);
                    return -1;
                }
                Py_DECREF(w);
                tab[j].start = ts;
                tab[j].len = tl;
                tab[j].hash = h;
                used++;
                break;
            }
            if (tab[j].hash == h && tab[j].len == tl) {
                Py_ssize_t o = tab[j].start, m = 0;
                while (m < tl && PyUnicode_READ(kind, data, o + m) == PyUnicode_READ(kind, data, ts + m))
                    m++;
                if (m == tl)
                    break;  /* seen */
            }
            j = (j + 1) & (cap - 1);
        }
    }
    PyMem_Free(tab);
    return 0;
}

static PyObject *
words(PyObject *module, PyObject *args)
{
    PyObject *text, *punct_s, *out, *frozen;
    unsigned char punct[128];
    int kind, pk, rc;
    const void *data, *pdata;
    Py_ssize_t n, k, np;
    if (!PyArg_ParseTuple(args, "UU:words", &text, &punct_s))
        return NULL;
    if (STR_READY(text) < 0 || STR_READY(punct_s) < 0)
        return NULL;
    memset(punct, 0, sizeof punct);
    for (k = 0; k < 128; k++)
        punct[k] = Py_UNICODE_ISSPACE((Py_UCS4)k) ? 1 : 0;
    pk = PyUnicode_KIND(punct_s);
    pdata = PyUnicode_DATA(punct_s);
    np = PyUnicode_GET_LENGTH(punct_s);
    for (k = 0; k < np; k++) {
        Py_UCS4 c = PyUnicode_READ(pk, pdata, k);
        if (c >= 128) {
            PyErr_SetString(PyExc_ValueError, "_cfold.words: punct must be ASCII");
            return NULL;
        }
        punct[c] = 1;
    }
    out = PyList_New(0);  /* the distinct words, frozen at the end */
    if (out == NULL)
        return NULL;
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    n = PyUnicode_GET_LENGTH(text);
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        rc = words_scan(PyUnicode_1BYTE_KIND, data, n, punct, text, out);
        break;
    case PyUnicode_2BYTE_KIND:
        rc = words_scan(PyUnicode_2BYTE_KIND, data, n, punct, text, out);
        break;
    default:
        rc = words_scan(PyUnicode_4BYTE_KIND, data, n, punct, text, out);
        break;
    }
    if (rc < 0) {
        Py_DECREF(out);
        return NULL;
    }
    frozen = PyFrozenSet_New(out);
    Py_DECREF(out);
    return frozen;
}

/* -- blob_runs -------------------------------------------------------------------------------- */

static unsigned char BLOB_CHAR[128];  /* A-Z a-z 0-9 + / = _ -, filled at import */

static ALWAYS_INLINE int
blob_char_at(int kind, const void *data, Py_ssize_t i)
{
    Py_UCS4 c = PyUnicode_READ(kind, data, i);
    return c < 128 && BLOB_CHAR[c];
}

/* out.append((a, b)); -1 with an exception set on failure */
static int
append_pair(PyObject *out, Py_ssize_t a, Py_ssize_t b)
{
    PyObject *t = Py_BuildValue("(nn)", a, b);
    int rc = t == NULL ? -1 : PyList_Append(out, t);
    Py_XDECREF(t);
    return rc;
}

/* the runs of `blob_runs` appended to out; -1 on error. Called with a constant kind (one loop per
 * string kind). */
static ALWAYS_INLINE int
runs_scan(int kind, const void *data, Py_ssize_t n, PyObject *out)
{
    Py_ssize_t i = 0;
    while (i < n) {
        Py_ssize_t s;
        while (i < n && !blob_char_at(kind, data, i))
            i++;
        s = i;
        while (i < n && blob_char_at(kind, data, i))
            i++;
        if (i - s >= 16 && append_pair(out, s, i) < 0)
            return -1;
    }
    return 0;
}

static unsigned char BLOB_CHAR256[256];  /* BLOB_CHAR over the 1-byte code points */

/* `runs_scan` of a 1-byte string. A run of 16 or more characters holds all 8 characters of some
 * block t[8k : 8k + 8], so only blocks whose 8 characters are all in the alphabet are looked at
 * closer (8 independent look-ups per block, no branch per character: prose, whose words are
 * shorter than that, has hardly any such block). */
static int
runs_scan1(const Py_UCS1 *t, Py_ssize_t n, PyObject *out)
{
    Py_ssize_t b = 0, done = 0;  /* runs ending at or before `done` are recorded */
    for (b = 0; b + 8 <= n; b += 8) {
        const Py_UCS1 *p = t + b;
        Py_ssize_t s, e;
        if (!(BLOB_CHAR256[p[0]] & BLOB_CHAR256[p[1]] & BLOB_CHAR256[p[2]] & BLOB_CHAR256[p[3]]
              & BLOB_CHAR256[p[4]] & BLOB_CHAR256[p[5]] & BLOB_CHAR256[p[6]] & BLOB_CHAR256[p[7]]))
            continue;
        if (b < done)
            continue;  /* inside the run found last */
        s = b;
        while (s > 0 && BLOB_CHAR256[t[s - 1]])
            s--;
        e = b + 8;
        while (e < n && BLOB_CHAR256[t[e]])
            e++;
        done = e;
        if (e - s < 16)
            continue;
        if (append_pair(out, s, e) < 0)
            return -1;
    }
    return 0;
}

/* blob_runs(text) -> [(start, end), ...]: the maximal runs of BLOB_CHAR of 16 or more characters
 * (a character outside ASCII is outside the alphabet), for a string of any kind */
static PyObject *
blob_runs(PyObject *module, PyObject *text)
{
    PyObject *out;
    int kind, rc;
    const void *data;
    Py_ssize_t n;
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "_cfold.blob_runs takes a str");
        return NULL;
    }
    if (STR_READY(text) < 0)
        return NULL;
    out = PyList_New(0);
    if (out == NULL)
        return NULL;
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    n = PyUnicode_GET_LENGTH(text);
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        rc = runs_scan1((const Py_UCS1 *)data, n, out);
        break;
    case PyUnicode_2BYTE_KIND:
        rc = runs_scan(PyUnicode_2BYTE_KIND, data, n, out);
        break;
    default:
        rc = runs_scan(PyUnicode_4BYTE_KIND, data, n, out);
        break;
    }
    if (rc < 0) {
        Py_DECREF(out);
        return NULL;
    }
    return out;
}

/* -- ranges ----------------------------------------------------------------------------------- */

/* ranges(pairs) -> bytes: every integer of each [start, stop) in pairs, in order, as native C ints
 * (what array("i").frombytes reads) */
static PyObject *
ranges(PyObject *module, PyObject *pairs)
{
    PyObject *fast, *out = NULL;
    Py_ssize_t n, k, total = 0;
    int *dst;
    fast = PySequence_Tuple(pairs);
    if (fast == NULL)
        return NULL;
    n = PyTuple_GET_SIZE(fast);
    for (k = 0; k < n; k++) {  /* validate and count first */
        PyObject *item = PyTuple_GET_ITEM(fast, k);
        long a, b;
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) {
            PyErr_SetString(PyExc_TypeError, "_cfold.ranges: pairs are (start, stop) tuples");
            goto done;
        }
        a = PyLong_AsLong(PyTuple_GET_ITEM(item, 0));
        if (a == -1 && PyErr_Occurred())
            goto done;
        b = PyLong_AsLong(PyTuple_GET_ITEM(item, 1));
        if (b == -1 && PyErr_Occurred())
            goto done;
        if (a < 0 || b < a || b > INT_MAX) {
            PyErr_SetString(PyExc_ValueError, "_cfold.ranges: need 0 <= start <= stop <= INT_MAX");
            goto done;
        }
        if (total > PY_SSIZE_T_MAX / (Py_ssize_t)sizeof(int) - (b - a)) {
            PyErr_NoMemory();
            goto done;
        }
        total += b - a;
    }
    out = PyBytes_FromStringAndSize(NULL, total * (Py_ssize_t)sizeof(int));
    if (out == NULL)
        goto done;
    dst = (int *)PyBytes_AS_STRING(out);
    for (k = 0; k < n; k++) {
        PyObject *item = PyTuple_GET_ITEM(fast, k);
        long a = PyLong_AsLong(PyTuple_GET_ITEM(item, 0)), b = PyLong_AsLong(PyTuple_GET_ITEM(item, 1)), v;
        for (v = a; v < b; v++)
            *dst++ = (int)v;
    }
done:
    Py_DECREF(fast);
    return out;
}

/* -- lower_ascii ------------------------------------------------------------------------------- */

/* lower_ascii(text) == text.lower() for an ASCII str (a new str), in a loop the compiler turns
 * into vector instructions (str.lower goes through a per-character table: ~5 us for 20 KB). */
static PyObject *
lower_ascii(PyObject *module, PyObject *text)
{
    PyObject *out;
    const unsigned char *src;
    unsigned char *dst;
    Py_ssize_t n, i;
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "lower_ascii: a str is needed");
        return NULL;
    }
    if (STR_READY(text) < 0)
        return NULL;
    if (!PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_ValueError, "lower_ascii: the text is not ASCII");
        return NULL;
    }
    n = PyUnicode_GET_LENGTH(text);
    out = PyUnicode_New(n, 127);
    if (out == NULL)
        return NULL;
    src = PyUnicode_1BYTE_DATA(text);
    dst = PyUnicode_1BYTE_DATA(out);
    i = 0;
    /* 8 bytes at a time (all below 0x80): b + 0x3f reaches 0x80 from 'A' on, b + 0x25 from '['
     * on, and no byte carries into the next; upper case where exactly one did: add 0x20 there */
    for (; i + 8 <= n; i += 8) {
        const uint64_t ones = 0x0101010101010101ULL;
        uint64_t x, up;
        memcpy(&x, src + i, 8);
        up = ((x + ones * 0x3f) ^ (x + ones * 0x25)) & (ones * 0x80);
        x |= up >> 2;
        memcpy(dst + i, &x, 8);
    }
    for (; i < n; i++) {
        unsigned char c = src[i];
        dst[i] = (unsigned char)(c + (((unsigned char)(c - 'A') < 26) << 5));
    }
    return out;
}

/* -- redact ------------------------------------------------------------------------------------ */

/* `n` characters of `src` from `from` into `out` at `w`. Between two one-byte strings a memcpy (the
 * caller has read the kept characters' maximum, so an ASCII `out` only gets ASCII):
 * PyUnicode_CopyCharacters from a Latin-1 string into an ASCII one checks the first `n` characters
 * of the source, not the `n` from `from`, and fails on "%A\u00b5 KA bypass" with its middle redacted
 * (CPython 3.11) */
static int
copy_span(PyObject *out, Py_ssize_t w, PyObject *src, Py_ssize_t from, Py_ssize_t n)
{
    if (n <= 0)
        return 0;
    if (PyUnicode_KIND(out) == PyUnicode_1BYTE_KIND && PyUnicode_KIND(src) == PyUnicode_1BYTE_KIND) {
        memcpy(PyUnicode_1BYTE_DATA(out) + w, PyUnicode_1BYTE_DATA(src) + from, (size_t)n);
        return 0;
    }
    return PyUnicode_CopyCharacters(out, w, src, from, n) < 0 ? -1 : 0;
}

/* redact(text, findings, finding_type) == `_anonymize.apply_spans(text, findings, "redact")` when
 * findings is a list or tuple of objects of exactly finding_type, in order (0 <= start < end <=
 * len(text), each starting at or after the end of the one before) and with str or None kinds:
 * each span replaced by "<" + (entity_type or rule or "finding") + ">", the text built once
 * (no substring per span). None otherwise: the caller then takes its Python path. */
static PyObject *
redact(PyObject *module, PyObject *args)
{
    PyObject *text, *findings, *ftype, *out = NULL, **kinds = NULL;
    Py_ssize_t n, k, tlen, pos = 0, total, *st = NULL, *en = NULL, w;
    Py_UCS4 maxchar;
    static PyObject *s_start, *s_end, *s_et, *s_rule, *s_finding;
    if (!PyArg_ParseTuple(args, "UOO:redact", &text, &findings, &ftype))
        return NULL;
    if (s_start == NULL) {
        s_start = PyUnicode_InternFromString("start");
        s_end = PyUnicode_InternFromString("end");
        s_et = PyUnicode_InternFromString("entity_type");
        s_rule = PyUnicode_InternFromString("rule");
        s_finding = PyUnicode_InternFromString("finding");
        if (!s_start || !s_end || !s_et || !s_rule || !s_finding)
            return NULL;
    }
    if (!PyList_CheckExact(findings) && !PyTuple_CheckExact(findings))
        Py_RETURN_NONE;
    if (STR_READY(text) < 0)
        return NULL;
    tlen = PyUnicode_GET_LENGTH(text);
    n = PySequence_Fast_GET_SIZE(findings);
    total = tlen;
    maxchar = PyUnicode_MAX_CHAR_VALUE(text);
    st = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_ssize_t));
    en = PyMem_Malloc((size_t)(n + 1) * sizeof(Py_ssize_t));
    kinds = PyMem_Calloc((size_t)(n + 1), sizeof(PyObject *));
    if (!st || !en || !kinds) {
        PyErr_NoMemory();
        goto done;
    }
    for (k = 0; k < n; k++) {
        /* (a list may change size while attributes are read: take the item again each time) */
        PyObject *f, *v, *kind = NULL;
        Py_ssize_t s, e;
        if (k >= PySequence_Fast_GET_SIZE(findings))
            goto fallback;
        f = PySequence_Fast_GET_ITEM(findings, k);
        if ((PyObject *)Py_TYPE(f) != ftype)
            goto fallback;
        Py_INCREF(f);
        v = PyObject_GetAttr(f, s_start);
        s = (v != NULL && PyLong_CheckExact(v)) ? PyLong_AsSsize_t(v) : -1;
        Py_XDECREF(v);
        v = PyObject_GetAttr(f, s_end);
        e = (v != NULL && PyLong_CheckExact(v)) ? PyLong_AsSsize_t(v) : -1;
        Py_XDECREF(v);
        if (PyErr_Occurred()) {
            Py_DECREF(f);
            PyErr_Clear();
            goto fallback;
        }
        if (s < pos || e <= s || e > tlen) {
            Py_DECREF(f);
            goto fallback;
        }
        v = PyObject_GetAttr(f, s_et);
        if (v != NULL && PyUnicode_CheckExact(v) && PyUnicode_GET_LENGTH(v) > 0)
            kind = v;
        else if (v == NULL || v == Py_None || PyUnicode_CheckExact(v)) {
            Py_XDECREF(v);
            v = PyObject_GetAttr(f, s_rule);
            if (v != NULL && PyUnicode_CheckExact(v) && PyUnicode_GET_LENGTH(v) > 0)
                kind = v;
            else if (v == NULL || v == Py_None || PyUnicode_CheckExact(v)) {
                Py_XDECREF(v);
                kind = s_finding;
                Py_INCREF(kind);
            }
            else
                Py_DECREF(v);
        }
        else
            Py_DECREF(v);
        Py_DECREF(f);
        if (kind == NULL) {  /* a kind that is no str (or an attribute that failed): Python decides */
            PyErr_Clear();
            goto fallback;
        }
        if (STR_READY(kind) < 0) {
            Py_DECREF(kind);
            goto done;
        }
        kinds[k] = kind;
        st[k] = s;
        en[k] = e;
        total += PyUnicode_GET_LENGTH(kind) + 2 - (e - s);
        if (PyUnicode_MAX_CHAR_VALUE(kind) > maxchar)
            maxchar = PyUnicode_MAX_CHAR_VALUE(kind);
        pos = e;
    }
    if (!PyUnicode_IS_ASCII(text)) {
        /* the kept characters' own maximum: a str must be of the narrowest kind that holds it
         * (a full-width card number redacted out of an otherwise ASCII text leaves ASCII) */
        int tk = PyUnicode_KIND(text);
        const void *td = PyUnicode_DATA(text);
        Py_ssize_t i, from = 0;
        maxchar = 127;
        for (k = 0; k <= n; k++) {
            Py_ssize_t to = k < n ? st[k] : tlen;
            for (i = from; i < to; i++) {
                Py_UCS4 c = PyUnicode_READ(tk, td, i);
                if (c > maxchar)
                    maxchar = c;
            }
            if (k < n) {
                if (PyUnicode_MAX_CHAR_VALUE(kinds[k]) > maxchar)
                    maxchar = PyUnicode_MAX_CHAR_VALUE(kinds[k]);
                from = en[k];
            }
        }
    }
    out = PyUnicode_New(total, maxchar);
    if (out == NULL)
        goto done;
    pos = 0;
    w = 0;
    for (k = 0; k < n; k++) {
        Py_ssize_t kl = PyUnicode_GET_LENGTH(kinds[k]);
        if (copy_span(out, w, text, pos, st[k] - pos) < 0)
            goto fail;
        w += st[k] - pos;
        PyUnicode_WRITE(PyUnicode_KIND(out), PyUnicode_DATA(out), w, '<');
        w++;
        if (copy_span(out, w, kinds[k], 0, kl) < 0)
            goto fail;
        w += kl;
        PyUnicode_WRITE(PyUnicode_KIND(out), PyUnicode_DATA(out), w, '>');
        w++;
        pos = en[k];
    }
    if (copy_span(out, w, text, pos, tlen - pos) < 0)
        goto fail;
    goto done;
fail:
    Py_CLEAR(out);
    goto done;
fallback:
    out = Py_None;
    Py_INCREF(out);
done:
    if (kinds != NULL) {
        for (k = 0; k < n; k++)
            Py_XDECREF(kinds[k]);
    }
    PyMem_Free(kinds);
    PyMem_Free(st);
    PyMem_Free(en);
    return out;
}

/* -- map_chars -------------------------------------------------------------------------------- */

/* the table's text for c (borrowed), or NULL when c is not in it; -1 in *err on error */
static ALWAYS_INLINE PyObject *
rep_of(Py_UCS4 c, const uint16_t *index, PyObject *reps, PyObject *astral, int *err)
{
    if (c < 0x10000) {
        uint16_t k = index[c];
        return k ? PyTuple_GET_ITEM(reps, k - 1) : NULL;
    }
    {
        PyObject *key = PyLong_FromUnsignedLong(c), *r;
        if (key == NULL) {
            *err = -1;
            return NULL;
        }
        r = PyDict_GetItemWithError(astral, key);
        Py_DECREF(key);
        if (r == NULL && PyErr_Occurred())
            *err = -1;
        else if (r != NULL && !PyUnicode_Check(r)) {
            PyErr_SetString(PyExc_TypeError, "map_chars: the table maps to str");
            *err = -1;
            return NULL;
        }
        return r;
    }
}

static PyObject *
map_chars(PyObject *module, PyObject *args)
{
    PyObject *text, *reps, *astral, *view = NULL, *ent = NULL, *out = NULL;
    Py_buffer ib;
    const uint16_t *index;
    int kind, err = 0, changed = 0;
    const void *data;
    Py_ssize_t n, i, vlen = 0, nent = 0, cap = 0, k;
    Py_UCS4 maxchar = 0;
    int64_t *e = NULL;
    if (!PyArg_ParseTuple(args, "Uy*O!O!:map_chars", &text, &ib, &PyTuple_Type, &reps, &PyDict_Type, &astral))
        return NULL;
    if (ib.len != 65536 * (Py_ssize_t)sizeof(uint16_t)) {
        PyErr_SetString(PyExc_ValueError, "map_chars: index must be 65536 uint16");
        goto done;
    }
    for (k = 0; k < PyTuple_GET_SIZE(reps); k++) {
        if (!PyUnicode_Check(PyTuple_GET_ITEM(reps, k)) || STR_READY(PyTuple_GET_ITEM(reps, k)) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "map_chars: reps must be str");
            goto done;
        }
    }
    index = (const uint16_t *)ib.buf;
    if (STR_READY(text) < 0)
        goto done;
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    n = PyUnicode_GET_LENGTH(text);
    /* pass 1: the view's length and widest character, and whether anything is replaced */
    for (i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        PyObject *r;
        Py_ssize_t rl, j;
        if (c < 128) {
            vlen++;
            if (c > maxchar)
                maxchar = c;
            continue;
        }
        r = rep_of(c, index, reps, astral, &err);
        if (err)
            goto done;
        if (r == NULL) {
            vlen++;
            if (c > maxchar)
                maxchar = c;
            continue;
        }
        if (STR_READY(r) < 0)
            goto done;
        changed = 1;
        rl = PyUnicode_GET_LENGTH(r);
        if (rl != 1)
            nent++;
        vlen += rl;
        for (j = 0; j < rl; j++) {
            Py_UCS4 d = PyUnicode_READ_CHAR(r, j);
            if (d > maxchar)
                maxchar = d;
        }
    }
    if (!changed) {
        out = Py_NewRef(Py_None);
        goto done;
    }
    view = PyUnicode_New(vlen, maxchar);
    if (view == NULL)
        goto done;
    cap = nent;
    if (cap) {
        e = PyMem_Malloc((size_t)cap * 4 * sizeof(int64_t));
        if (e == NULL) {
            PyErr_NoMemory();
            goto done;
        }
    }
    /* pass 2: write the view and the entries */
    {
        int vkind = PyUnicode_KIND(view);
        void *vdata = PyUnicode_DATA(view);
        Py_ssize_t v = 0, m = 0;
        for (i = 0; i < n; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            PyObject *r = c < 128 ? NULL : rep_of(c, index, reps, astral, &err);
            Py_ssize_t rl, j;
            if (err)
                goto done;
            if (r == NULL) {
                PyUnicode_WRITE(vkind, vdata, v, c);
                v++;
                continue;
            }
            rl = PyUnicode_GET_LENGTH(r);
            if (rl != 1 && m < cap) {
                e[4 * m] = v;
                e[4 * m + 1] = v + rl;
                e[4 * m + 2] = i;
                e[4 * m + 3] = i + 1;
                m++;
            }
            for (j = 0; j < rl; j++)
                PyUnicode_WRITE(vkind, vdata, v + j, PyUnicode_READ_CHAR(r, j));
            v += rl;
        }
        ent = PyBytes_FromStringAndSize((const char *)e, (Py_ssize_t)(m * 4 * (Py_ssize_t)sizeof(int64_t)));
        if (ent == NULL)
            goto done;
    }
    out = PyTuple_Pack(2, view, ent);
done:
    PyMem_Free(e);
    Py_XDECREF(view);
    Py_XDECREF(ent);
    PyBuffer_Release(&ib);
    return out;
}

/* -- long_runs -------------------------------------------------------------------------------- */

/* -- shape ------------------------------------------------------------------------------------ */

/* character classes of `shape`, for code points below 256: bit 1 whitespace (str.isspace()),
 * bit 2 a digit, bit 4 a character of bytes written as numbers other than a digit (hex letters,
 * "x", "X", space, tab, ",", ";", ":", backslash) */
static unsigned char shape_cls[256];
/* from shape_cls: bit 1 a digit, bit 2 a byte that ends a stretch of digits (neither a digit nor
 * another character of bytes written as numbers) */
static unsigned char digit_cls[256];
static int shape_ready = 0;

static void
shape_init(void)
{
    const char *other = "abcdefABCDEFxX \t,;:\\";
    int c;
    for (c = 0; c < 256; c++)
        shape_cls[c] = (unsigned char)(Py_UNICODE_ISSPACE((Py_UCS4)c) ? 1 : 0);
    for (c = '0'; c <= '9'; c++)
        shape_cls[c] |= 2;
    for (; *other; other++)
        shape_cls[(unsigned char)*other] |= 4;
    for (c = 0; c < 256; c++)
        digit_cls[c] = (unsigned char)(((shape_cls[c] & 2) ? 1 : 0) | ((shape_cls[c] & 6) ? 0 : 2));
    shape_ready = 1;
}

/* one character's class into the digit count: a digit counts (and may be the longest stretch), a
 * character of bytes written as numbers keeps the count, anything else ends it */
static inline void
digit_step(unsigned char k, Py_ssize_t *digits, Py_ssize_t *best)
{
    if (k & 2) {
        if (++*digits > *best)
            *best = *digits;
    }
    else if (!(k & 4))
        *digits = 0;
}

static PyObject *
shape(PyObject *module, PyObject *args)
{
    PyObject *text, *runs, *out;
    Py_ssize_t min_len, cap, n, i, start = -1, digits = 0, best = 0;
    int kind;
    const void *data;
    if (!PyArg_ParseTuple(args, "Unn:shape", &text, &min_len, &cap))
        return NULL;
    if (STR_READY(text) < 0)
        return NULL;
    if (min_len < 1)
        min_len = 1;
    if (!shape_ready)
        shape_init();
    runs = PyList_New(0);
    if (runs == NULL)
        return NULL;
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    n = PyUnicode_GET_LENGTH(text);
    if (kind == PyUnicode_1BYTE_KIND) {
        /* (the common case: one tight loop for the runs, which notes whether any digit occurs,
         * and a second pass for the digits only when one does) */
        const Py_UCS1 *b = (const Py_UCS1 *)data;
        unsigned char seen = 0;  /* the OR of the classes of every byte (is there a digit?) */
        Py_ssize_t done = 0;
        if (min_len >= 15) {
            /* a run of 15 or more holds a whole aligned block of 8 non-space bytes: only such
             * blocks are looked at (prose, whose words are shorter, has hardly any); the classes
             * each block ORs go into `seen` too, so the text is read once */
            Py_ssize_t blk;
            for (blk = 0; blk + 8 <= n && PyList_GET_SIZE(runs) < cap; blk += 8) {
                const Py_UCS1 *p = b + blk;
                Py_ssize_t st, en;
                unsigned char k = (unsigned char)(shape_cls[p[0]] | shape_cls[p[1]] | shape_cls[p[2]] | shape_cls[p[3]]
                                                  | shape_cls[p[4]] | shape_cls[p[5]] | shape_cls[p[6]] | shape_cls[p[7]]);
                seen |= k;
                if (k & 1)
                    continue;
                if (blk < done)
                    continue;  /* inside the run found last */
                st = blk;
                while (st > 0 && !(shape_cls[b[st - 1]] & 1))
                    st--;
                en = blk + 8;
                while (en < n && !(shape_cls[b[en]] & 1))
                    en++;
                done = en;
                if (en - st >= min_len && append_pair(runs, st, en) < 0) {
                    Py_DECREF(runs);
                    return NULL;
                }
            }
            for (i = blk; i < n; i++)  /* the bytes no block read (the tail, or all after the cap) */
                seen |= shape_cls[b[i]];
        }
        else {
            for (i = 0; i < n; i++)
                seen |= shape_cls[b[i]];
            i = 0;
            while (i < n && PyList_GET_SIZE(runs) < cap) {
                Py_ssize_t st;
                while (i < n && (shape_cls[b[i]] & 1))
                    i++;
                if (i >= n)
                    break;
                st = i;
                while (i < n && !(shape_cls[b[i]] & 1))
                    i++;
                if (i - st >= min_len && append_pair(runs, st, i) < 0) {
                    Py_DECREF(runs);
                    return NULL;
                }
            }
        }
        if (seen & 2) {
            /* blocks of 8 bytes without a digit (most of a text with a few numbers) only reset the
             * count, when one of their bytes is no character of bytes written as numbers */
            for (i = 0; i + 8 <= n; i += 8) {
                const Py_UCS1 *p = b + i;
                Py_ssize_t j;
                unsigned char m = (unsigned char)(digit_cls[p[0]] | digit_cls[p[1]] | digit_cls[p[2]] | digit_cls[p[3]]
                                                  | digit_cls[p[4]] | digit_cls[p[5]] | digit_cls[p[6]] | digit_cls[p[7]]);
                if (!(m & 1)) {
                    if (m & 2)
                        digits = 0;
                    continue;
                }
                for (j = i; j < i + 8; j++)
                    digit_step(shape_cls[b[j]], &digits, &best);
            }
            for (; i < n; i++)
                digit_step(shape_cls[b[i]], &digits, &best);
        }
        return Py_BuildValue("(Nn)", runs, best);
    }
    for (i = 0; i <= n; i++) {
        unsigned char k;
        if (i >= n)
            k = 1;
        else {
            Py_UCS4 ch = PyUnicode_READ(kind, data, i);
            k = ch < 256 ? shape_cls[ch] : (Py_UNICODE_ISSPACE(ch) ? 1 : 0);
        }
        digit_step(k, &digits, &best);
        if (!(k & 1)) {
            if (start < 0)
                start = i;
            continue;
        }
        if (start >= 0 && i - start >= min_len && PyList_GET_SIZE(runs) < cap && append_pair(runs, start, i) < 0) {
            Py_DECREF(runs);
            return NULL;
        }
        start = -1;
    }
    out = Py_BuildValue("(Nn)", runs, best);
    return out;
}

static PyObject *
release_heap(PyObject *self, PyObject *unused)
{
#if defined(__GLIBC__)
    int released;
    Py_BEGIN_ALLOW_THREADS
    released = malloc_trim(0);
    Py_END_ALLOW_THREADS
    return PyBool_FromLong(released);
#else
    Py_RETURN_NONE;
#endif
}

static PyMethodDef methods[] = {
    {"map_chars", map_chars, METH_VARARGS,
     "map_chars(text, index, reps, astral) -> None, or (view, offsets entries as int64 quadruples)"},
    {"redact", redact, METH_VARARGS,
     "redact(text, findings, finding_type) -> the text with each finding's span as <KIND>, or None"},
    {"lower_ascii", lower_ascii, METH_O, "lower_ascii(text) -> text.lower(), for an ASCII str"},
    {"spaced_hint", spaced_hint, METH_O,
     "spaced_hint(text) -> whether a run of letters spaced out one by one may start in text"},
    {"words", words, METH_VARARGS,
     "words(text, punct) -> frozenset of the words of text split at whitespace and punct"},
    {"ranges", ranges, METH_O, "ranges(pairs) -> bytes of the C ints in every [start, stop) of pairs"},
    {"blob_runs", blob_runs, METH_O,
     "blob_runs(text) -> [(start, end), ...] of the runs of 16 or more base64/hex alphabet characters"},
    {"shape", shape, METH_VARARGS,
     "shape(text, n, cap) -> (the first cap runs of n or more non-space characters, the most digits in "
     "a stretch of bytes written as numbers)"},
    {"release_heap", release_heap, METH_NOARGS,
     "release_heap() -> whether glibc's malloc_trim(0) gave memory back to the system (None: not glibc)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "guardwrap._text._cfold",
    "The matching view's per-character loops (reference: guardwrap._text._fold).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__cfold(void)
{
    const char *c;
    for (c = SEPS; *c; c++)
        IS_SEP[(unsigned char)*c] = 1;
    {
        int b;
        for (b = 0; b < 128; b++) {
            BLOB_CHAR[b] = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '+'
                || b == '/' || b == '=' || b == '_' || b == '-';
            BLOB_CHAR256[b] = BLOB_CHAR[b];
        }
    }
    return PyModule_Create(&moduledef);
}
