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
 *   figure_at(view, s, decimal, group, mdy) -> tuple | None
 *       what `_claims.parse_figure` reads at the digits at s when it is a plain figure (a number with
 *       its currency, percentage, duration, magnitude, period, rate kind and amount roles) or a
 *       figure of a fixed shape (dates, times, sort codes, tax years, phone numbers); None for the
 *       rest (codes, ranges, a month name or a range before, four-digit numbers that may be years,
 *       a character near a rate or amount that case folding could take for a letter): the Python
 *       reads those. `_claims.parse_at` asks it first.
 *   figure_runs(view, pos, end, consumed, skip, k, decimal, group, mdy) -> tuple
 *       `_claims.extract`'s loop over the digit runs: figure_at at each run it would read, up to the
 *       first run figure_at leaves to the Python.
 *   entity_spans(view, heads) -> list[int] | None
 *       `_claims._entities_near` / `_entities` (product and fee names) as (start, end, core end)
 *       triples; entity_words() returns its word lists for the test against the Python's.
 *   lower_plain(text) -> str | None
 *       text.lower() for a text of ASCII and uncased signs (the sources' case-blind name lookups).
 *   screen_hits(view, hits, surface, off, nlen, flags, group, kind, starts, marks) -> list[int]
 *       the places found for a figure's needle less those where `SourceIndex._search` (or
 *       `_as_written`) would do nothing: its cheap tests (`_literal`, `_digit_bounds`,
 *       `_plausible`) run in C, so the Python loops only over the places it reads.
 *   next_kept(view, needle, lo, surface, off, flags, group, kind, starts, marks) -> int
 *       the same, one place at a time, found with str.find (needles the table does not key).
 *   read_support(view, hits, ...) -> None | (found, charged)
 *       `SourceIndex._search`'s loop over a figure's places (money, percent, duration, number).
 *   read_next(view, needle, lo, ...) -> None | (found, charged)
 *       the same over the places next_kept gives one after the other (needles of digits only).
 *   settle(view, table, claims, decimal, group, mdy, marks, starts, budget) -> (found, failed, charged)
 *       as_written's test and the lookups of plain figures and dates (their needles, screened and
 *       read as `SourceIndex._search` does with the kernel) for every claim of an answer at once:
 *       what `SourceIndex.settle_written` asks, so that `supports` has nothing left to do for the
 *       claims it finds.
 *   has_any(text, chars) -> bool
 *       whether text holds a character of chars (`_claimtext.fix`'s test, without a regex class).
 *   find_any(text, needles) -> bool
 *       whether any needle is in text (`_claims.exclusions`' anchors in one call).
 *   as_written(view, [(surface, mode), ...]) -> list[bool]
 *       for all the claims of an answer in one call, the first test of each one's lookup: the
 *       figure written in the sources as in the answer (`SourceIndex._as_written`), the name or
 *       quote as written (`SourceIndex._find_phrase`).
 *
 * Plain CPython C API (3.10-3.13), any str kind, linear in the input, no mutable global state.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/* doubles the runs' buffer (freed, with MemoryError set, when it cannot): 0 or -1 */
static int
scan_grow(Py_ssize_t **buf, Py_ssize_t *cap)
{
    Py_ssize_t ncap = *cap * 2;
    Py_ssize_t *grown = NULL;
    if ((size_t)ncap <= PY_SSIZE_T_MAX / sizeof(Py_ssize_t))
        grown = (Py_ssize_t *)PyMem_Realloc(*buf, (size_t)ncap * sizeof(Py_ssize_t));
    if (grown == NULL) {
        PyMem_Free(*buf);
        PyErr_NoMemory();
        return -1;
    }
    *buf = grown;
    *cap = ncap;
    return 0;
}

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
#if defined(__SSE2__)
    if (kind != PyUnicode_4BYTE_KIND) {
        /* sixteen characters at a time: the digits' bit mask, and the runs from its edges (bit i
         * of `before` is whether the character before i is a digit) */
        const __m128i zero = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
        Py_ssize_t i = start, a = -1;
        unsigned carry = 0;
        for (; i + 16 <= end; i += 16) {
            __m128i x;
            if (kind == PyUnicode_1BYTE_KIND)
                x = _mm_loadu_si128((const __m128i *)(const void *)((const Py_UCS1 *)data + i));
            else { /* 2-byte: packed to bytes with saturation (wider than a byte: 0 or 255, no digit) */
                const Py_UCS2 *p = (const Py_UCS2 *)data + i;
                x = _mm_packus_epi16(_mm_loadu_si128((const __m128i *)(const void *)p),
                                     _mm_loadu_si128((const __m128i *)(const void *)(p + 8)));
            }
            const __m128i d = _mm_sub_epi8(x, zero);
            const unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(d, nine), d));
            const unsigned before = ((m << 1) | carry) & 0xFFFFu;
            unsigned edges = (m & ~before) | (~m & before & 0xFFFFu); /* starts and ends */
            carry = m >> 15;
            while (edges) {
                const int b = __builtin_ctz(edges);
                edges &= edges - 1;
                if (m & (1u << b)) {
                    a = i + b; /* a run starts */
                }
                else { /* a run ends */
                    if (count * 2 + 2 > cap && scan_grow(&buf, &cap) < 0)
                        return -1;
                    buf[count * 2] = a;
                    buf[count * 2 + 1] = i + b;
                    count++;
                }
            }
        }
        /* the rest one character at a time, a run open at i continuing */
        for (; i < end; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            const unsigned dig = c >= '0' && c <= '9';
            if (dig && !carry)
                a = i;
            else if (!dig && carry) {
                if (count * 2 + 2 > cap && scan_grow(&buf, &cap) < 0)
                    return -1;
                buf[count * 2] = a;
                buf[count * 2 + 1] = i;
                count++;
            }
            carry = dig;
        }
        if (carry) { /* a run reaching end is cut there */
            if (count * 2 + 2 > cap && scan_grow(&buf, &cap) < 0)
                return -1;
            buf[count * 2] = a;
            buf[count * 2 + 1] = end;
            count++;
        }
        *out = buf;
        return count;
    }
#endif
    if (kind == PyUnicode_1BYTE_KIND)
        SCAN_RUNS(Py_UCS1);
    else if (kind == PyUnicode_2BYTE_KIND)
        SCAN_RUNS(Py_UCS2);
    else
        SCAN_RUNS(Py_UCS4);
    *out = buf;
    return count;
}

/* the claim kinds, by code (K_*) */
static const char *const KIND_NAMES[] = {"money", "percent", "duration", "time", "number", "date", "code", "entity",
                                         "quote"};
enum { K_MONEY, K_PERCENT, K_DURATION, K_TIME, K_NUMBER, K_DATE, K_CODE, K_ENTITY, K_QUOTE, N_KINDS };
/* the kind names as interned str, made once at import (settle_names_init) and never changed */
static PyObject *kind_names[N_KINDS];

/* a claim kind's code: by identity first (the Python's kinds are interned literals), else by value;
 * -1 for another str */
static int
kind_code_of(PyObject *kind)
{
    for (int k = 0; k < N_KINDS; k++)
        if (kind == kind_names[k])
            return k;
    for (int k = 0; k < N_KINDS; k++)
        if (PyUnicode_CompareWithASCIIString(kind, KIND_NAMES[k]) == 0)
            return k;
    return -1;
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

/* -- find: str.find without the slow scan of 2-byte texts --------------------------------------
 *
 * The sources' view is a 2-byte str as soon as one source holds a euro sign, and str.find then
 * walks it at some 2 ns a character: a needle that is missing ("/26", "08:00") costs ~20 us over
 * 10 KB. fast_find looks for the needle's rarest character (by English letter frequency: capitals,
 * digits and signs before lower-case letters and spaces) with memchr (1-byte texts) or eight bytes
 * at a time (2 and 4 bytes), and compares the whole needle only where that character is. The
 * places of that character are visited in order, so the first match found is the leftmost:
 * exactly str.find. */

/* how common a character is in English text, lower is rarer (what the anchor is chosen by):
 * signs, capitals and other scripts, then digits, then lower-case letters, then the space */
static int
char_rank(Py_UCS4 c)
{
    static const char RARE_FIRST[] = "zqxjkvbpygfwmucldrhsnioate";
    if (c == ' ')
        return 64;
    if (c >= 'a' && c <= 'z')
        return 16 + (int)(strchr(RARE_FIRST, (int)c) - RARE_FIRST);
    if (c >= '0' && c <= '9')
        return 8;
    if (c == '.' || c == ',')
        return 12;
    return 1;
}

/* nonzero when some 2-byte lane of x is zero (the classic has-zero test: exact for "some lane") */
static inline uint64_t
zero_lane16(uint64_t x)
{
    return (x - 0x0001000100010001ULL) & ~x & 0x8000800080008000ULL;
}

/* the first i in [lo, hi) with text[i] == c, or -1 */
static Py_ssize_t
scan_char(int kind, const void *data, Py_ssize_t lo, Py_ssize_t hi, Py_UCS4 c)
{
    if (lo >= hi)
        return -1;
    if (kind == PyUnicode_1BYTE_KIND) {
        if (c > 0xFF)
            return -1;
        const Py_UCS1 *p = (const Py_UCS1 *)data;
        const Py_UCS1 *q = (const Py_UCS1 *)memchr(p + lo, (int)c, (size_t)(hi - lo));
        return q == NULL ? -1 : (Py_ssize_t)(q - p);
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        if (c > 0xFFFF)
            return -1;
        const Py_UCS2 *p = (const Py_UCS2 *)data;
        Py_ssize_t i = lo;
#if defined(__SSE2__)
        /* eight characters at a time */
        const __m128i want = _mm_set1_epi16((short)c);
        while (i + 8 <= hi) {
            const unsigned m = (unsigned)_mm_movemask_epi8(
                _mm_cmpeq_epi16(_mm_loadu_si128((const __m128i *)(const void *)(p + i)), want));
            if (m)
                return i + (Py_ssize_t)(__builtin_ctz(m) >> 1);
            i += 8;
        }
#endif
        const uint64_t spread = 0x0001000100010001ULL * (uint64_t)c;
        while (i + 4 <= hi) {
            uint64_t x;
            memcpy(&x, p + i, 8);
            if (zero_lane16(x ^ spread))
                break; /* a lane of these four may hold c: look at them one by one */
            i += 4;
        }
        for (; i < hi; i++)
            if (p[i] == (Py_UCS2)c)
                return i;
        return -1;
    }
    const Py_UCS4 *p = (const Py_UCS4 *)data;
    for (Py_ssize_t i = lo; i < hi; i++)
        if (p[i] == c)
            return i;
    return -1;
}

/* text.find(needle, start) for start >= 0 (-1: not found) */
static Py_ssize_t
fast_find(PyObject *text, PyObject *needle, Py_ssize_t start)
{
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text), m = PyUnicode_GET_LENGTH(needle);
    if (start > n)
        return -1;
    if (m == 0)
        return start;
    if (m > n - start)
        return -1;
    const int tk = PyUnicode_KIND(text), nk = PyUnicode_KIND(needle);
    if (nk > tk)
        return -1; /* the needle holds a character wider than any of the text's */
    const void *td = PyUnicode_DATA(text), *nd = PyUnicode_DATA(needle);
    Py_ssize_t a = 0;
    int best = 1 << 30;
    for (Py_ssize_t k = 0; k < m; k++) {
        int r = char_rank(PyUnicode_READ(nk, nd, k));
        if (r < best) {
            best = r;
            a = k;
        }
    }
    const Py_UCS4 c = PyUnicode_READ(nk, nd, a);
    Py_ssize_t lo = start + a;
    const Py_ssize_t hi = n - m + a + 1; /* the anchor's places that leave room for the needle */
    while (lo < hi) {
        Py_ssize_t p = scan_char(tk, td, lo, hi, c);
        if (p < 0)
            return -1;
        Py_ssize_t q = p - a;
        if (tk == nk) {
            if (memcmp((const char *)td + q * tk, nd, (size_t)(m * tk)) == 0)
                return q;
        }
        else {
            Py_ssize_t k = 0;
            while (k < m && PyUnicode_READ(tk, td, q + k) == PyUnicode_READ(nk, nd, k))
                k++;
            if (k == m)
                return q;
        }
        lo = p + 1;
    }
    return -1;
}

/* find_any(text, needles) -> bool: whether any of the needles (a tuple of str) is in text (one
 * call for `_claims.exclusions`' anchors, each found as find finds it) */
static PyObject *
find_any(PyObject *self, PyObject *args)
{
    PyObject *text, *needles;
    if (!PyArg_ParseTuple(args, "UO!:find_any", &text, &PyTuple_Type, &needles))
        return NULL;
    if (check_str(text, "find_any") < 0)
        return NULL;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(needles); k++) {
        PyObject *needle = PyTuple_GET_ITEM(needles, k);
        if (check_str(needle, "find_any") < 0)
            return NULL;
        if (fast_find(text, needle, 0) >= 0)
            Py_RETURN_TRUE;
    }
    Py_RETURN_FALSE;
}

/* has_any(text, chars) -> bool: whether text holds any character of chars (a short str): what
 * re.compile("[" + chars + "]").search(text) is not None answers, in one pass without the
 * regex engine's walk over a class (some nanoseconds a character) */
static PyObject *
has_any(PyObject *self, PyObject *args)
{
    PyObject *text, *chars;
    if (!PyArg_ParseTuple(args, "UU:has_any", &text, &chars))
        return NULL;
    if (check_str(text, "has_any") < 0 || check_str(chars, "has_any") < 0)
        return NULL;
    const int ck = PyUnicode_KIND(chars);
    const void *cd = PyUnicode_DATA(chars);
    const Py_ssize_t cn = PyUnicode_GET_LENGTH(chars);
    if (cn == 0)
        Py_RETURN_FALSE;
    Py_UCS4 lo = 0x10FFFF;
    for (Py_ssize_t k = 0; k < cn; k++) {
        Py_UCS4 c = PyUnicode_READ(ck, cd, k);
        if (c < lo)
            lo = c;
    }
    const int tk = PyUnicode_KIND(text);
    const void *td = PyUnicode_DATA(text);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    /* only characters at or above the smallest of chars need the membership test */
#define HAS_ANY(T)                                                                     \
    do {                                                                               \
        const T *p = (const T *)td;                                                    \
        for (Py_ssize_t i = 0; i < n; i++) {                                           \
            const Py_UCS4 c = p[i];                                                    \
            if (c < lo)                                                                \
                continue;                                                              \
            for (Py_ssize_t k = 0; k < cn; k++)                                        \
                if (PyUnicode_READ(ck, cd, k) == c)                                    \
                    Py_RETURN_TRUE;                                                    \
        }                                                                              \
    } while (0)
    if (tk == PyUnicode_1BYTE_KIND)
        HAS_ANY(Py_UCS1);
    else if (tk == PyUnicode_2BYTE_KIND)
        HAS_ANY(Py_UCS2);
    else
        HAS_ANY(Py_UCS4);
#undef HAS_ANY
    Py_RETURN_FALSE;
}

/* find(text, needle, start) -> int: text.find(needle, start) */
static PyObject *
find(PyObject *self, PyObject *args)
{
    PyObject *text, *needle;
    Py_ssize_t start;
    if (!PyArg_ParseTuple(args, "UUn:find", &text, &needle, &start))
        return NULL;
    if (check_str(text, "find") < 0 || check_str(needle, "find") < 0)
        return NULL;
    if (start < 0) { /* slice semantics, as str.find */
        start += PyUnicode_GET_LENGTH(text);
        if (start < 0)
            start = 0;
    }
    return PyLong_FromSsize_t(fast_find(text, needle, start));
}

/* -- RunTable: where the runs of digits of a text are, by their first and by their last 1, 2 or 3
 * digits (direct-address tables: no hashing, no Python object per run) ------------------------- */

#define AFFIX 3
#define NTABLES (2 * AFFIX)  /* t < AFFIX: the first t + 1 digits; else the last t - AFFIX + 1 */
static const Py_ssize_t TABLE_SIZE[NTABLES] = {10, 100, 1000, 10, 100, 1000};

typedef struct {
    PyObject_HEAD
    PyObject *text;               /* the str the runs were read from (a strong reference) */
    Py_ssize_t nruns;
    Py_ssize_t *runs;             /* (start, end) of each run, ascending */
    int32_t *next;                /* per run and table: the next run with the same key, or -1 */
    int32_t *head[NTABLES];       /* per table and key: the first run, or -1 */
    int32_t *count[NTABLES];      /* per table and key: how many runs (32 bits: the tables stay in cache) */
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
    t->runs = NULL;
    t->next = NULL;
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
    if (t->nruns > (Py_ssize_t)INT32_MAX / NTABLES) { /* run numbers are 32-bit */
        Py_DECREF(t);
        return PyErr_NoMemory();
    }
    t->next = PyMem_New(int32_t, (size_t)(t->nruns > 0 ? t->nruns : 1) * NTABLES);
    if (t->next == NULL) {
        Py_DECREF(t);
        return PyErr_NoMemory();
    }
    for (int k = 0; k < NTABLES; k++) {
        t->head[k] = PyMem_New(int32_t, (size_t)TABLE_SIZE[k]);
        t->count[k] = PyMem_New(int32_t, (size_t)TABLE_SIZE[k]);
        if (t->head[k] == NULL || t->count[k] == NULL) {
            Py_DECREF(t);
            return PyErr_NoMemory();
        }
        /* -1 and 0 in every entry (all bits set, all bits clear) */
        memset(t->head[k], 0xFF, sizeof(int32_t) * (size_t)TABLE_SIZE[k]);
        memset(t->count[k], 0, sizeof(int32_t) * (size_t)TABLE_SIZE[k]);
    }
    /* last run first: each run goes to the front of its lists, which then run in ascending order.
     * The tables' pointers and the runs in locals (the compiler cannot keep t's fields in
     * registers across the stores, which may alias them), the digits read at the text's width. */
    int32_t *heads[NTABLES], *counts[NTABLES];
    for (int k = 0; k < NTABLES; k++)
        heads[k] = t->head[k], counts[k] = t->count[k];
    const Py_ssize_t *rs = t->runs;
    int32_t *nx = t->next;
#define RUN_AFFIXES(T)                                                                          \
    do {                                                                                        \
        const T *p = (const T *)data;                                                           \
        for (Py_ssize_t r = t->nruns - 1; r >= 0; r--) {                                        \
            const Py_ssize_t ra = rs[r * 2], len = rs[r * 2 + 1] - ra;                          \
            const T *q = p + ra, *e = p + ra + len;                                             \
            /* the first and the last 1, 2 and 3 digits, each read as it is (no division) */     \
            Py_ssize_t affix[NTABLES];                                                          \
            affix[0] = q[0] - '0';                                                              \
            affix[AFFIX] = e[-1] - '0';                                                         \
            if (len >= 2) {                                                                     \
                affix[1] = affix[0] * 10 + (q[1] - '0');                                        \
                affix[AFFIX + 1] = (e[-2] - '0') * 10 + affix[AFFIX];                           \
            }                                                                                   \
            if (len >= 3) {                                                                     \
                affix[2] = affix[1] * 10 + (q[2] - '0');                                        \
                affix[AFFIX + 2] = (e[-3] - '0') * 100 + affix[AFFIX + 1];                      \
            }                                                                                   \
            int32_t *next = nx + r * NTABLES;                                                   \
            for (int k = 0; k < NTABLES; k++) {                                                 \
                if (len < k % AFFIX + 1) {                                                      \
                    next[k] = -1;                                                               \
                    continue;                                                                   \
                }                                                                               \
                const Py_ssize_t v = affix[k];                                                  \
                next[k] = heads[k][v];                                                          \
                heads[k][v] = (int32_t)r;                                                       \
                counts[k][v]++;                                                                 \
            }                                                                                   \
        }                                                                                       \
    } while (0)
    if (kind == PyUnicode_1BYTE_KIND)
        RUN_AFFIXES(Py_UCS1);
    else if (kind == PyUnicode_2BYTE_KIND)
        RUN_AFFIXES(Py_UCS2);
    else
        RUN_AFFIXES(Py_UCS4);
#undef RUN_AFFIXES
    return (PyObject *)t;
}

/* find_all(needle, lo): every q >= lo where text.startswith(needle, q), ascending, found through
 * the needle's runs of digits that lie between other characters of the needle (a whole run of
 * the text), or after one (the start of a run) or before one (the end of a run); None when the
 * needle has no such run (it is all digits, or has none): search the text then. */
static PyObject *runtable_find(RunTable *self, PyObject *needle, Py_ssize_t lo);

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
    return runtable_find(self, needle, lo);
}

/* find_all's places (needle a ready str, lo >= 0) */
/* The chain find_all walks for a needle: its first run, table and the needle's digits' span. */
typedef struct {
    Py_ssize_t r, table, a, b;
} Chain;

/* find_all's choice of chain for needle: 1 (chain set), 0 none (find_all's None) */
static int
runtable_chain(RunTable *self, PyObject *needle, Chain *ch);

/* the next place of the chain from ch->r on (q >= lo, the needle there), advancing ch; -1 at the end */
static Py_ssize_t
runtable_next(RunTable *self, PyObject *needle, Chain *ch, Py_ssize_t lo)
{
    const int nk = PyUnicode_KIND(needle), tk = PyUnicode_KIND(self->text);
    const void *nd = PyUnicode_DATA(needle), *td = PyUnicode_DATA(self->text);
    const Py_ssize_t m = PyUnicode_GET_LENGTH(needle), n = PyUnicode_GET_LENGTH(self->text);
    while (ch->r >= 0) {
        const Py_ssize_t r = ch->r;
        ch->r = self->next[r * NTABLES + ch->table];
        Py_ssize_t q = ch->table >= AFFIX ? self->runs[r * 2 + 1] - ch->b : self->runs[r * 2] - ch->a;
        if (q < lo || q > n - m || !same_span(tk, td, q, nk, nd, 0, m))
            continue;
        return q;
    }
    return -1;
}

static PyObject *
runtable_find(RunTable *self, PyObject *needle, Py_ssize_t lo)
{
    Chain ch;
    if (!runtable_chain(self, needle, &ch))
        Py_RETURN_NONE;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t q = runtable_next(self, needle, &ch, lo); q >= 0; q = runtable_next(self, needle, &ch, lo)) {
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

static int
runtable_chain(RunTable *self, PyObject *needle, Chain *ch)
{
    const int nk = PyUnicode_KIND(needle);
    const void *nd = PyUnicode_DATA(needle);
    const Py_ssize_t m = PyUnicode_GET_LENGTH(needle);
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
        return 0;
    ch->r = best, ch->table = best_table, ch->a = best_a, ch->b = best_b;
    return 1;
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
    /* eight bytes at a time past ASCII (no lane with a bit at or above 0x80), then one by one */
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *p = (const Py_UCS1 *)data;
        Py_ssize_t i = 0;
        while (i < n) {
            if (i + 8 <= n) {
                uint64_t x;
                memcpy(&x, p + i, 8);
                if ((x & 0x8080808080808080ULL) == 0) {
                    i += 8;
                    continue;
                }
            }
            if (!ok[p[i]])
                Py_RETURN_FALSE;
            i++;
        }
        Py_RETURN_TRUE;
    }
    if (kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *p = (const Py_UCS2 *)data;
        Py_ssize_t i = 0;
#if defined(__SSE2__)
        /* eight characters at a time; those at or above 0x80 (the "\u00a3" of every amount) are
         * checked one by one, without leaving the eight-at-a-time walk */
        const __m128i high = _mm_set1_epi16((short)0xFF80);
        for (; i + 8 <= n; i += 8) {
            const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            unsigned wide = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi16(_mm_and_si128(x, high), _mm_setzero_si128()));
            wide = ~wide & 0xFFFFu; /* two bits a character beyond ASCII */
            while (wide) {
                const Py_UCS2 c = p[i + __builtin_ctz(wide) / 2];
                if (c > 0xFF ? c != 0x20AC : !ok[c])
                    Py_RETURN_FALSE;
                wide &= wide - 1;
                wide &= wide - 1;
            }
        }
#endif
        while (i < n) {
            if (i + 4 <= n) {
                uint64_t x;
                memcpy(&x, p + i, 8);
                if ((x & 0xFF80FF80FF80FF80ULL) == 0) {
                    i += 4;
                    continue;
                }
            }
            if (p[i] > 0xFF ? p[i] != 0x20AC : !ok[p[i]])
                Py_RETURN_FALSE;
            i++;
        }
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

/* -- figure_at: `_claims.parse_at` for the common figures, or None ("ask the Python") -----------
 *
 * figure_at(view, s, decimal, group) -> None | (kind, start, after, number, mag, op, opn, unit,
 *                                               per, role, roles)
 *
 * What parse_at(view, s, g) returns when it is one plain figure: a number with its currency
 * (symbol or code before, word or code after), percentage, basis points, duration, magnitude,
 * period, rate kind and amount roles, not followed by a range. `number` is the text Decimal()
 * reads (digits without grouping, "." and the fraction); the value is
 * Decimal(number) [* mag] [/ opn (op 1) | * opn (op 2)], the operations parse_at does, in its
 * order. `roles` is a bit set (1 fee, 2 limit, 4 minimum, 8 repayment). Every other case (codes,
 * dates, times, phone and sort codes, ranges, a month name or a range before, numbers of four
 * digits that may be years, a character beyond ASCII that case folding could take for a letter
 * near the figure) answers None, and the caller runs the Python, which stays the reference
 * (tests/grounding/test_cground.py compares the two on generated texts). */

#define END ((Py_UCS4)0xFFFFFFFFu)

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Txt;

static inline Py_UCS4
AT(const Txt *t, Py_ssize_t i)
{
    return (i >= 0 && i < t->n) ? PyUnicode_READ(t->kind, t->data, i) : END;
}

static inline int is_dig(Py_UCS4 c) { return c >= '0' && c <= '9'; }
/* (ASCII answered here: str.isalpha / isalnum of an ASCII character is [A-Za-z] / [A-Za-z0-9]) */
static inline int ascii_alpha(Py_UCS4 c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }
static inline int is_alpha(Py_UCS4 c) { return c < 128 ? ascii_alpha(c) : c != END && Py_UNICODE_ISALPHA(c); }
static inline int is_alnum(Py_UCS4 c)
{
    return c < 128 ? ascii_alpha(c) || (c >= '0' && c <= '9') : c != END && Py_UNICODE_ISALNUM(c);
}
static inline int is_word(Py_UCS4 c)
{
    return c < 128 ? ascii_alpha(c) || (c >= '0' && c <= '9') || c == '_' : c != END && Py_UNICODE_ISALNUM(c);
}

/* a character that no case-insensitive pattern of ASCII letters matches and that lower() leaves
 * as it is: ASCII, or neither a letter nor a digit and without case (the pound sign, the euro) */
static inline int
is_plain(Py_UCS4 c)
{
    return c < 128 || (!Py_UNICODE_ISALNUM(c) && Py_UNICODE_TOLOWER(c) == c && Py_UNICODE_TOUPPER(c) == c);
}

/* whether every character of view[a:b] is_plain (a loop per width: ASCII is settled by one compare) */
#define PLAIN_RANGE(T)                                                                 \
    do {                                                                               \
        const T *p = (const T *)t->data;                                               \
        for (Py_ssize_t i = a; i < b; i++)                                             \
            if (p[i] >= 128 && !is_plain((Py_UCS4)p[i]))                               \
                return 0;                                                              \
    } while (0)

static int
plain_range(const Txt *t, Py_ssize_t a, Py_ssize_t b)
{
    if (a < 0)
        a = 0;
    if (b > t->n)
        b = t->n;
    if (t->kind == PyUnicode_1BYTE_KIND)
        PLAIN_RANGE(Py_UCS1);
    else if (t->kind == PyUnicode_2BYTE_KIND)
        PLAIN_RANGE(Py_UCS2);
    else
        PLAIN_RANGE(Py_UCS4);
    return 1;
}

/* the literal w at p (case-sensitive): its end, or -1 */
static inline Py_ssize_t
lit(const Txt *t, Py_ssize_t p, const char *w)
{
    for (; *w; w++, p++)
        if (AT(t, p) != (Py_UCS4)(unsigned char)*w)
            return -1;
    return p;
}

/* the literal w (lower case ASCII) at p, ignoring ASCII case: its end, or -1 */
static inline Py_ssize_t
lit_ci(const Txt *t, Py_ssize_t p, const char *w)
{
    for (; *w; w++, p++) {
        Py_UCS4 c = AT(t, p);
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if (c != (Py_UCS4)(unsigned char)*w)
            return -1;
    }
    return p;
}

/* the first of words (NULL-ended, in the regex's order) at p followed by a word boundary (each
 * word ends in a letter); its end and *which, or -1 */
static inline Py_ssize_t
first_word(const Txt *t, Py_ssize_t p, const char *const *words, int ci, int *which)
{
    Py_UCS4 c0 = AT(t, p);
    if (ci && c0 >= 'A' && c0 <= 'Z')
        c0 += 32;
    for (int k = 0; words[k]; k++) {
        if (c0 != (Py_UCS4)(unsigned char)words[k][0])
            continue; /* (lit / lit_ci would fail at the first character) */
        Py_ssize_t q = ci ? lit_ci(t, p, words[k]) : lit(t, p, words[k]);
        if (q >= 0 && !is_word(AT(t, q))) {
            if (which)
                *which = k;
            return q;
        }
    }
    return -1;
}

/* _currency_before: the ISO code (static string) and where it starts, or NULL */
static const char *
currency_before(const Txt *t, Py_ssize_t s, Py_ssize_t *cstart)
{
    static const char *const CODES[] = {"GBP", "USD", "EUR", "CHF", "JPY", "INR", "CAD", "AUD", "NZD", "SEK",
                                        "NOK", "DKK", "PLN", "HKD", "SGD", "ZAR", "CNY", "KRW", "MXN", "BRL", NULL};
    static const char *const DPRE[] = {"US", "C", "CA", "A", "AU", "NZ", "HK", "S", "SG", NULL};
    static const char *const DCODE[] = {"USD", "CAD", "CAD", "AUD", "AUD", "NZD", "HKD", "SGD", "SGD"};
    Py_ssize_t i = s - 1;
    if (i >= 0 && AT(t, i) == ' ')
        i--;
    if (i < 0)
        return NULL;
    Py_UCS4 ch = AT(t, i);
    const char *code = NULL;
    switch (ch) {
    case 0xA3: code = "GBP"; break;
    case '$': code = "USD"; break;
    case 0x20AC: code = "EUR"; break;
    case 0xA5: code = "JPY"; break;
    case 0x20B9: code = "INR"; break;
    case 0x20A3: code = "CHF"; break;
    case 0x20A9: code = "KRW"; break;
    case 0x20BD: code = "RUB"; break;
    case 0x20BA: code = "TRY"; break;
    case 0x20AA: code = "ILS"; break;
    default: break;
    }
    if (code != NULL) {
        if (ch == '$') {
            Py_ssize_t j = i;
            while (j > 0 && is_alpha(AT(t, j - 1)) && i - j < 2)
                j--;
            for (int k = 0; DPRE[k]; k++) {
                if ((Py_ssize_t)strlen(DPRE[k]) == i - j && lit(t, j, DPRE[k]) == i
                        && (j == 0 || !is_alnum(AT(t, j - 1)))) {
                    *cstart = j;
                    return DCODE[k];
                }
            }
        }
        *cstart = i;
        return code;
    }
    if (is_alpha(ch) && i >= 2) {
        const Py_UCS4 c0 = AT(t, i - 2);
        for (int k = 0; CODES[k]; k++) {
            if (c0 == (Py_UCS4)(unsigned char)CODES[k][0] && lit(t, i - 2, CODES[k]) == i + 1 && (i < 3 || !is_alnum(AT(t, i - 3)))) {
                *cstart = i - 2;
                return CODES[k];
            }
        }
    }
    return NULL;
}

/* _RANGE.match(view, p): "[ ]?(?:-|to|and)[ ]?(?=[£$€¥₹]?[0-9])" */
static int
range_at(const Txt *t, Py_ssize_t p)
{
    if (AT(t, p) == ' ')
        p++;
    Py_ssize_t q;
    if (AT(t, p) == '-')
        q = p + 1;
    else if ((q = lit(t, p, "to")) < 0 && (q = lit(t, p, "and")) < 0)
        return 0;
    for (int space = 1; space >= 0; space--) {
        Py_ssize_t r = q;
        if (space) {
            if (AT(t, r) != ' ')
                continue;
            r++;
        }
        Py_UCS4 c = AT(t, r);
        if (c == 0xA3 || c == '$' || c == 0x20AC || c == 0xA5 || c == 0x20B9)
            c = AT(t, r + 1);
        if (is_dig(c))
            return 1;
    }
    return 0;
}

/* _period(view, pos) on plain text: the period's name (static) and where it ends, or NULL */
static const char *
period_at(const Txt *t, Py_ssize_t pos, Py_ssize_t *end)
{
    static const char *const PRE[] = {"per", "a", "an", "each", "every", "/", NULL};
    static const char *const P[] = {"day", "week", "month", "quarter", "year", "annum", NULL};
    static const char *const PN[] = {"day", "week", "month", "quarter", "year", "year"};
    static const char *const P2[] = {"daily", "weekly", "monthly", "quarterly", "yearly", "annually", "p.a.", "p.a",
                                     NULL};
    static const char *const P2N[] = {"day", "week", "month", "quarter", "year", "year", "year", "year"};
    Py_ssize_t p = pos;
    if (AT(t, p) == ' ')
        p++;
    for (int k = 0; PRE[k]; k++) {
        Py_ssize_t q = lit_ci(t, p, PRE[k]);
        if (q < 0)
            continue;
        for (int space = 1; space >= 0; space--) {
            Py_ssize_t r = q;
            if (space) {
                if (AT(t, r) != ' ')
                    continue;
                r++;
            }
            int w;
            Py_ssize_t e = first_word(t, r, P, 1, &w);
            if (e >= 0) {
                *end = e;
                return PN[w];
            }
        }
    }
    for (int k = 0; P2[k]; k++) {
        Py_ssize_t q = lit_ci(t, p, P2[k]);
        if (q >= 0) {
            *end = q;
            return P2N[k];
        }
    }
    static const char *const P3[] = {"pa", "pcm", NULL};
    int w;
    Py_ssize_t e = first_word(t, p, P3, 1, &w);
    if (e >= 0) {
        *end = e;
        return w == 0 ? "year" : "month";
    }
    return NULL;
}

/* _ROLE_AFTER.match(view, p) on plain text: the role (static) and where it ends, or NULL */
static const char *
role_after(const Txt *t, Py_ssize_t p, Py_ssize_t *end)
{
    static const char *const R[] = {"apr", "aer", "ear", "apy", "gross", "representative", NULL};
    static const char *const RN[] = {"apr", "aer", "ear", "aer", "gross", "apr"};
    if (AT(t, p) == ' ')
        p++;
    if (AT(t, p) == '(' || AT(t, p) == ',')
        p++;
    if (AT(t, p) == ' ')
        p++;
    int w;
    Py_ssize_t e = first_word(t, p, R, 1, &w);
    if (e < 0)
        return NULL;
    *end = e;
    return RN[w];
}

/* _role(view, start, end) on plain text */
static const char *
role_of(const Txt *t, Py_ssize_t start, Py_ssize_t end)
{
    static const char *const R[] = {"apr", "aer", "ear", "apy", "annual percentage rate", "annual equivalent rate",
                                    "annual percentage yield", "effective annual rate", "gross", "base rate", NULL};
    static const char *const RN[] = {"apr", "aer", "ear", "aer", "apr", "aer", "aer", "ear", "gross", "base"};
    Py_ssize_t e;
    const char *r = role_after(t, end, &e);
    if (r != NULL)
        return r;
    Py_ssize_t lo = start - 48 > 0 ? start - 48 : 0;
    /* the window view[lo:start], cut after its last clause end (finditer's matches, in order) */
    Py_ssize_t a = lo;
    for (Py_ssize_t p = lo; p < start;) {
        Py_UCS4 c = AT(t, p);
        if (c == '.' || c == ';' || c == '!' || c == '?' || c == '\n') {
            if (p + 1 < start && (AT(t, p + 1) == ' ' || AT(t, p + 1) == '\n')) {
                a = p + 2;
                p += 2;
                continue;
            }
            if (p + 1 == start) {
                a = p + 1;
                p += 1;
                continue;
            }
        }
        p++;
    }
    /* the last match of _ROLE_BEFORE in view[a:start]: the one starting furthest right (its
     * matches cannot overlap); a word boundary at a is the window's start */
    for (Py_ssize_t p = start - 1; p >= a; p--) {
        const Py_UCS4 c = AT(t, p);
        if (!is_word(c) || (p > a && is_word(AT(t, p - 1))))
            continue;
        const Py_UCS4 c0 = c >= 'A' && c <= 'Z' ? c + 32 : c;
        for (int k = 0; R[k]; k++) {
            if (c0 != (Py_UCS4)(unsigned char)R[k][0])
                continue; /* (lit_ci would fail at the first character) */
            Py_ssize_t q = lit_ci(t, p, R[k]);
            if (q >= 0 && q <= start && (q == start || !is_word(AT(t, q))))
                return RN[k];
        }
    }
    return NULL;
}

/* money_roles(view, start, end) on plain text, as bits: 1 fee, 2 limit, 4 minimum, 8 repayment */
static int
money_roles_of(const Txt *t, Py_ssize_t start, Py_ssize_t end)
{
    static const char *const W[] = {"fees", "fee", "charges", "charge", "charged", "costs", "cost", "priced",
                                    "prices", "price", "commission",
                                    "limits", "limit", "limited", "maximum", "max", "up to", "capped", "at most",
                                    "no more than",
                                    "minimum", "min", "at least", "no less than",
                                    "repayments", "repayment", "installments", "installment", "instalments",
                                    "instalment", NULL};
    static const int WR[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8};
    static const char *const A[] = {"fees", "fee", "charges", "charge", "limit", "maximum", "max", "cap", "minimum",
                                    "min", "repayments", "repayment", "installments", "installment", "instalments",
                                    "instalment", NULL};
    static const int AR[] = {1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 8, 8, 8, 8, 8, 8};
    int found = 0;
    Py_ssize_t lo = start - 64 > 0 ? start - 64 : 0;
    /* the window view[lo:start] (lower case), from 2 after its last ". ", "; ", "\n", "! ", "? " */
    Py_ssize_t a = lo;
    for (Py_ssize_t p = start - 1; p >= lo; p--) {
        Py_UCS4 c = AT(t, p);
        if (c == '\n' || ((c == '.' || c == ';' || c == '!' || c == '?') && p + 1 < start && AT(t, p + 1) == ' ')) {
            a = p + 2;
            break;
        }
    }
    /* finditer of _MONEY_ROLE_WORDS over view[a:start]: at each word start, the first word that
     * ends at a word boundary (the window's end is one) */
    for (Py_ssize_t p = a; p < start;) {
        Py_UCS4 c = AT(t, p);
        if (!is_word(c) || (p > a && is_word(AT(t, p - 1)))) {
            p++;
            continue;
        }
        int hit = 0;
        const Py_UCS4 c0 = c >= 'A' && c <= 'Z' ? c + 32 : c;
        for (int k = 0; W[k]; k++) {
            if (c0 != (Py_UCS4)(unsigned char)W[k][0])
                continue; /* (lit_ci would fail at the first character) */
            Py_ssize_t q = lit_ci(t, p, W[k]);
            if (q >= 0 && q <= start && (q == start || !is_word(AT(t, q)))) {
                found |= WR[k];
                p = q;
                hit = 1;
                break;
            }
        }
        if (!hit)
            p++;
    }
    Py_ssize_t p = end;
    for (int space = 1; space >= 0; space--) {
        Py_ssize_t r = p;
        if (space) {
            if (AT(t, r) != ' ')
                continue;
            r++;
        }
        int w;
        if (first_word(t, r, A, 1, &w) >= 0) {
            found |= AR[w];
            break;
        }
    }
    return found;
}

/* _UNIT_AFTER.match(view, e): which group was last ("mag" only, or a unit; U_NONE: none), the
 * magnitude, the unit's word, and where it ends */
enum { U_NONE, U_MAG, U_PCT, U_PPTS, U_BPS, U_CUR, U_DUR, U_ORD };

typedef struct {
    int last;
    Py_ssize_t end;
    Py_ssize_t mag;        /* 0: none */
    int mag_long;          /* the magnitude is a word longer than 2 letters */
    int word;              /* the index of the unit's word in its list */
} Unit;

static const char *const CUR_WORDS[] = {"pounds sterling", "pounds", "pound sterling", "pound", "sterling", "quid",
                                        "pence", "penny", "p", "dollars", "dollar", "cents", "cent", "euros", "euro",
                                        "yen", "rupees", "rupee", "francs", "franc", "GBP", "USD", "EUR", "CHF",
                                        "JPY", "INR", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "HKD", "SGD",
                                        "ZAR", "CNY", "KRW", "MXN", "BRL", NULL};
/* per word: the code and the divisor */
static const char *const CUR_CODE[] = {"GBP", "GBP", "GBP", "GBP", "GBP", "GBP", "GBP", "GBP", "GBP", "USD", "USD",
                                       "USD", "USD", "EUR", "EUR", "JPY", "INR", "INR", "CHF", "CHF", "GBP", "USD",
                                       "EUR", "CHF", "JPY", "INR", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN",
                                       "HKD", "SGD", "ZAR", "CNY", "KRW", "MXN", "BRL"};
static const int CUR_DIV[] = {1, 1, 1, 1, 1, 1, 100, 100, 100, 1, 1, 100, 100, 1, 1, 1, 1, 1, 1, 1,
                              1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
static const char *const DUR_WORDS[] = {"days", "day", "weeks", "week", "fortnights", "fortnight", "months", "month",
                                        "mths", "mth", "years", "year", "yrs", "yr", "hours", "hour", "hrs", "hr",
                                        "h", "minutes", "minute", "mins", "min", NULL};
static const char *const DUR_UNIT[] = {"day", "day", "day", "day", "day", "day", "month", "month", "month", "month",
                                       "month", "month", "month", "month", "minute", "minute", "minute", "minute",
                                       "minute", "minute", "minute", "minute", "minute"};
static const int DUR_FACTOR[] = {1, 1, 7, 7, 14, 14, 1, 1, 1, 1, 12, 12, 12, 12, 60, 60, 60, 60, 60, 1, 1, 1, 1};
#define DUR_BUSINESS 100   /* word index: business/working/banking days */
#define DUR_PLAIN_DAYS 101 /* calendar/clear days: "day" */

static void
unit_after(const Txt *t, Py_ssize_t e, Unit *u)
{
    static const char *const MAG_LONG[] = {"thousand", "million", "billion", "trillion", NULL};
    static const Py_ssize_t MAG_LONG_V[] = {1000, 1000000, 1000000000, (Py_ssize_t)1000000000000LL};
    static const char *const MAG_SHORT[] = {"k", "m", "mn", "bn", NULL};
    static const Py_ssize_t MAG_SHORT_V[] = {1000, 1000000, 1000000, 1000000000};
    static const char *const PCT1[] = {"per cent", "percent", NULL};
    static const char *const PCT2[] = {"percent", NULL};
    static const char *const PCT3[] = {"pct", NULL};
    static const char *const PP[] = {"percentage points", "percentage point", NULL};
    static const char *const PPTS[] = {"percentage points", "percentage point", "ppts", "ppt", NULL};
    static const char *const BPS[] = {"basis points", "basis point", "bps", "bp", NULL};
    static const char *const ORD[] = {"st", "nd", "rd", "th", NULL};
    static const char *const QUAL[] = {"business", "working", "banking", "calendar", "clear", NULL};
    int w;
    u->last = U_NONE;
    u->mag = 0;
    u->mag_long = 0;
    u->word = -1;
    Py_ssize_t p = e;
    if (AT(t, p) == ')')
        p++;
    u->end = p;
    /* (?P<mag>[ ]?(?:thousand|million|billion|trillion)\b|(?:k|m|mn|bn)\b)? */
    {
        Py_ssize_t q = -1;
        if (AT(t, p) == ' ')
            q = first_word(t, p + 1, MAG_LONG, 0, &w);
        if (q < 0)
            q = first_word(t, p, MAG_LONG, 0, &w);
        if (q >= 0) {
            u->mag = MAG_LONG_V[w];
            u->mag_long = 1;
        } else if ((q = first_word(t, p, MAG_SHORT, 0, &w)) >= 0) {
            u->mag = MAG_SHORT_V[w];
        }
        if (q >= 0) {
            p = q;
            u->last = U_MAG;
            u->end = p;
        }
    }
    /* (?P<pct>[ ]?%|[ ]?per[ ]?cent\b|[ ]?percent\b|[ ]?pct\b)(?P<pp>[ ]percentage[ ]points?\b)? */
    {
        Py_ssize_t q = -1;
        int sp = AT(t, p) == ' ';
        if (sp && AT(t, p + 1) == '%')
            q = p + 2;
        else if (AT(t, p) == '%')
            q = p + 1;
        if (q < 0 && sp)
            q = first_word(t, p + 1, PCT1, 0, NULL);
        if (q < 0)
            q = first_word(t, p, PCT1, 0, NULL);
        if (q < 0 && sp)
            q = first_word(t, p + 1, PCT2, 0, NULL);
        if (q < 0)
            q = first_word(t, p, PCT2, 0, NULL);
        if (q < 0 && sp)
            q = first_word(t, p + 1, PCT3, 0, NULL);
        if (q < 0)
            q = first_word(t, p, PCT3, 0, NULL);
        if (q >= 0) {
            u->last = U_PCT;
            if (AT(t, q) == ' ') {
                Py_ssize_t r = first_word(t, q + 1, PP, 0, NULL);
                if (r >= 0)
                    q = r;
            }
            u->end = q;
            return;
        }
    }
    /* [ ]?(?P<ppts>...)\b, [ ]?(?P<bps>...)\b, [ ]?(?P<cur>...)\b */
    {
        const char *const *lists[3] = {PPTS, BPS, CUR_WORDS};
        const int lasts[3] = {U_PPTS, U_BPS, U_CUR};
        for (int k = 0; k < 3; k++) {
            Py_ssize_t q = -1;
            if (AT(t, p) == ' ')
                q = first_word(t, p + 1, lists[k], 0, &w);
            if (q < 0)
                q = first_word(t, p, lists[k], 0, &w);
            if (q >= 0) {
                u->last = lasts[k];
                u->word = w;
                u->end = q;
                return;
            }
        }
    }
    /* [ -]?(?P<dur>(?:business|working|banking|calendar|clear)[ -]days?|days?|...)\b */
    for (int sp = 1; sp >= 0; sp--) {
        Py_ssize_t r = p;
        if (sp) {
            if (AT(t, r) != ' ' && AT(t, r) != '-')
                continue;
            r++;
        }
        for (int k = 0; QUAL[k]; k++) {
            Py_ssize_t q = lit(t, r, QUAL[k]);
            if (q < 0 || (AT(t, q) != ' ' && AT(t, q) != '-'))
                continue;
            static const char *const DAYS[] = {"days", "day", NULL};
            Py_ssize_t d = first_word(t, q + 1, DAYS, 0, NULL);
            if (d >= 0) {
                u->last = U_DUR;
                u->word = k < 3 ? DUR_BUSINESS : DUR_PLAIN_DAYS;
                u->end = d;
                return;
            }
        }
        Py_ssize_t q = first_word(t, r, DUR_WORDS, 0, &w);
        if (q >= 0) {
            u->last = U_DUR;
            u->word = w;
            u->end = q;
            return;
        }
    }
    /* (?P<ord>st|nd|rd|th)\b */
    {
        Py_ssize_t q = first_word(t, p, ORD, 0, NULL);
        if (q >= 0) {
            u->last = U_ORD;
            u->end = q;
        }
    }
}

/* the number at s in the locale's convention (g.other, then g.number): where its integer part
 * ends (*ie), where its fraction starts and ends (*fa, *fb; *fa < 0: none), where it ends */
static Py_ssize_t
number_at(const Txt *t, Py_ssize_t s, Py_ssize_t j, Py_UCS4 d, Py_UCS4 g, Py_ssize_t *ie, Py_ssize_t *fa,
          Py_ssize_t *fb, int *other)
{
    Py_ssize_t r = j - s;
    *fa = *fb = -1;
    *other = 0;
    if (r >= 1 && r <= 3) {
        /* other: [0-9]{1,3}(?:d[0-9]{3})+ g [0-9]{1,2} (?![0-9gd]) */
        Py_ssize_t p = j;
        int groups = 0;
        while (AT(t, p) == d && is_dig(AT(t, p + 1)) && is_dig(AT(t, p + 2)) && is_dig(AT(t, p + 3))) {
            p += 4;
            groups++;
        }
        if (groups > 0 && AT(t, p) == g) {
            Py_ssize_t f = p + 1;
            while (is_dig(AT(t, f)))
                f++;
            Py_UCS4 c = AT(t, f);
            if ((f - p - 1 == 1 || f - p - 1 == 2) && c != g && c != d) {
                *ie = p;
                *fa = p + 1;
                *fb = f;
                *other = 1;
                return f;
            }
        }
        /* number, first alternative: [0-9]{1,3}(?:g[0-9]{3})+ (?:d[0-9]+)? (?![0-9]) */
        p = j;
        groups = 0;
        while (AT(t, p) == g && is_dig(AT(t, p + 1)) && is_dig(AT(t, p + 2)) && is_dig(AT(t, p + 3))) {
            p += 4;
            groups++;
        }
        if (groups > 0) {
            if (AT(t, p) == d && is_dig(AT(t, p + 1))) {
                Py_ssize_t f = p + 1;
                while (is_dig(AT(t, f)))
                    f++;
                *ie = p;
                *fa = p + 1;
                *fb = f;
                return f;
            }
            if (!is_dig(AT(t, p))) {
                *ie = p;
                return p;
            }
            if (groups >= 2) {
                *ie = p - 4;
                return p - 4;
            }
        }
    }
    /* second alternative: [0-9]+ (?:d[0-9]+)? */
    *ie = j;
    if (AT(t, j) == d && is_dig(AT(t, j + 1))) {
        Py_ssize_t f = j + 1;
        while (is_dig(AT(t, f)))
            f++;
        *fa = j + 1;
        *fb = f;
        return f;
    }
    return j;
}

/* -- _shaped: figures of a fixed shape (numeric and ISO dates, sort codes, tax years, phone
 * numbers, times, "1 March 2026"), exactly as the Python regexes read them -------------------- */

typedef struct {
    int kind;              /* 0: none (read on), 1 date, 2 time, 3 code */
    Py_ssize_t end;
    int y, m, d;           /* date: y < 0 = None; time: y = hour, m = minute */
} Shape;

/* _valid_date with a day and (y >= 0) or without (y < 0: None) a year */
static int
valid_date(int y, int m, int d)
{
    return 1 <= m && m <= 12 && 1 <= d && d <= 31 && (y < 0 || (1900 <= y && y <= 2199));
}

/* the value of the ASCII digits [a, b) (b - a <= 4) */
static inline int
is_ascii_letter(Py_UCS4 c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int
dval(const Txt *t, Py_ssize_t a, Py_ssize_t b)
{
    int v = 0;
    for (Py_ssize_t i = a; i < b; i++)
        v = v * 10 + (int)(AT(t, i) - '0');
    return v;
}

static Py_ssize_t
digit_run(const Txt *t, Py_ssize_t p)
{
    while (is_dig(AT(t, p)))
        p++;
    return p;
}

/* (?:[ -]?[0-9]{3,4}){count..3}(?![0-9]) from p, in the regex's order of trying: the end, or -1 */
static Py_ssize_t
phone_groups(const Txt *t, Py_ssize_t p, int count)
{
    if (count < 3) {
        for (int sep = 1; sep >= 0; sep--) {
            Py_ssize_t q = p;
            if (sep) {
                if (AT(t, q) != ' ' && AT(t, q) != '-')
                    continue;
                q++;
            }
            for (int len = 4; len >= 3; len--) {
                int ok = 1;
                for (int k = 0; k < len; k++)
                    if (!is_dig(AT(t, q + k))) {
                        ok = 0;
                        break;
                    }
                if (!ok)
                    continue;
                Py_ssize_t r = phone_groups(t, q + len, count + 1);
                if (r >= 0)
                    return r;
            }
        }
    }
    if (count >= 1 && !is_dig(AT(t, p)))
        return p;
    return -1;
}

static const char *const MONTH_NAMES[] = {
    "January", "Jan", "February", "Feb", "March", "Mar", "April", "Apr", "May", "June", "Jun", "July", "Jul",
    "August", "Aug", "September", "Sept", "Sepember", "Sep", "October", "Oct", "November", "Nov", "December", "Dec",
    "JANUARY", "JAN", "FEBRUARY", "FEB", "MARCH", "MAR", "APRIL", "APR", "MAY", "JUNE", "JUN", "JULY", "JUL",
    "AUGUST", "AUG", "SEPTEMBER", "SEPT", "SEPEMBER", "SEP", "OCTOBER", "OCT", "NOVEMBER", "NOV", "DECEMBER", "DEC",
    NULL};
static const int MONTH_NUM[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7, 8, 8, 9, 9, 9, 9, 10, 10, 11, 11, 12, 12,
                                1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7, 8, 8, 9, 9, 9, 9, 10, 10, 11, 11, 12, 12};

/* _shaped(view, s, j, nxt, g): Shape.kind 0 when it answers None. mdy: the locale's order. */
static void
shaped(const Txt *t, Py_ssize_t s, Py_ssize_t j, int mdy, Shape *out)
{
    const Py_ssize_t n = t->n;
    const Py_UCS4 nxt = AT(t, j); /* END: "" */
    out->kind = 0;
    Py_ssize_t k = j + 1;
    while (k < n && k - j <= 3 && is_dig(AT(t, k)))
        k++;
    /* "" in "-/." is True in Python: END counts as in every such string below */
    if ((nxt == END || nxt == '-' || nxt == '/' || nxt == '.') && k > j + 1 && k < n && AT(t, k) == nxt) {
        /* _ISO_DATE: [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?![0-9]) */
        if (j - s == 4 && nxt == '-') {
            Py_ssize_t me = digit_run(t, j + 1);
            if (me - j - 1 >= 1 && me - j - 1 <= 2 && AT(t, me) == '-') {
                Py_ssize_t de = digit_run(t, me + 1);
                if (de - me - 1 >= 1 && de - me - 1 <= 2) {
                    int y = dval(t, s, j), mo = dval(t, j + 1, me), d = dval(t, me + 1, de);
                    if (valid_date(y, mo, d)) {
                        *out = (Shape){1, de, y, mo, d};
                        return;
                    }
                }
            }
        }
        /* _NUM_DATE: ([0-9]{1,4})([/.-])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})(?![0-9]) */
        if (j - s >= 1 && j - s <= 4) {
            Py_ssize_t be = digit_run(t, j + 1);
            if (be - j - 1 >= 1 && be - j - 1 <= 2 && AT(t, be) == nxt) {
                Py_ssize_t ce = digit_run(t, be + 1);
                Py_ssize_t cl = ce - be - 1;
                if (cl == 4 || cl == 2) {
                    int y, mo, d;
                    int a = dval(t, s, j), b = dval(t, j + 1, be), c = dval(t, be + 1, ce);
                    if (j - s <= 2) {
                        y = cl == 2 ? c + (c < 70 ? 2000 : 1900) : c;
                        if (mdy) {
                            d = b;
                            mo = a;
                        } else {
                            d = a;
                            mo = b;
                        }
                    } else if (cl <= 2) {
                        y = a;
                        mo = b;
                        d = c;
                    } else {
                        y = mo = d = 0;
                    }
                    if (valid_date(y, mo, d)) {
                        *out = (Shape){1, ce, y, mo, d};
                        return;
                    }
                }
            }
        }
        /* _SORT_CODE: [0-9]{2}-[0-9]{2}-[0-9]{2}(?![0-9-]) */
        if (j - s == 2 && nxt == '-' && is_dig(AT(t, j + 1)) && is_dig(AT(t, j + 2)) && AT(t, j + 3) == '-'
                && is_dig(AT(t, j + 4)) && is_dig(AT(t, j + 5)) && !is_dig(AT(t, j + 6)) && AT(t, j + 6) != '-') {
            *out = (Shape){3, j + 6, 0, 0, 0};
            return;
        }
    }
    if ((nxt == END || nxt == '/' || nxt == '-') && j - s == 4) {
        /* _TAX_YEAR: ([0-9]{4})[/-]([0-9]{2})(?![0-9/-]) */
        if ((nxt == '/' || nxt == '-') && is_dig(AT(t, j + 1)) && is_dig(AT(t, j + 2))) {
            Py_UCS4 c = AT(t, j + 3);
            if (!is_dig(c) && c != '/' && c != '-' && (dval(t, s, j) + 1) % 100 == dval(t, j + 1, j + 3)) {
                *out = (Shape){3, j + 3, 0, 0, 0};
                return;
            }
        }
    }
    if (AT(t, s) == '0') {
        /* _PHONE from "0": 0[0-9]{2,5}(?:[ -]?[0-9]{3,4}){1,3}(?![0-9]), with at least 9 digits */
        Py_ssize_t run = digit_run(t, s + 1) - (s + 1);
        for (Py_ssize_t len = run < 5 ? run : 5; len >= 2; len--) {
            Py_ssize_t e = phone_groups(t, s + 1 + len, 0);
            if (e >= 0) {
                int digits = 0;
                for (Py_ssize_t i = s; i < e; i++)
                    digits += is_dig(AT(t, i));
                if (digits >= 9) {
                    *out = (Shape){3, e, 0, 0, 0};
                    return;
                }
                break; /* the regex's match; too few digits: read on */
            }
        }
    }
    Py_UCS4 after = nxt == ' ' ? AT(t, j + 1) : nxt; /* END: "" */
    int time_branch = nxt == ':' || after == 'a' || after == 'A' || after == 'p' || after == 'P';
    if (!time_branch && nxt == '.' && k - j == 3) {
        /* view[k:k+2].lstrip()[:1] in "aApP" ("" is in it) */
        Py_UCS4 c1 = AT(t, k), c2 = AT(t, k + 1), f;
        if (c1 == END)
            f = END;
        else if (Py_UNICODE_ISSPACE(c1))
            f = (c2 == END || Py_UNICODE_ISSPACE(c2)) ? END : c2;
        else
            f = c1;
        time_branch = f == END || f == 'a' || f == 'A' || f == 'p' || f == 'P' || (AT(t, s) == '0' && j - s == 2);
    }
    if (time_branch) {
        /* _TIME, its three alternatives in order */
        int h = -1, mi = 0, ap = 0;
        Py_ssize_t e = -1;
        Py_ssize_t run = j - s;
        if (run >= 1 && run <= 2) {
            /* h (?:[:.]mm)? [ ]? (?:[aApP]\.[mM]\.|[aApP][mM]) (?![A-Za-z]) */
            for (int withm = 1; withm >= 0 && e < 0; withm--) {
                Py_ssize_t p = j;
                if (withm) {
                    if (!((AT(t, p) == ':' || AT(t, p) == '.') && is_dig(AT(t, p + 1)) && is_dig(AT(t, p + 2))))
                        continue;
                    p += 3;
                }
                for (int sp = 1; sp >= 0 && e < 0; sp--) {
                    Py_ssize_t q = p;
                    if (sp) {
                        if (AT(t, q) != ' ')
                            continue;
                        q++;
                    }
                    Py_UCS4 a = AT(t, q);
                    if (!(a == 'a' || a == 'A' || a == 'p' || a == 'P'))
                        continue;
                    /* (?:[aApP]\.[mM]\.|[aApP][mM])(?![A-Za-z]), the first alternative first */
                    Py_ssize_t r = -1;
                    if (AT(t, q + 1) == '.' && (AT(t, q + 2) == 'm' || AT(t, q + 2) == 'M') && AT(t, q + 3) == '.'
                            && !is_ascii_letter(AT(t, q + 4)))
                        r = q + 4;
                    else if ((AT(t, q + 1) == 'm' || AT(t, q + 1) == 'M') && !is_ascii_letter(AT(t, q + 2)))
                        r = q + 2;
                    if (r < 0)
                        continue;
                    h = dval(t, s, j);
                    mi = withm ? dval(t, j + 1, j + 3) : 0;
                    ap = (a == 'p' || a == 'P') ? 'p' : 'a';
                    e = r;
                }
            }
            if (e < 0 && AT(t, j) == ':' && is_dig(AT(t, j + 1)) && is_dig(AT(t, j + 2))
                    && !is_dig(AT(t, j + 3)) && AT(t, j + 3) != ':') {
                h = dval(t, s, j);
                mi = dval(t, j + 1, j + 3);
                e = j + 3;
            }
        }
        if (e < 0 && run == 2 && AT(t, s) == '0' && AT(t, j) == '.' && AT(t, j + 1) >= '0' && AT(t, j + 1) <= '5'
                && is_dig(AT(t, j + 2))) {
            Py_UCS4 z = AT(t, j + 3);
            if (!is_dig(z) && z != '%' && !(z == '.' && is_dig(AT(t, j + 4)))) {
                h = dval(t, s, j);
                mi = dval(t, j + 1, j + 3);
                e = j + 3;
            }
        }
        if (e >= 0) {
            if (ap == 'p' && h < 12)
                h += 12;
            else if (ap == 'a' && h == 12)
                h = 0;
            if (h < 24 && mi < 60) {
                *out = (Shape){2, e, h, mi, 0};
                return;
            }
        }
    }
    if ((nxt == ' ' && after != END && Py_UNICODE_ISUPPER(after))
            || ((nxt == 's' || nxt == 'n' || nxt == 'r' || nxt == 't') && j - s <= 2)) {
        /* _DAY_MONTH: d(?:st|nd|rd|th)?(?:[ ]of)?[ ]MONTH\b\.?(?:,?[ ](?P<y>[0-9]{4})(?![0-9]))? */
        Py_ssize_t run = j - s;
        if (run < 1 || run > 2)
            return;
        static const char *const SUF[] = {"st", "nd", "rd", "th", NULL};
        for (int suf = 1; suf >= 0; suf--) {
            Py_ssize_t p = j;
            if (suf) {
                int w;
                Py_ssize_t q = -1;
                for (w = 0; SUF[w]; w++)
                    if ((q = lit(t, p, SUF[w])) >= 0)
                        break;
                if (q < 0)
                    continue;
                p = q;
            }
            for (int of = 1; of >= 0; of--) {
                Py_ssize_t q = p;
                if (of) {
                    if (lit(t, q, " of") < 0)
                        continue;
                    q += 3;
                }
                if (AT(t, q) != ' ')
                    continue;
                int w;
                Py_ssize_t me = first_word(t, q + 1, MONTH_NAMES, 0, &w);
                if (me < 0)
                    continue;
                int mo = MONTH_NUM[w], d = dval(t, s, j), y = -1;
                Py_ssize_t e = me;
                if (AT(t, e) == '.')
                    e++;
                for (int comma = 1; comma >= 0; comma--) {
                    Py_ssize_t r = e;
                    if (comma) {
                        if (AT(t, r) != ',')
                            continue;
                        r++;
                    }
                    if (AT(t, r) == ' ' && is_dig(AT(t, r + 1)) && is_dig(AT(t, r + 2)) && is_dig(AT(t, r + 3))
                            && is_dig(AT(t, r + 4)) && !is_dig(AT(t, r + 5))) {
                        y = dval(t, r + 1, r + 5);
                        e = r + 5;
                        break;
                    }
                }
                *out = (Shape){valid_date(y, mo, d) ? 1 : 0, e, y, mo, d};
                return;
            }
        }
    }
}

static PyObject *figure_core(PyObject *text, Py_ssize_t s, PyObject *dec, PyObject *grp, int mdy);

static PyObject *
figure_at(PyObject *self, PyObject *args)
{
    PyObject *text, *dec, *grp;
    Py_ssize_t s;
    int mdy;
    if (!PyArg_ParseTuple(args, "UnUUp:figure_at", &text, &s, &dec, &grp, &mdy))
        return NULL;
    if (check_str(text, "figure_at") < 0 || check_str(dec, "figure_at") < 0 || check_str(grp, "figure_at") < 0)
        return NULL;
    if (PyUnicode_GET_LENGTH(dec) != 1 || PyUnicode_GET_LENGTH(grp) != 1) {
        PyErr_SetString(PyExc_ValueError, "figure_at() expects one-character separators");
        return NULL;
    }
    return figure_core(text, s, dec, grp, mdy != 0);
}

/* what figure_read read at s: what 0 nothing it reads (figure_at's None), 1 a date (y < 0: no
 * year), 2 a time (y the hour, m the minute), 3 a code (num: its digits), 4 a plain figure (num:
 * the number as Decimal() reads it; kind, unit, per, role static strings or NULL; the rest as
 * figure_at's tuple). num lies in small or in PyMem (fig_free). */
typedef struct {
    int what;
    Py_ssize_t start, after;
    int y, m, d;
    const char *kind, *unit, *per, *role;
    Py_ssize_t mag, opn;
    int op, roles;
    char *num;
    Py_ssize_t num_len;
    char small[64];
} Fig;

/* figure_at on arguments already checked (ready str; one-character separators), into a Fig: for
 * the kernel's own loops, without an argument tuple or an answer tuple per figure */
static int
figure_read(PyObject *text, Py_ssize_t s, PyObject *dec, PyObject *grp, int mdy, Fig *f)
{
    f->what = 0;
    f->num = NULL;
    f->num_len = 0;
    const Py_UCS4 d = PyUnicode_READ_CHAR(dec, 0), g = PyUnicode_READ_CHAR(grp, 0);
    Txt tt = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)};
    const Txt *t = &tt;
    const Py_ssize_t n = t->n;
    if (s < 0 || s >= n || !is_dig(AT(t, s)))
        return 0;
    Py_UCS4 prev = s > 0 ? AT(t, s - 1) : ' ';
    /* codes ("ISA24", "A-1"), phone numbers ("+44") */
    if (is_alpha(prev) || prev == '_' || prev == '+' || (prev == '-' && s >= 2 && is_alpha(AT(t, s - 2))))
        return 0;
    Py_ssize_t j = s;
    while (is_dig(AT(t, j)))
        j++;
    Py_UCS4 nxt = AT(t, j); /* END: "" */
    Py_ssize_t cstart = s;
    const char *cur = currency_before(t, s, &cstart);
    if (cur == NULL && (nxt == '-' || nxt == '/' || nxt == '.' || nxt == ':' || is_alpha(nxt) || AT(t, s) == '0'
                        || (nxt == ' ' && j + 1 < n && (Py_UNICODE_ISUPPER(AT(t, j + 1)) || AT(t, j + 1) == 'a'
                                                        || AT(t, j + 1) == 'A' || AT(t, j + 1) == 'p'
                                                        || AT(t, j + 1) == 'P')))) {
        Shape sh;
        shaped(t, s, j, mdy, &sh);
        if (sh.kind == 1 || sh.kind == 2) { /* a date (y < 0: None) or a time (y the hour, m the minute) */
            f->what = sh.kind;
            f->start = s, f->after = sh.end, f->y = sh.y, f->m = sh.m, f->d = sh.d;
            return 0;
        }
        if (sh.kind == 3) {
            Py_ssize_t len = 0, cap = sh.end - s;
            char *buf = cap <= (Py_ssize_t)sizeof(f->small) ? f->small : (char *)PyMem_Malloc((size_t)(cap > 0 ? cap : 1));
            if (buf == NULL) {
                PyErr_NoMemory();
                return -1;
            }
            for (Py_ssize_t i = s; i < sh.end; i++)
                if (is_dig(AT(t, i)))
                    buf[len++] = (char)AT(t, i);
            f->what = 3, f->start = s, f->after = sh.end, f->num = buf, f->num_len = len;
            return 0;
        }
    }
    Py_ssize_t ie, fa, fb;
    int other;
    Py_ssize_t e = number_at(t, s, j, d, g, &ie, &fa, &fb, &other);
    if (!plain_range(t, s - 72, e + 1))
        return 0;
    if (cur == NULL && prev == ' ' && fa < 0) {
        /* a month name before ("March 1, 2026"): _month_before's cheap test */
        Py_ssize_t kk = s - 1;
        if (!(kk < 2 || !(is_alpha(AT(t, kk - 1)) || AT(t, kk - 1) == '.'))) {
            Py_ssize_t a = kk - 1;
            while (a > 0 && is_alpha(AT(t, a - 1)) && kk - a < 10)
                a--;
            static const char *const MON[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                              "nov", "dec", NULL};
            for (int m = 0; MON[m]; m++)
                if (lit_ci(t, a, MON[m]) >= 0 && Py_UNICODE_ISUPPER(AT(t, a)))
                    return 0;
        }
        if (ie - s == 4) /* a year: a date may end in it */
            return 0;
    }
    if (cur == NULL && prev == ' ' && s >= 3) {
        /* view[s-5:s].rstrip().endswith(("-", " to", "and")): a range's second figure */
        Py_ssize_t b = s, lo = s - 5 > 0 ? s - 5 : 0;
        while (b > lo && Py_UNICODE_ISSPACE(AT(t, b - 1)))
            b--;
        if ((b - 1 >= lo && AT(t, b - 1) == '-') || (b - 3 >= lo && lit(t, b - 3, " to") == b)
                || (b - 3 >= lo && lit(t, b - 3, "and") == b))
            return 0;
    }
    Py_ssize_t start = cur != NULL ? cstart : s;
    const char *kind = "number", *unit = cur, *per = NULL, *role = NULL;
    Py_ssize_t after = e, mag = 0, opn = 0;
    int op = 0, last = U_NONE;
    Py_UCS4 c = AT(t, e);
    if (c == ' ' || c == '-' || c == '%' || c == ')' || is_alpha(c)) {
        Unit u;
        unit_after(t, e, &u);
        last = u.last;
        if (last != U_NONE) {
            after = u.end;
            if (u.mag) {
                if (u.mag_long || cur != NULL || last == U_CUR)
                    mag = u.mag;
                else if (last == U_MAG)
                    after = e;
            }
            if (last == U_PCT || last == U_PPTS) {
                kind = "percent";
                unit = "%";
            } else if (last == U_BPS) {
                kind = "percent";
                unit = "%";
                op = 1;
                opn = 100;
            } else if (last == U_CUR) {
                kind = "money";
                unit = CUR_CODE[u.word];
                if (CUR_DIV[u.word] != 1) {
                    op = 1;
                    opn = CUR_DIV[u.word];
                }
            } else if (last == U_DUR) {
                kind = "duration";
                if (u.word == DUR_BUSINESS) {
                    unit = "business-day";
                } else if (u.word == DUR_PLAIN_DAYS) {
                    unit = "day";
                    op = 2;
                    opn = 1;
                } else {
                    unit = DUR_UNIT[u.word];
                    op = 2;
                    opn = DUR_FACTOR[u.word];
                }
            }
        }
    }
    if (kind[0] == 'n' && cur != NULL)
        kind = "money";
    if (kind[0] == 'n' && after < n && is_alpha(AT(t, after)) && last != U_ORD)
        return 0; /* "4G", "2FA": a code */
    if (!plain_range(t, e, after + 64))
        return 0;
    int roles = 0;
    if (kind[0] == 'm' || kind[0] == 'p') {
        Py_ssize_t pe;
        per = period_at(t, after, &pe);
        if (per != NULL)
            after = pe;
        if (kind[0] == 'p') {
            role = role_of(t, start, after);
            Py_ssize_t re;
            if (role != NULL && role_after(t, after, &re) != NULL)
                after = re;
        }
    }
    if (kind[0] == 'm')
        roles = money_roles_of(t, start, after);
    Py_UCS4 c2 = AT(t, after);
    if ((c2 == '-' || (c2 == ' ' && (AT(t, after + 1) == '-' || AT(t, after + 1) == 't' || AT(t, after + 1) == 'a')))
            && range_at(t, after))
        return 0; /* a range: the Python reads both ends */
    /* the number as Decimal() reads it: digits without grouping, "." and the fraction */
    Py_ssize_t cap = (ie - s) + (fa >= 0 ? fb - fa + 1 : 0) + 1;
    char *buf = cap <= (Py_ssize_t)sizeof(f->small) ? f->small : (char *)PyMem_Malloc((size_t)cap);
    if (buf == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t len = 0;
    for (Py_ssize_t i = s; i < ie; i++) {
        Py_UCS4 ch = AT(t, i);
        if (is_dig(ch))
            buf[len++] = (char)ch;
    }
    if (fa >= 0) {
        buf[len++] = '.';
        for (Py_ssize_t i = fa; i < fb; i++)
            buf[len++] = (char)AT(t, i);
    }
    (void)other;
    f->what = 4, f->start = start, f->after = after, f->num = buf, f->num_len = len;
    f->kind = kind, f->unit = unit, f->per = per, f->role = role;
    f->mag = mag, f->op = op, f->opn = opn, f->roles = roles;
    return 0;
}

static void
fig_free(Fig *f)
{
    if (f->num != NULL && f->num != f->small)
        PyMem_Free(f->num);
    f->num = NULL;
}

/* figure_at's answer for what figure_read read */
/* figure_at's tuple of what figure_read read (None for what 0) */
static PyObject *
fig_tuple(const Fig *f)
{
    switch (f->what) {
    case 1:
        return f->y < 0 ? Py_BuildValue("(snn(Oii))", "date", f->start, f->after, Py_None, f->m, f->d)
                        : Py_BuildValue("(snn(iii))", "date", f->start, f->after, f->y, f->m, f->d);
    case 2:
        return Py_BuildValue("(snn(ii))", "time", f->start, f->after, f->y, f->m);
    case 3:
        return Py_BuildValue("(snns#)", "code", f->start, f->after, f->num, f->num_len);
    case 4:
        return Py_BuildValue("(snns#ninzzzi)", f->kind, f->start, f->after, f->num, f->num_len, f->mag, f->op, f->opn,
                             f->unit, f->per, f->role, f->roles);
    default:
        Py_RETURN_NONE;
    }
}

static PyObject *
figure_core(PyObject *text, Py_ssize_t s, PyObject *dec, PyObject *grp, int mdy)
{
    Fig f;
    if (figure_read(text, s, dec, grp, mdy, &f) < 0)
        return NULL;
    PyObject *r = fig_tuple(&f);
    fig_free(&f);
    return r;
}


/* -- figure_runs: `_claims.extract`'s loop over the digit runs of an answer -----------------------
 *
 * figure_runs(view, pos, end, consumed, skip, k, decimal, group, mdy)
 *     -> (figures, s, run_end, k, consumed)
 *
 * The loop of `extract` over the runs of ASCII digits of view[pos:end] (runs start at pos even
 * after a digit, as re's pos does; a run reaching end is cut there): a run that starts before
 * `consumed` is passed over; one inside a span of `skip` (flat [a0, b0, a1, b1, ...], sorted;
 * `k` the first span that may hold it) passes `consumed` to the span's end; the tail of a number
 * ("5" of "3.5") is passed over; at the others figure_at reads the figure, its tuple is added to
 * `figures` and `consumed` moves past it and its run. The loop stops at the first run figure_at
 * leaves to the Python (s >= 0: the Python's parse_figure reads it, sets consumed, and calls again
 * with pos = run_end), or at end (s = -1). One call for the runs of a whole answer, not a Python
 * step for each. */
/* the arguments figure_runs and figure_claims share, checked (-1: an error set) */
static int
runs_args(const char *fn, PyObject *view, PyObject *dec, PyObject *grp, PyObject *skip)
{
    if (check_str(view, fn) < 0 || check_str(dec, fn) < 0 || check_str(grp, fn) < 0)
        return -1;
    if (PyUnicode_GET_LENGTH(dec) != 1 || PyUnicode_GET_LENGTH(grp) != 1) {
        PyErr_Format(PyExc_ValueError, "%s() expects one-character separators", fn);
        return -1;
    }
    const Py_ssize_t nskip = PyList_GET_SIZE(skip);
    if (nskip % 2 != 0) {
        PyErr_Format(PyExc_ValueError, "%s() expects a flat list of (start, end) pairs", fn);
        return -1;
    }
    for (Py_ssize_t j = 0; j < nskip; j++)
        if (!PyLong_Check(PyList_GET_ITEM(skip, j))) {
            PyErr_Format(PyExc_TypeError, "%s() expects int offsets in skip", fn);
            return -1;
        }
    return 0;
}

static PyObject *claim_of(PyObject *view, const Fig *f);

/* the loop of figure_runs (keep NULL: figure_at's tuples appended to out) and figure_claims
 * (keep[kind]: the Claims of the kinds kept appended to out, those of numbers also to numbers);
 * *pos..*consumed as the arguments, and the answer's (s, run_end, k, consumed) in stop */
static int
runs_loop(PyObject *view, Py_ssize_t pos, Py_ssize_t end, Py_ssize_t consumed, PyObject *skip, Py_ssize_t k,
          PyObject *dec, PyObject *grp, int mdy, const int *keep, PyObject *out, PyObject *numbers, Py_ssize_t stop[4])
{
    const Py_ssize_t n = PyUnicode_GET_LENGTH(view), nskip = PyList_GET_SIZE(skip);
    /* clamp as re's pos/endpos do */
    if (pos < 0)
        pos = 0;
    if (end > n)
        end = n;
    if (k < 0)
        k = 0;
    const int kind = PyUnicode_KIND(view);
    const void *data = PyUnicode_DATA(view);
    /* the runs of digits of view[pos:end], found by the scan (sixteen characters at a time) */
    Py_ssize_t *runs = NULL;
    const Py_ssize_t nruns = pos < end ? scan_runs(view, pos, end, &runs) : 0;
    if (nruns < 0)
        return -1;
#define SKIP_AT(j) PyLong_AsSsize_t(PyList_GET_ITEM(skip, (j)))
    Py_ssize_t stop_s = -1, stop_end = -1;
    for (Py_ssize_t r = 0; r < nruns; r++) {
        const Py_ssize_t s = runs[2 * r], run_end = runs[2 * r + 1];
        if (s < consumed)
            continue;
        while (k < nskip / 2 && SKIP_AT(2 * k + 1) <= s)
            k++;
        if (k < nskip / 2 && SKIP_AT(2 * k) <= s) {
            consumed = SKIP_AT(2 * k + 1);
            continue;
        }
        if (PyErr_Occurred())
            goto error;
        if (s >= 2) {
            Py_UCS4 prev = PyUnicode_READ(kind, data, s - 1), before = PyUnicode_READ(kind, data, s - 2);
            if ((prev == '.' || prev == ',') && before >= '0' && before <= '9')
                continue; /* the tail of a number already read */
        }
        Fig f;
        if (figure_read(view, s, dec, grp, mdy, &f) < 0)
            goto error;
        if (f.what < 1 || f.what > 4) {
            fig_free(&f);
            stop_s = s, stop_end = run_end; /* the Python reads this one */
            break;
        }
        int code = f.what == 1 ? K_DATE : f.what == 2 ? K_TIME : f.what == 3 ? K_CODE : -1;
        if (keep != NULL && code < 0)
            for (int q = 0; q < N_KINDS; q++)
                if (strcmp(f.kind, KIND_NAMES[q]) == 0)
                    code = q;
        if (keep == NULL || code < 0 || keep[code]) {
            PyObject *item = keep == NULL ? fig_tuple(&f) : claim_of(view, &f);
            if (item == NULL || PyList_Append(out, item) < 0 ||
                    (keep != NULL && code == K_NUMBER && PyList_Append(numbers, item) < 0)) {
                Py_XDECREF(item);
                fig_free(&f);
                goto error;
            }
            Py_DECREF(item);
        }
        consumed = f.after > run_end ? f.after : run_end;
        fig_free(&f);
    }
#undef SKIP_AT
    PyMem_Free(runs);
    stop[0] = stop_s, stop[1] = stop_end, stop[2] = k, stop[3] = consumed;
    return 0;
error:
    PyMem_Free(runs);
    return -1;
}

static PyObject *
figure_runs(PyObject *self, PyObject *args)
{
    PyObject *view, *skip, *dec, *grp;
    Py_ssize_t pos, end, consumed, k, stop[4];
    int mdy;
    if (!PyArg_ParseTuple(args, "UnnnO!nUUp:figure_runs", &view, &pos, &end, &consumed, &PyList_Type, &skip, &k, &dec,
                          &grp, &mdy))
        return NULL;
    if (runs_args("figure_runs", view, dec, grp, skip) < 0)
        return NULL;
    PyObject *figures = PyList_New(0);
    if (figures == NULL)
        return NULL;
    if (runs_loop(view, pos, end, consumed, skip, k, dec, grp, mdy, NULL, figures, NULL, stop) < 0) {
        Py_DECREF(figures);
        return NULL;
    }
    return Py_BuildValue("(Nnnnn)", figures, stop[0], stop[1], stop[2], stop[3]);
}

/* -- figure_claims: figure_runs with the figures made into `Claim`s here -------------------------
 *
 * claim_type(Claim, Decimal, role_bits) registers `_claims.Claim` (its __slots__ are written here
 * directly, at the offsets its member descriptors give: no __init__, no attribute lookup),
 * `decimal.Decimal` and `_claims._ROLE_BITS` (16 frozensets, one per combination of role bits).
 *
 * figure_claims(view, pos, end, consumed, skip, k, decimal, group, mdy, kinds, out)
 *     -> (numbers, s, run_end, k, consumed)
 *
 * figure_runs' loop, with each figure made into the `Claim` `_claims._read_claim` makes of its
 * tuple (kind, start, end, value, unit, role, per, roles as there; surface view[start:end], as
 * `extract` sets it) and appended to `out` when `kinds` (a set, or None: every kind) holds its
 * kind. `numbers`: the claims of kind "number" appended, for the Python's `_structural` test.
 * The value is `Decimal(digits)`, times the magnitude, then divided or multiplied by the factor,
 * by the same Decimal operations in the caller's decimal context. */

static const char *const CLAIM_SLOTS[] = {"kind", "start", "end", "value", "unit", "role", "per", "roles", "surface"};
enum { C_KIND, C_START, C_END, C_VALUE, C_UNIT, C_ROLE, C_PER, C_ROLES, C_SURFACE, N_CSLOTS };
static PyTypeObject *claim_cls = NULL;
static PyObject *claim_decimal = NULL, *claim_role_bits = NULL;
static Py_ssize_t claim_off[N_CSLOTS];

static PyObject *
claim_type(PyObject *self, PyObject *args)
{
    PyObject *cls, *decimal, *bits;
    if (!PyArg_ParseTuple(args, "O!OO!:claim_type", &PyType_Type, &cls, &decimal, &PyTuple_Type, &bits))
        return NULL;
    if (PyTuple_GET_SIZE(bits) != 16) {
        PyErr_SetString(PyExc_ValueError, "claim_type() expects 16 role sets");
        return NULL;
    }
    for (Py_ssize_t j = 0; j < 16; j++)
        if (!PyFrozenSet_CheckExact(PyTuple_GET_ITEM(bits, j))) {
            PyErr_SetString(PyExc_TypeError, "claim_type() expects frozensets of roles");
            return NULL;
        }
    if (!PyCallable_Check(decimal)) {
        PyErr_SetString(PyExc_TypeError, "claim_type() expects the Decimal type");
        return NULL;
    }
    PyTypeObject *t = (PyTypeObject *)cls;
    if (t->tp_alloc == NULL || t->tp_new == NULL || t->tp_dict == NULL) {
        PyErr_SetString(PyExc_TypeError, "claim_type() expects a class");
        return NULL;
    }
    Py_ssize_t off[N_CSLOTS];
    for (int k = 0; k < N_CSLOTS; k++) {
        PyObject *d = PyDict_GetItemString(t->tp_dict, CLAIM_SLOTS[k]); /* borrowed */
        if (d == NULL || !Py_IS_TYPE(d, &PyMemberDescr_Type) ||
            ((PyMemberDescrObject *)d)->d_member->type != T_OBJECT_EX ||
            (((PyMemberDescrObject *)d)->d_member->flags & READONLY) ||
            ((PyMemberDescrObject *)d)->d_member->offset <= 0 ||
            ((PyMemberDescrObject *)d)->d_member->offset + (Py_ssize_t)sizeof(PyObject *) > t->tp_basicsize) {
            PyErr_Format(PyExc_TypeError, "claim_type() expects a class with a writable slot %s", CLAIM_SLOTS[k]);
            return NULL;
        }
        off[k] = ((PyMemberDescrObject *)d)->d_member->offset;
    }
    Py_INCREF(cls);
    Py_INCREF(decimal);
    Py_INCREF(bits);
    Py_XSETREF(claim_cls, t);
    Py_XSETREF(claim_decimal, decimal);
    Py_XSETREF(claim_role_bits, bits);
    memcpy(claim_off, off, sizeof off);
    Py_RETURN_NONE;
}

/* set slot k of a claim made here (steals v; v may be NULL: an error already set) */
static int
claim_put(PyObject *o, int k, PyObject *v)
{
    if (v == NULL)
        return -1;
    PyObject **p = (PyObject **)((char *)o + claim_off[k]);
    Py_XSETREF(*p, v);
    return 0;
}

/* the str of a static C string of figure_read's (a unit, period or rate kind), interned */
static PyObject *
static_str(const char *s)
{
    static const char *keys[64];
    static PyObject *vals[64];
    static int n = 0;
    if (s == NULL)
        Py_RETURN_NONE;
    for (int j = 0; j < n; j++)
        if (keys[j] == s)
            return Py_NewRef(vals[j]);
    PyObject *v = PyUnicode_InternFromString(s);
    if (v != NULL && n < 64) {
        keys[n] = s, vals[n] = Py_NewRef(v);
        n++;
    }
    return v;
}

/* the Claim of what figure_read read (f->what 1-4), or NULL with an error set */
static PyObject *
claim_of(PyObject *view, const Fig *f)
{
    int kind;
    switch (f->what) {
    case 1: kind = K_DATE; break;
    case 2: kind = K_TIME; break;
    case 3: kind = K_CODE; break;
    default:
        kind = -1;
        for (int k = 0; k < N_KINDS; k++)
            if (strcmp(f->kind, KIND_NAMES[k]) == 0)
                kind = k;
        if (kind < 0) {
            PyErr_SetString(PyExc_SystemError, "figure_claims(): a figure of an unknown kind");
            return NULL;
        }
    }
    PyObject *value;
    if (f->what == 1)
        value = f->y < 0 ? Py_BuildValue("(Oii)", Py_None, f->m, f->d) : Py_BuildValue("(iii)", f->y, f->m, f->d);
    else if (f->what == 2)
        value = Py_BuildValue("(ii)", f->y, f->m);
    else if (f->what == 3)
        value = PyUnicode_FromStringAndSize(f->num, f->num_len);
    else {
        PyObject *digits = PyUnicode_FromStringAndSize(f->num, f->num_len);
        if (digits == NULL)
            return NULL;
        value = PyObject_CallOneArg(claim_decimal, digits);
        Py_DECREF(digits);
        if (value != NULL && f->mag) {
            PyObject *m = PyLong_FromSsize_t(f->mag), *v = m == NULL ? NULL : PyNumber_Multiply(value, m);
            Py_XDECREF(m);
            Py_SETREF(value, v);
        }
        if (value != NULL && (f->op == 1 || f->op == 2)) {
            PyObject *m = PyLong_FromSsize_t(f->opn);
            PyObject *v = m == NULL ? NULL : f->op == 1 ? PyNumber_TrueDivide(value, m) : PyNumber_Multiply(value, m);
            Py_XDECREF(m);
            Py_SETREF(value, v);
        }
    }
    if (value == NULL)
        return NULL;
    PyObject *o = claim_cls->tp_alloc(claim_cls, 0);
    if (o == NULL) {
        Py_DECREF(value);
        return NULL;
    }
    PyObject *roles = PyTuple_GET_ITEM(claim_role_bits, f->what == 4 ? (f->roles & 15) : 0);
    if (claim_put(o, C_KIND, Py_NewRef(kind_names[kind])) < 0 || claim_put(o, C_START, PyLong_FromSsize_t(f->start)) < 0 ||
        claim_put(o, C_END, PyLong_FromSsize_t(f->after)) < 0 || claim_put(o, C_VALUE, value) < 0 ||
        claim_put(o, C_UNIT, f->what == 4 ? static_str(f->unit) : Py_NewRef(Py_None)) < 0 ||
        claim_put(o, C_ROLE, f->what == 4 ? static_str(f->role) : Py_NewRef(Py_None)) < 0 ||
        claim_put(o, C_PER, f->what == 4 ? static_str(f->per) : Py_NewRef(Py_None)) < 0 ||
        claim_put(o, C_ROLES, Py_NewRef(roles)) < 0 ||
        claim_put(o, C_SURFACE, PyUnicode_Substring(view, f->start, f->after)) < 0) {
        Py_DECREF(o);
        return NULL;
    }
    return o;
}

static PyObject *
figure_claims(PyObject *self, PyObject *args)
{
    PyObject *view, *skip, *dec, *grp, *kinds, *out;
    Py_ssize_t pos, end, consumed, k, stop[4];
    int mdy;
    if (!PyArg_ParseTuple(args, "UnnnO!nUUpOO!:figure_claims", &view, &pos, &end, &consumed, &PyList_Type, &skip, &k,
                          &dec, &grp, &mdy, &kinds, &PyList_Type, &out))
        return NULL;
    if (claim_cls == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "figure_claims() needs claim_type() first");
        return NULL;
    }
    if (kinds != Py_None && !PyAnySet_Check(kinds)) {
        PyErr_SetString(PyExc_TypeError, "figure_claims() expects a set of kinds or None");
        return NULL;
    }
    if (runs_args("figure_claims", view, dec, grp, skip) < 0)
        return NULL;
    /* which kinds are kept, asked once */
    int keep[N_KINDS];
    for (int q = 0; q < N_KINDS; q++) {
        keep[q] = kinds == Py_None ? 1 : PySet_Contains(kinds, kind_names[q]);
        if (keep[q] < 0)
            return NULL;
    }
    PyObject *numbers = PyList_New(0);
    if (numbers == NULL)
        return NULL;
    if (runs_loop(view, pos, end, consumed, skip, k, dec, grp, mdy, keep, out, numbers, stop) < 0) {
        Py_DECREF(numbers);
        return NULL;
    }
    return Py_BuildValue("(Nnnnn)", numbers, stop[0], stop[1], stop[2], stop[3]);
}

/* -- entities: `_claims._entities` / `_entities_near` with starts=None ------------------------------
 *
 * entity_spans(view, heads) -> [a0, e0, c0, a1, e1, c1, ...]: the product and fee names of view,
 * each as (start, end, end of its core): the claim is Claim("entity", a, e, core.lower(),
 * surface=core) with core = view[a:c]. heads: offsets inside each head noun, ascending (the
 * pre-scan's), or None for the whole text. The word lists are the Python's (entity_words()
 * returns them for the test that holds the two to the same). */

static const char *const HEAD_WORDS[] = {
    "account", "accounts", "saver", "savers", "isa", "isas", "bond", "bonds", "card", "cards", "mortgage",
    "mortgages", "loan", "loans", "fee", "fees", "charge", "charges", "rate", "rates", "plan", "plans", "overdraft",
    "overdrafts", "tracker", "trackers", "reward", "rewards", "cashback", "insurance", "cover", "scheme", "schemes",
    "service", "services", "package", "packages", "bundle", "bundles", "club", "membership", "allowance",
    "allowances", "deposit", "deposits", "pension", "pensions", "fund", "funds", "portfolio", "portfolios",
    "product", "products", "tariff", "tariffs", "premium", "premiums", NULL};
static const char *const DETERMINER_WORDS[] = {
    "the", "a", "an", "our", "your", "their", "this", "that", "these", "those", "its", "my", "his", "her", "each",
    "every", "any", "all", "some", "no", "with", "for", "from", "to", "and", "or", "of", "in", "on", "at", "by",
    "as", "if", "when", "while", "but", "so", "however", "please", "note", "yes", "also", "both", "either",
    "neither", "new", "existing", NULL};
static const char *const CONNECTOR_WORDS[] = {"of", "and", "&", "for", "plus", "the", NULL};

static inline int
name_char(Py_UCS4 c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_dig(c) || c == '&' || c == '\'' || c == '+';
}

/* whether view[a:b] lowered (ASCII: name characters only) is one of words */
static int
word_in(const Txt *t, Py_ssize_t a, Py_ssize_t b, const char *const *words)
{
    /* lit_ci's first comparison first: most words of the list differ from the text there */
    Py_UCS4 c0 = AT(t, a);
    if (c0 >= 'A' && c0 <= 'Z')
        c0 += 32;
    for (int k = 0; words[k]; k++) {
        const char *w = words[k];
        if ((Py_UCS4)(unsigned char)w[0] != c0)
            continue;
        Py_ssize_t len = (Py_ssize_t)strlen(w);
        if (len != b - a)
            continue;
        if (lit_ci(t, a, w) == b)
            return 1;
    }
    return 0;
}

static int
sentence_start(const Txt *t, Py_ssize_t a)
{
    Py_ssize_t k = a - 1;
    while (k >= 0) {
        Py_UCS4 c = AT(t, k);
        if (!(c == ' ' || c == '"' || c == '\'' || c == '(' || c == '*' || c == '-'))
            break;
        k--;
    }
    if (k < 0)
        return 1;
    Py_UCS4 c = AT(t, k);
    return c == '.' || c == '!' || c == '?' || c == ':' || c == '\n';
}

#define MAX_WORDS 256

/* _entities(view, None, lo, hi), appending triples to out */
static int
entities_in(const Txt *t, Py_ssize_t lo, Py_ssize_t hi, PyObject *out)
{
    const Py_ssize_t n = t->n;
    Py_ssize_t ws[MAX_WORDS], we[MAX_WORDS];
    Py_ssize_t p = lo;
    while (p < hi) {
        Py_UCS4 c0 = AT(t, p);
        if (!(c0 >= 'A' && c0 <= 'Z')) {
            p++;
            continue;
        }
        /* _CAPS_RUN at p, in view[:hi] */
        Py_ssize_t ms = p, q = p + 1;
        int nw = 0;
        int overflow = 0;
        while (q < hi && name_char(AT(t, q)))
            q++;
        ws[nw] = ms;
        we[nw++] = q;
        for (;;) {
            if (!(q < hi && AT(t, q) == ' '))
                break;
            static const char *const CONN[] = {"of ", "and ", "for ", "plus ", "& ", NULL};
            Py_ssize_t r = -1, cs = -1;
            for (int k = 0; CONN[k]; k++) {
                Py_ssize_t x = lit(t, q + 1, CONN[k]);
                if (x >= 0 && x < hi) {
                    Py_UCS4 c = AT(t, x);
                    if ((c >= 'A' && c <= 'Z') || is_dig(c)) {
                        r = x;
                        cs = q + 1;
                        break;
                    }
                }
            }
            if (r < 0) {
                Py_UCS4 c = q + 1 < hi ? AT(t, q + 1) : END;
                if ((c >= 'A' && c <= 'Z') || is_dig(c))
                    r = q + 1;
                else
                    break;
            }
            Py_ssize_t x = r + 1;
            while (x < hi && name_char(AT(t, x)))
                x++;
            if (nw + 2 > MAX_WORDS) {
                overflow = 1;
            } else {
                if (cs >= 0) {
                    /* the connector is a word of its own ("of", "and", "&") */
                    ws[nw] = cs;
                    we[nw++] = r - 1;
                }
                ws[nw] = r;
                we[nw++] = x;
            }
            q = x;
        }
        Py_ssize_t mend = q, ns = -1, ne = -1;
        if (q < hi && AT(t, q) == ' ' && q + 1 < hi && AT(t, q + 1) >= 'a' && AT(t, q + 1) <= 'z') {
            ns = q + 1;
            ne = ns;
            while (ne < hi && AT(t, ne) >= 'a' && AT(t, ne) <= 'z')
                ne++;
            mend = ne;
        }
        p = mend; /* finditer goes on after the match */
        if (overflow)
            return 1; /* a name of hundreds of words: the caller reads it in Python */
        int head_lower = 0;
        Py_ssize_t e = mend;
        if (ns >= 0 && word_in(t, ns, ne, HEAD_WORDS) && (ne >= n || !is_alnum(AT(t, ne)))) {
            head_lower = 1;
        } else {
            /* the run without the next word: its last word must be a head noun */
            if (!word_in(t, ws[nw - 1], we[nw - 1], HEAD_WORDS))
                continue;
            e = we[nw - 1];
        }
        Py_ssize_t a = ms;
        if (a > 0) {
            Py_UCS4 c = AT(t, a - 1);
            if (is_alnum(c) || c == '_' || c == '\'')
                continue;
        }
        int first = 0;
        while (first < nw && word_in(t, ws[first], we[first], DETERMINER_WORDS)) {
            a += (we[first] - ws[first]) + 1;
            first++;
        }
        if (first >= nw)
            continue;
        int last = head_lower ? nw : nw - 1; /* name = words[first:last] */
        while (last > first && word_in(t, ws[last - 1], we[last - 1], CONNECTOR_WORDS))
            last--;
        if (last <= first)
            continue;
        if (last - first == 1 && sentence_start(t, a)) {
            /* name[0][1:].islower() and no digit in name[0] */
            int cased = 0, upper = 0, digit = 0;
            for (Py_ssize_t i = ws[first]; i < we[first]; i++) {
                Py_UCS4 c = AT(t, i);
                if (is_dig(c))
                    digit = 1;
                if (i > ws[first]) {
                    if (c >= 'a' && c <= 'z')
                        cased = 1;
                    else if (c >= 'A' && c <= 'Z')
                        upper = 1;
                }
            }
            if (cased && !upper && !digit)
                continue;
        }
        if (head_lower) {
            int all = 1;
            for (int k = first; k < last; k++)
                if (!word_in(t, ws[k], we[k], HEAD_WORDS) && !word_in(t, ws[k], we[k], CONNECTOR_WORDS)) {
                    all = 0;
                    break;
                }
            if (all)
                continue;
        }
        Py_ssize_t core_end = head_lower ? we[last - 1] : e;
        PyObject *v;
        Py_ssize_t trip[3] = {a, e, core_end};
        for (int k = 0; k < 3; k++) {
            v = PyLong_FromSsize_t(trip[k]);
            if (v == NULL || PyList_Append(out, v) < 0) {
                Py_XDECREF(v);
                return -1;
            }
            Py_DECREF(v);
        }
    }
    return 0;
}

static PyObject *
entity_spans(PyObject *self, PyObject *args)
{
    PyObject *text, *heads;
    if (!PyArg_ParseTuple(args, "UO:entity_spans", &text, &heads))
        return NULL;
    if (check_str(text, "entity_spans") < 0)
        return NULL;
    Txt tt = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)};
    const Txt *t = &tt;
    const Py_ssize_t n = t->n;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    if (heads == Py_None) {
        int r = entities_in(t, 0, n, out);
        if (r != 0) {
            Py_DECREF(out);
            if (r < 0)
                return NULL;
            Py_RETURN_NONE;
        }
        return out;
    }
    if (!PyList_Check(heads)) {
        Py_DECREF(out);
        PyErr_SetString(PyExc_TypeError, "entity_spans() expects a list of offsets or None");
        return NULL;
    }
    Py_ssize_t done = 0;
    for (Py_ssize_t h = 0; h < PyList_GET_SIZE(heads); h++) {
        Py_ssize_t p = PyLong_AsSsize_t(PyList_GET_ITEM(heads, h));
        if (p == -1 && PyErr_Occurred()) {
            Py_DECREF(out);
            return NULL;
        }
        if (p < done)
            continue;
        /* from just after the last ".", "," or "\n" in view[done:p] (or done) */
        Py_ssize_t a = done;
        Py_ssize_t stop = p < n ? p : n;
        for (Py_ssize_t k = stop - 1; k >= done; k--) {
            Py_UCS4 c = AT(t, k);
            if (c == '.' || c == ',' || c == '\n') {
                a = k + 1;
                break;
            }
        }
        /* to the first character from p that is no name character ([^A-Za-z0-9&'+ ]) */
        Py_ssize_t b = p;
        while (b < n && (name_char(AT(t, b)) || AT(t, b) == ' '))
            b++;
        if (b > n)
            b = n;
        int r = entities_in(t, a, b, out);
        if (r != 0) {
            Py_DECREF(out);
            if (r < 0)
                return NULL;
            Py_RETURN_NONE;
        }
        done = b;
    }
    return out;
}

/* entity_claims(view, heads) -> [Claim, ...] | None: `_claims.entities`' claims of entity_spans'
 * spans, made here: Claim("entity", a, e, view[a:core_end].lower(), surface=view[a:core_end]);
 * None where entity_spans answers None (the Python reads the names). Needs claim_type(). */
static PyObject *
entity_claims(PyObject *self, PyObject *args)
{
    static PyObject *lower_name = NULL;
    if (claim_cls == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "entity_claims() needs claim_type() first");
        return NULL;
    }
    if (lower_name == NULL && (lower_name = PyUnicode_InternFromString("lower")) == NULL)
        return NULL;
    PyObject *spans = entity_spans(self, args);
    if (spans == NULL || spans == Py_None)
        return spans;
    PyObject *view = PyTuple_GET_ITEM(args, 0); /* a str: entity_spans checked it */
    const Py_ssize_t m = PyList_GET_SIZE(spans) / 3;
    PyObject *out = PyList_New(m);
    if (out == NULL) {
        Py_DECREF(spans);
        return NULL;
    }
    for (Py_ssize_t q = 0; q < m; q++) {
        Py_ssize_t a = PyLong_AsSsize_t(PyList_GET_ITEM(spans, 3 * q));
        Py_ssize_t c = PyLong_AsSsize_t(PyList_GET_ITEM(spans, 3 * q + 2));
        PyObject *core = PyErr_Occurred() ? NULL : PyUnicode_Substring(view, a, c);
        PyObject *low = core == NULL ? NULL : PyObject_CallMethodNoArgs(core, lower_name);
        PyObject *o = low == NULL ? NULL : claim_cls->tp_alloc(claim_cls, 0);
        if (o == NULL) {
            Py_XDECREF(core);
            Py_XDECREF(low);
            Py_DECREF(out);
            Py_DECREF(spans);
            return NULL;
        }
        PyList_SET_ITEM(out, q, o);
        claim_put(o, C_KIND, Py_NewRef(kind_names[K_ENTITY]));
        claim_put(o, C_START, Py_NewRef(PyList_GET_ITEM(spans, 3 * q)));
        claim_put(o, C_END, Py_NewRef(PyList_GET_ITEM(spans, 3 * q + 1)));
        claim_put(o, C_VALUE, low);
        claim_put(o, C_UNIT, Py_NewRef(Py_None));
        claim_put(o, C_ROLE, Py_NewRef(Py_None));
        claim_put(o, C_PER, Py_NewRef(Py_None));
        claim_put(o, C_ROLES, Py_NewRef(PyTuple_GET_ITEM(claim_role_bits, 0)));
        claim_put(o, C_SURFACE, core);
    }
    Py_DECREF(spans);
    return out;
}

static PyObject *
entity_words(PyObject *self, PyObject *noargs)
{
    const char *const *lists[3] = {HEAD_WORDS, DETERMINER_WORDS, CONNECTOR_WORDS};
    PyObject *out = PyTuple_New(3);
    if (out == NULL)
        return NULL;
    for (int i = 0; i < 3; i++) {
        PyObject *l = PyList_New(0);
        if (l == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyTuple_SET_ITEM(out, i, l);
        for (int k = 0; lists[i][k]; k++) {
            PyObject *w = PyUnicode_FromString(lists[i][k]);
            if (w == NULL || PyList_Append(l, w) < 0) {
                Py_XDECREF(w);
                Py_DECREF(out);
                return NULL;
            }
            Py_DECREF(w);
        }
    }
    return out;
}

/* lower_plain(text) -> text.lower() when every character is plain (ASCII, or neither letter nor
 * digit and without case, such as the pound and euro signs: lower() leaves those as they are),
 * else None. str.lower() of a text beyond ASCII maps every character through the Unicode tables
 * (some 20 ns a character); this lowers the ASCII letters only. What `SourceIndex._phrase`
 * compares names in when the sources spell them in another case. */
static PyObject *
lower_plain(PyObject *self, PyObject *arg)
{
    if (check_str(arg, "lower_plain") < 0)
        return NULL;
    const int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    Py_UCS4 maxchar = 0;
    /* one pass proving the text plain, one writing it lowered, per character width */
#define LOWER_PLAIN(T)                                                                 \
    do {                                                                               \
        const T *p = (const T *)data;                                                  \
        for (Py_ssize_t i = 0; i < n; i++) {                                           \
            Py_UCS4 c = p[i];                                                          \
            if (c >= 128 && !is_plain(c))                                              \
                Py_RETURN_NONE;                                                        \
            if (c > maxchar)                                                           \
                maxchar = c;                                                           \
        }                                                                              \
        /* the same maximum character, so the same width: the text is copied unit by unit */   \
        out = PyUnicode_New(n, maxchar);                                               \
        if (out == NULL)                                                               \
            return NULL;                                                               \
        T *o = (T *)PyUnicode_DATA(out);                                               \
        for (Py_ssize_t i = 0; i < n; i++) {                                           \
            T c = p[i];                                                                \
            o[i] = (c >= 'A' && c <= 'Z') ? (T)(c + 32) : c;                           \
        }                                                                              \
    } while (0)
    PyObject *out = NULL;
    if (kind == PyUnicode_1BYTE_KIND)
        LOWER_PLAIN(Py_UCS1);
    else if (kind == PyUnicode_2BYTE_KIND)
        LOWER_PLAIN(Py_UCS2);
    else
        LOWER_PLAIN(Py_UCS4);
#undef LOWER_PLAIN
    return out;
}

/* screen_hits(view, hits, surface, off, nlen, flags, group, kind, starts, marks) -> list[int]
 *
 * The hits (a list of offsets, in order) at which `SourceIndex._search` (or, with flags & 16,
 * `SourceIndex._as_written`) can do anything, in the same order: a hit is dropped only when the
 * Python would pass over it whatever the citations allow, i.e. when the claim is not written
 * there as in the answer (`_literal(surface, hit - off)`, off >= 0) and the figure there cannot
 * state it (`_digit_bounds` and, unless `marked`, `_plausible` fail: flags 1 numeric, 2 marked,
 * 4 decimal, 8 whole). `kind`: 0 any figure is plausible, 1 money, 2 a unit from `starts` must
 * follow, 3 a date (every hit is kept: the Python judges those), 4 a date whose month must be
 * written near (one of the patterns in `starts`, split at "\n", within 24 characters before the
 * hit to 12 after: `_plausible`'s test for dates). `marks` are `_CURRENCY_MARKS`.
 * The Python runs every kept hit through its own tests, so the kernel only saves the Python loop
 * over the hits that do nothing (tests/grounding/test_cground.py compares the two). */

static inline int u_digit(Py_UCS4 c) { return c != END && Py_UNICODE_ISDIGIT(c); }

static int
in_str(PyObject *s, Py_UCS4 c)
{
    if (c == END)
        return 0;
    const int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t k = 0; k < PyUnicode_GET_LENGTH(s); k++)
        if (PyUnicode_READ(kind, data, k) == c)
            return 1;
    return 0;
}

static inline int
in_ascii(const char *set, Py_UCS4 c)
{
    return c != END && c < 128 && c != 0 && strchr(set, (int)c) != NULL;
}

/* SourceIndex._literal(surface, i) */
static int
screen_literal(const Txt *t, PyObject *view, PyObject *surface, Py_ssize_t i)
{
    const Py_ssize_t m = PyUnicode_GET_LENGTH(surface);
    if (i < 0 || m == 0 || i + m > t->n)
        return 0;
    if (PyUnicode_Tailmatch(view, surface, i, i + m, -1) != 1)
        return 0;
    const Py_ssize_t e = i + m;
    Py_UCS4 before = i > 0 ? AT(t, i - 1) : ' ';
    Py_UCS4 after = e < t->n ? AT(t, e) : ' ';
    Py_UCS4 last = PyUnicode_READ_CHAR(surface, m - 1);
    return !Py_UNICODE_ISALNUM(before) && !(in_ascii(".,-/", before) && i > 1 && u_digit(AT(t, i - 2)))
        && !Py_UNICODE_ISDIGIT(after) && !(Py_UNICODE_ISALPHA(after) && Py_UNICODE_ISALNUM(last))
        && !(in_ascii(".,/-:", after) && u_digit(AT(t, e + 1)));
}

/* _digit_bounds(v, i, n, decimal, whole, group) */
static int
screen_bounds(const Txt *t, Py_ssize_t i, Py_ssize_t nl, int decimal, int whole, PyObject *group)
{
    if (whole && i > 0 && (u_digit(AT(t, i - 1)) || (in_ascii(".,", AT(t, i - 1)) && i > 1 && u_digit(AT(t, i - 2)))))
        return 0;
    Py_ssize_t e = i + nl;
    if (!decimal) {
        /* v[e:e+1] == group */
        const Py_ssize_t gl = PyUnicode_GET_LENGTH(group);
        int same = gl == 0 ? e >= t->n : (gl == 1 && e < t->n && AT(t, e) == PyUnicode_READ_CHAR(group, 0));
        /* v[e+1:e+4].isdigit() and not v[e+4:e+5].isdigit() */
        if (same && e + 1 < t->n) {
            int all = 1;
            for (Py_ssize_t k = e + 1; k < e + 4 && k < t->n; k++)
                all = all && u_digit(AT(t, k));
            if (all && !u_digit(AT(t, e + 4)))
                return 0;
        }
    }
    if (u_digit(AT(t, e))) {
        if (!decimal)
            return 0;
        while (e < t->n && AT(t, e) == '0')
            e++;
        if (u_digit(AT(t, e)))
            return 0;
    }
    return 1;
}

/* _figure_end(v, e) */
static Py_ssize_t
screen_figure_end(const Txt *t, Py_ssize_t e)
{
    while (e < t->n && (u_digit(AT(t, e)) || in_ascii(".,", AT(t, e)))) {
        if (in_ascii(".,", AT(t, e)) && !u_digit(AT(t, e + 1)))
            break;
        e++;
    }
    return e;
}

/* _unit_next(v, e, starts) */
static int
screen_unit_next(const Txt *t, Py_ssize_t e, PyObject *starts)
{
    if (e < t->n && (AT(t, e) == ' ' || AT(t, e) == '-'))
        e++;
    return e < t->n && in_str(starts, AT(t, e));
}

/* _RANGE.match(v, e) ("[ ]?(?:-|to|and)[ ]?(?=[\u00a3$\u20ac\u00a5\u20b9]?[0-9])"): its end, or -1 */
static Py_ssize_t
screen_range(const Txt *t, Py_ssize_t e)
{
    Py_ssize_t p = e;
    if (AT(t, p) == ' ')
        p++;
    if (AT(t, p) == '-')
        p += 1;
    else if (AT(t, p) == 't' && AT(t, p + 1) == 'o')
        p += 2;
    else if (AT(t, p) == 'a' && AT(t, p + 1) == 'n' && AT(t, p + 2) == 'd')
        p += 3;
    else
        return -1;
    if (AT(t, p) == ' ')
        p++;
    Py_UCS4 c = AT(t, p);
    if (is_dig(c))
        return p;
    if ((c == 0xa3 || c == '$' || c == 0x20ac || c == 0xa5 || c == 0x20b9) && is_dig(AT(t, p + 1)))
        return p;
    return -1;
}

/* str.isupper() of v[a:b] */
static int
screen_isupper(const Txt *t, Py_ssize_t a, Py_ssize_t b)
{
    int cased = 0;
    for (Py_ssize_t k = a; k < b; k++) {
        Py_UCS4 c = AT(t, k);
        if (Py_UNICODE_ISLOWER(c) || Py_UNICODE_ISTITLE(c))
            return 0;
        if (!cased && Py_UNICODE_ISUPPER(c))
            cased = 1;
    }
    return cased;
}

/* whether one of the patterns (starts, split at "\n") lies whole within view[lo:hi] */
static int
screen_window_has(const Txt *t, Py_ssize_t lo, Py_ssize_t hi, PyObject *patterns)
{
    const int pk = PyUnicode_KIND(patterns);
    const void *pd = PyUnicode_DATA(patterns);
    const Py_ssize_t pn = PyUnicode_GET_LENGTH(patterns);
    if (lo < 0)
        lo = 0;
    if (hi > t->n)
        hi = t->n;
    Py_ssize_t a = 0;
    while (a < pn) {
        Py_ssize_t b = a;
        while (b < pn && PyUnicode_READ(pk, pd, b) != '\n')
            b++;
        const Py_ssize_t len = b - a;
        for (Py_ssize_t q = lo; len > 0 && q + len <= hi; q++) {
            Py_ssize_t k = 0;
            while (k < len && PyUnicode_READ(t->kind, t->data, q + k) == PyUnicode_READ(pk, pd, a + k))
                k++;
            if (k == len)
                return 1;
        }
        a = b + 1;
    }
    return 0;
}

/* _plausible(v, i, e, c) for kinds 0-2 and 4 (a date whose month is written as one of the patterns
 * in `starts`, split at "\n", within v[i - 24:i + 12]); 3, a date: always kept */
static int
screen_plausible(const Txt *t, Py_ssize_t i, Py_ssize_t e, int kind, PyObject *starts, PyObject *marks)
{
    if (kind == 0 || kind == 3)
        return 1;
    if (kind == 4)
        return screen_window_has(t, i - 24, i + 12, starts);
    if (kind == 1) {
        Py_ssize_t k = i;
        while (k > 0 && (u_digit(AT(t, k - 1)) || in_ascii(".,", AT(t, k - 1))))
            k--;
        if (k > 0) {
            if (in_str(marks, AT(t, k - 1)) || (AT(t, k - 1) == ' ' && k > 1 && in_str(marks, AT(t, k - 2))))
                return 1;
            /* v[max(0, k - 4):k].rstrip()[-3:].isupper() */
            Py_ssize_t a = k - 4 > 0 ? k - 4 : 0, b = k;
            while (b > a && Py_UNICODE_ISSPACE(AT(t, b - 1)))
                b--;
            if (screen_isupper(t, b - 3 > a ? b - 3 : a, b))
                return 1;
        }
    }
    e = screen_figure_end(t, e);
    if (screen_unit_next(t, e, starts))
        return 1;
    Py_ssize_t k = screen_range(t, e);
    if (k < 0)
        return 0;
    if (k < t->n && in_str(marks, AT(t, k)))
        k++;
    return screen_unit_next(t, screen_figure_end(t, k), starts);
}

typedef struct {
    PyObject *view, *surface, *group, *starts, *marks;
    Py_ssize_t off, nlen;
    int flags, kind;
} Screen;

/* whether the Python could act at place i (see screen_hits) */
static int
screen_keep(const Txt *t, const Screen *q, Py_ssize_t i)
{
    const int f = q->flags;
    if (i < 0 || i > t->n)
        return 1; /* not a place of the view: the Python decides */
    if (f & 16)
        return screen_literal(t, q->view, q->surface, i);
    return (q->off >= 0 && i >= q->off && screen_literal(t, q->view, q->surface, i - q->off))
        || !(f & 1)
        || (screen_bounds(t, i, q->nlen, f & 4, f & 8, q->group)
            && ((f & 2) || screen_plausible(t, i, i + q->nlen, q->kind, q->starts, q->marks)));
}

/* next_kept(view, needle, lo, surface, off, flags, group, kind, starts, marks) -> int: the first
 * place q >= lo where view.startswith(needle, q) and screen_hits would keep it, or -1: the same
 * places as str.find one after the other, screened, one at a time (for needles the table of runs
 * does not key, such as "8" or "2026", where the caller usually stops at the first it reads). */
static PyObject *
next_kept(PyObject *self, PyObject *args)
{
    PyObject *needle;
    Py_ssize_t lo;
    Screen q;
    if (!PyArg_ParseTuple(args, "UUnUniUiUU:next_kept", &q.view, &needle, &lo, &q.surface, &q.off, &q.flags,
                          &q.group, &q.kind, &q.starts, &q.marks))
        return NULL;
    if (check_str(q.view, "next_kept") < 0 || check_str(needle, "next_kept") < 0 || check_str(q.surface, "next_kept") < 0
        || check_str(q.group, "next_kept") < 0 || check_str(q.starts, "next_kept") < 0
        || check_str(q.marks, "next_kept") < 0)
        return NULL;
    Txt tt = {PyUnicode_KIND(q.view), PyUnicode_DATA(q.view), PyUnicode_GET_LENGTH(q.view)};
    q.nlen = PyUnicode_GET_LENGTH(needle);
    if (lo < 0)
        lo = 0;
    while (lo <= tt.n) {
        Py_ssize_t i = fast_find(q.view, needle, lo);
        if (i < 0)
            break;
        if (screen_keep(&tt, &q, i))
            return PyLong_FromSsize_t(i);
        lo = i + 1;
    }
    return PyLong_FromSsize_t(-1);
}

static PyObject *
screen_hits(PyObject *self, PyObject *args)
{
    PyObject *view, *hits, *surface, *group, *starts, *marks;
    Py_ssize_t off, nlen;
    int flags, kind;
    if (!PyArg_ParseTuple(args, "UO!UnniUiUU:screen_hits", &view, &PyList_Type, &hits, &surface, &off, &nlen,
                          &flags, &group, &kind, &starts, &marks))
        return NULL;
    if (check_str(view, "screen_hits") < 0 || check_str(surface, "screen_hits") < 0
        || check_str(group, "screen_hits") < 0 || check_str(starts, "screen_hits") < 0
        || check_str(marks, "screen_hits") < 0)
        return NULL;
    Txt tt = {PyUnicode_KIND(view), PyUnicode_DATA(view), PyUnicode_GET_LENGTH(view)};
    const Screen q = {view, surface, group, starts, marks, off, nlen, flags, kind};
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t h = 0; h < PyList_GET_SIZE(hits); h++) {
        PyObject *item = PyList_GET_ITEM(hits, h);
        if (!PyLong_Check(item)) {
            Py_DECREF(out);
            PyErr_SetString(PyExc_TypeError, "screen_hits() expects a list of int offsets");
            return NULL;
        }
        Py_ssize_t i = PyLong_AsSsize_t(item);
        if (i == -1 && PyErr_Occurred()) {
            Py_DECREF(out);
            return NULL;
        }
        if (screen_keep(&tt, &q, i) && PyList_Append(out, item) < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

/* -- read_support: SourceIndex._search's loop over a figure's places, for the usual case --------
 *
 * read_support(view, hits, lead, nlen, flags, surface, off, decimal, group, mdy, screen, starts,
 *              marks, kind, value, unit, per, role, roles) -> None | (found, charged)
 *
 * What `SourceIndex._search` does with the places `hits` of a needle (as the screen returns them)
 * for a claim of kind money, percent, duration or number whatever the citations allow: at each
 * place, in order, the claim written there as in the answer (`_literal(surface, hit - off)`)
 * settles it; else, where the figure there is worth reading (`_digit_bounds` and, unless marked,
 * `_plausible`: flags and screen as for screen_hits), the place is charged to the index's budget
 * and the claims `_claims_at(hit + lead)` reads there are compared with the claim
 * (`_sources.compatible`). `value` is the claim's value as canonical digits
 * (`_sources._canonical`), `unit`, `per`, `role` str or None, `roles` its roles as bits (1 fee,
 * 2 limit, 4 minimum, 8 repayment). The answer is (whether a place supports the claim, how many
 * places were charged), as the Python's loop would give it (flags without 1, a needle that does
 * not end in a digit: every place is read and charged); None when a place needs what only the
 * Python reads (a figure figure_at does not read whole, one with a magnitude or a factor, a
 * token read past the place, a literal amount whose roles must be compared): the Python then runs
 * its loop, from the first place. */

/* the canonical digits of a plain number "int[.frac]": no leading zeros, no trailing zeros of the
 * fraction, no point without a fraction (what `_sources._canonical` writes); -1 when not ASCII
 * or longer than cap */
static Py_ssize_t canonical_chars(const char *p, Py_ssize_t n, char *out, Py_ssize_t cap);

static Py_ssize_t
canonical_digits(PyObject *num, char *out, Py_ssize_t cap)
{
    if (!PyUnicode_Check(num) || !PyUnicode_IS_ASCII(num))
        return -1;
    return canonical_chars((const char *)PyUnicode_DATA(num), PyUnicode_GET_LENGTH(num), out, cap);
}

/* two values that are each a str or None: equal (None only to None) */
static int
same_opt(PyObject *a, PyObject *b)
{
    if (a == Py_None || b == Py_None)
        return a == b;
    return PyUnicode_Compare(a, b) == 0;
}

/* the canonical digits of a figure read as `number` (canonical digits, gn long) with its magnitude and
 * factor applied as `_claims._read_claim` applies them (value * mag, then / opn for op 1 or * opn
 * for op 2): written to out, its length; -1 when not one the kernel writes (a magnitude other than
 * a power of ten, a divisor other than 100, more than 24 digits: the Python's). The products and
 * quotients are exact within the decimal context's 28 digits, so the digits are the Decimal's. */
static Py_ssize_t
scaled_digits(const char *got, Py_ssize_t gn, Py_ssize_t mag, long op, Py_ssize_t opn, char *out, Py_ssize_t cap)
{
    char dig[64];
    int n = 0, p = -1;
    if (gn < 0 || gn > 24)
        return -1;
    for (Py_ssize_t k = 0; k < gn; k++) {
        if (got[k] == '.')
            p = n;
        else
            dig[n++] = got[k];
    }
    if (p < 0)
        p = n;
    int shift = 0;
    if (mag != 0) {
        Py_ssize_t m = mag;
        while (m % 10 == 0 && m > 1)
            m /= 10, shift++;
        if (m != 1)
            return -1;
    }
    if (op == 1) {
        if (opn == 100)
            shift -= 2;
        else if (opn != 1)
            return -1;
    }
    else if (op == 2) {
        if (opn < 1 || opn > 1000)
            return -1;
        /* dig * opn, right to left, the carry's digits prepended */
        long carry = 0;
        for (int k = n - 1; k >= 0; k--) {
            long x = (long)(dig[k] - '0') * (long)opn + carry;
            dig[k] = (char)('0' + x % 10);
            carry = x / 10;
        }
        while (carry > 0) {
            if (n >= (int)sizeof(dig) - 1)
                return -1;
            memmove(dig + 1, dig, (size_t)n);
            dig[0] = (char)('0' + carry % 10);
            carry /= 10;
            n++, p++;
        }
    }
    else if (op != 0)
        return -1;
    p += shift;
    /* canonical: the integer digits [0, p) without leading zeros, the fraction [p, n) without
     * trailing zeros (zeros padded where p lies outside [0, n]) */
    Py_ssize_t o = 0;
    int lead = 1;
    for (int k = 0; k < p; k++) {
        char c = k < n ? dig[k] : '0';
        if (lead && c == '0')
            continue;
        lead = 0;
        if (o >= cap)
            return -1;
        out[o++] = c;
    }
    int last = n - 1;
    while (last >= (p > 0 ? p : 0) && dig[last] == '0')
        last--;
    if (last >= p && last >= 0) {
        if (o >= cap)
            return -1;
        out[o++] = '.';
        for (int k = p; k <= last; k++) {
            if (o >= cap)
                return -1;
            out[o++] = k < 0 ? '0' : dig[k];
        }
    }
    return o > 24 ? -1 : o;
}

/* a str or None against a static string or NULL: equal (None only to NULL) */
static int
same_opt_c(PyObject *a, const char *b)
{
    if (a == Py_None || b == NULL)
        return a == Py_None && b == NULL;
    return PyUnicode_CompareWithASCIIString(a, b) == 0;
}

/* the canonical digits of a plain number's chars "int[.frac]" (what canonical_digits writes) */
static Py_ssize_t
canonical_chars(const char *p, Py_ssize_t n, char *out, Py_ssize_t cap)
{
    Py_ssize_t dot = n;
    for (Py_ssize_t k = 0; k < n; k++)
        if (p[k] == '.') {
            dot = k;
            break;
        }
    Py_ssize_t a = 0;
    while (a < dot && p[a] == '0')
        a++;
    Py_ssize_t e = n;
    if (dot < n) {
        while (e > dot + 1 && p[e - 1] == '0')
            e--;
        if (e == dot + 1)
            e = dot;
    }
    if (e - a > cap)
        return -1;
    memcpy(out, p + a, (size_t)(e - a));
    return e - a;
}

/* the reading at k: 1 compatible, 0 not, -1 not judged here, -2 error */
static int
read_one(const Txt *t, PyObject *view, Py_ssize_t k, PyObject *dec, PyObject *grp, int mdy, PyObject *kind,
         int is_number, int unit_counts, int is_time, const char *want, Py_ssize_t wn, PyObject *unit, PyObject *per,
         PyObject *role, int roles)
{
    const Py_UCS4 d = PyUnicode_READ_CHAR(dec, 0), g = PyUnicode_READ_CHAR(grp, 0);
    /* _claims_at's token start */
    Py_ssize_t s = k;
    while (s > 0 && k - s < 16) {
        Py_UCS4 c = AT(t, s - 1);
        if (!((c >= '0' && c <= '9') || c == '/' || c == '-' || c == ':' || c == '+' || c == g || c == d))
            break;
        s--;
    }
    while (s < k && !u_digit(AT(t, s)))
        s++;
    Fig f;
    if (figure_read(view, s, dec, grp, mdy, &f) < 0)
        return -2;
    int res = -1;
    if (f.what == 4) {
        char got[128], val[128];
        Py_ssize_t gn = canonical_chars(f.num, f.num_len, got, (Py_ssize_t)sizeof(got));
        /* one claim, from s: it must hold k (else the Python reads the hit's own token too), and
         * its value, with a magnitude or factor applied, must be one written here to be compared */
        Py_ssize_t vn = gn < 0 ? -1 : scaled_digits(got, gn, f.mag, f.op, f.opn, val, (Py_ssize_t)sizeof(val));
        int same_kind = PyUnicode_CompareWithASCIIString(kind, f.kind) == 0;
        if (f.start <= k && k < f.after && !same_kind) {
            /* a figure of another kind (the number "4" at "4 weeks"): `compatible` is false
             * whatever its value, so a magnitude or factor there needs no reading */
            res = 0;
        }
        else if (f.start <= k && k < f.after && vn >= 0) {
            int same_value = vn == wn && memcmp(val, want, (size_t)wn) == 0;
            if (is_number)
                res = same_kind && same_value; /* a plain figure: compatible only as the same number */
            else
                res = same_kind && same_value && (!unit_counts || same_opt_c(unit, f.unit))
                      && (per == Py_None || f.per == NULL || same_opt_c(per, f.per))
                      && !(roles && f.roles && !(roles & f.roles))
                      && (role == Py_None || f.role == NULL || same_opt_c(role, f.role));
            if (PyErr_Occurred())
                res = -2;
        }
    }
    else if ((f.what == 1 || f.what == 2 || f.what == 3) && f.start <= k && k < f.after) {
        /* a date, time or code of a fixed shape: `compatible` with a figure of another kind only
         * for a number, as a date's year (or a tax year's, which the Python judges) */
        if (is_time && f.what == 2) {
            /* a time: the same (hour, minute) */
            char buf[64];
            int len = snprintf(buf, sizeof(buf), "%d:%d", f.y, f.m);
            res = len == wn && memcmp(buf, want, (size_t)wn) == 0;
        }
        else if (!is_number || f.what == 2)
            res = 0;
        else if (f.what == 1) {
            if (f.y < 0)
                res = 0;
            else {
                char buf[32];
                int len = snprintf(buf, sizeof(buf), "%d", f.y);
                res = f.y > 0 && len == wn && memcmp(buf, want, (size_t)wn) == 0;
            }
        }
        else if (f.num_len != 6)
            res = 0; /* a code, not a tax year "2025/26" (six digits: the Python's) */
    }
    fig_free(&f);
    return res;
}

/* What read_support and read_next ask of each claim, parsed and checked once. */
typedef struct {
    PyObject *view, *surface, *dec, *grp, *starts, *marks, *kind, *unit, *per, *role;
    Py_ssize_t lead, nlen, off;
    int flags, mdy, screen, roles, is_number, unit_counts, is_time;
    char want[128];
    Py_ssize_t wn;
} Reading;

/* checks a Reading's arguments: 1 ok, 0 a kind or value only the Python reads (answer None),
 * -1 error */
static int
reading_ready(Reading *q, PyObject *value, const char *fn)
{
    if (check_str(q->view, fn) < 0 || check_str(q->surface, fn) < 0 || check_str(q->dec, fn) < 0
        || check_str(q->grp, fn) < 0 || check_str(q->starts, fn) < 0 || check_str(q->marks, fn) < 0
        || check_str(q->kind, fn) < 0 || check_str(value, fn) < 0)
        return -1;
    if (PyUnicode_GET_LENGTH(q->dec) != 1 || PyUnicode_GET_LENGTH(q->grp) != 1) {
        PyErr_Format(PyExc_ValueError, "%s() expects one-character separators", fn);
        return -1;
    }
    PyObject *opts[3] = {q->unit, q->per, q->role};
    for (int k = 0; k < 3; k++)
        if (opts[k] != Py_None && !PyUnicode_Check(opts[k])) {
            PyErr_Format(PyExc_TypeError, "%s() expects str or None for unit, per and role", fn);
            return -1;
        }
    const int kc = kind_code_of(q->kind);
    q->is_number = kc == K_NUMBER;
    q->unit_counts = kc == K_MONEY || kc == K_DURATION;
    q->is_time = kc == K_TIME; /* value "h:m" */
    q->wn = PyUnicode_GET_LENGTH(value);
    if ((!q->is_number && !q->unit_counts && !q->is_time && kc != K_PERCENT)
            || !PyUnicode_IS_ASCII(value) || q->wn > (Py_ssize_t)sizeof(q->want))
        return 0; /* the Python's */
    memcpy(q->want, PyUnicode_DATA(value), (size_t)q->wn);
    return 1;
}

/* the test of an amount written as in the answer at view[a:b] whose claim has roles (bits): the
 * amount's roles there (`money_roles`) none or one in common: 1, 0 none in common, -1 the
 * Python's (a character near it that case folding could take for a letter: money_roles_of reads
 * plain text, as figure_at asks of it) */
static int
literal_roles(const Txt *t, Py_ssize_t a, Py_ssize_t b, int roles)
{
    if (!plain_range(t, a - 72, b + 64))
        return -1;
    const int r = money_roles_of(t, a, b);
    return !r || (roles & r) ? 1 : 0;
}

/* SourceIndex._search's loop body at place i: 1 the claim is supported there, 0 go on (the place
 * charged to *charged when read), -1 a place only the Python reads (answer None), -2 error */
static int
read_place(const Txt *t, const Reading *q, Py_ssize_t i, Py_ssize_t *charged)
{
    if (i < 0 || i > t->n)
        return -1;
    if (q->off >= 0 && i >= q->off && screen_literal(t, q->view, q->surface, i - q->off)) {
        if (!q->roles)
            return 1;
        const int lr = literal_roles(t, i - q->off, i - q->off + PyUnicode_GET_LENGTH(q->surface), q->roles);
        if (lr != 0)
            return lr; /* else the figure there is read, as the Python's loop goes on to read it */
    }
    /* a needle that does not end in a digit ("3.5%"): every place is read */
    if ((q->flags & 1) && !(screen_bounds(t, i, q->nlen, q->flags & 4, q->flags & 8, q->grp)
                            && ((q->flags & 2) || screen_plausible(t, i, i + q->nlen, q->screen, q->starts, q->marks))))
        return 0;
    (*charged)++;
    int r = read_one(t, q->view, i + q->lead, q->dec, q->grp, q->mdy, q->kind, q->is_number, q->unit_counts, q->is_time,
                     q->want, q->wn, q->unit, q->per, q->role, q->roles);
    return r == -2 ? -2 : r < 0 ? -1 : r;
}

static PyObject *
read_support(PyObject *self, PyObject *args)
{
    PyObject *hits, *value;
    Reading q;
    if (!PyArg_ParseTuple(args, "UO!nniUnUUpiUUUUOOOi:read_support", &q.view, &PyList_Type, &hits, &q.lead, &q.nlen,
                          &q.flags, &q.surface, &q.off, &q.dec, &q.grp, &q.mdy, &q.screen, &q.starts, &q.marks, &q.kind,
                          &value, &q.unit, &q.per, &q.role, &q.roles))
        return NULL;
    int ready = reading_ready(&q, value, "read_support");
    if (ready < 0)
        return NULL;
    if (ready == 0)
        Py_RETURN_NONE;
    Txt tt = {PyUnicode_KIND(q.view), PyUnicode_DATA(q.view), PyUnicode_GET_LENGTH(q.view)};
    Py_ssize_t charged = 0;
    for (Py_ssize_t h = 0; h < PyList_GET_SIZE(hits); h++) {
        PyObject *item = PyList_GET_ITEM(hits, h);
        if (!PyLong_Check(item)) {
            PyErr_SetString(PyExc_TypeError, "read_support() expects a list of int offsets");
            return NULL;
        }
        Py_ssize_t i = PyLong_AsSsize_t(item);
        if (i == -1 && PyErr_Occurred())
            return NULL;
        int r = read_place(&tt, &q, i, &charged);
        if (r == -2)
            return NULL;
        if (r == -1)
            Py_RETURN_NONE;
        if (r == 1)
            return Py_BuildValue("(On)", Py_True, charged);
    }
    return Py_BuildValue("(On)", Py_False, charged);
}

/* read_next(view, needle, lo, flags, surface, off, group, screen, starts, marks, lead, decimal, mdy,
 *           kind, value, unit, per, role, roles, budget) -> None | (found, charged)
 *
 * read_support over the places next_kept gives one after the other (those of str.find from lo,
 * screened): for a needle the table of runs does not key ("4", "2026"), whose places the Python
 * takes one at a time because it usually stops at the first it reads. Stops at the first place
 * that supports the claim, as the Python's loop does; None as read_support, and also when the
 * places read would pass `budget` (the index's places left: the Python's loop then switches the
 * index to its full table, which is the Python's to do). */
static PyObject *
read_next(PyObject *self, PyObject *args)
{
    PyObject *needle, *value;
    Py_ssize_t lo, budget;
    Reading q;
    if (!PyArg_ParseTuple(args, "UUniUnUiUUnUpUUOOOin:read_next", &q.view, &needle, &lo, &q.flags, &q.surface, &q.off,
                          &q.grp, &q.screen, &q.starts, &q.marks, &q.lead, &q.dec, &q.mdy, &q.kind, &value, &q.unit,
                          &q.per, &q.role, &q.roles, &budget))
        return NULL;
    if (check_str(needle, "read_next") < 0)
        return NULL;
    int ready = reading_ready(&q, value, "read_next");
    if (ready < 0)
        return NULL;
    if (ready == 0)
        Py_RETURN_NONE;
    q.nlen = PyUnicode_GET_LENGTH(needle);
    Txt tt = {PyUnicode_KIND(q.view), PyUnicode_DATA(q.view), PyUnicode_GET_LENGTH(q.view)};
    /* next_kept's screen: the same arguments */
    const Screen sc = {q.view, q.surface, q.grp, q.starts, q.marks, q.off, q.nlen, q.flags, q.screen};
    Py_ssize_t charged = 0;
    if (lo < 0)
        lo = 0;
    while (lo <= tt.n) {
        Py_ssize_t i = fast_find(q.view, needle, lo);
        if (i < 0)
            break;
        lo = i + 1;
        if (!screen_keep(&tt, &sc, i))
            continue;
        int r = read_place(&tt, &q, i, &charged);
        if (r == -2)
            return NULL;
        if (r == -1 || charged > budget) /* the Python's loop would switch to the full table here */
            Py_RETURN_NONE;
        if (r == 1)
            return Py_BuildValue("(On)", Py_True, charged);
    }
    return Py_BuildValue("(On)", Py_False, charged);
}

/* -- as_written: the first test of each claim's lookup, for all the claims of an answer at once ----
 *
 * as_written(view, items) -> list[bool]
 *
 * items: (surface, mode) pairs. For each, whether the sources' view holds surface at a place q
 * (one of the places of str.find, visited in order) where:
 *   mode 0: `SourceIndex._literal(surface, q)` holds (a figure written as in the answer, standing
 *           alone): what `SourceIndex._as_written(c, None)` answers for a claim without roles;
 *   mode 1: surface is whole words there (no letter or digit just before or after): what
 *           `SourceIndex._find_phrase(view, surface, None, True)` answers (names);
 *   mode 2: anywhere: `_find_phrase(view, surface, None, False)` (quotes).
 * An empty surface is never found. One C call for the whole answer instead of a chain of Python
 * calls per claim (tests/grounding/test_cground.py holds it to the Python). */
/* A 1-byte copy of a text for searching: each character up to U+00FF as its byte, every wider one
 * as 0xFF (up to U+7FFF) or 0x00 (what SSE2's saturating pack of 16-bit lanes gives, eight
 * characters to a store; narrow_byte is the same map one character at a time). A 2-byte text,
 * the sources' view as soon as one of them holds a euro sign, is then searched with memchr, many
 * times faster than two bytes a character allow. The copy maps equal characters to equal bytes,
 * so every place of a needle is a place of its copy; a place of the copy is one of the text only
 * when checked on the text (narrow_find does, unless the copy is the text: a 1-byte text). */
#define NARROW_NEEDLE 256 /* longer needles are searched in the text itself */

static inline unsigned char
narrow_byte(Py_UCS4 c)
{
    return c <= 0xFF ? (unsigned char)c : c < 0x8000 ? 0xFF : 0x00;
}

typedef struct {
    const unsigned char *bytes; /* the text's own bytes (1-byte text) or the copy */
    unsigned char *owned;       /* the copy (PyMem), or NULL */
    Py_ssize_t n;
} Narrow;

static int
narrow_init(Narrow *nw, const Txt *t)
{
    nw->owned = NULL;
    nw->n = t->n;
    if (t->kind == PyUnicode_1BYTE_KIND) {
        nw->bytes = (const unsigned char *)t->data;
        return 0;
    }
    nw->owned = PyMem_Malloc((size_t)(t->n > 0 ? t->n : 1));
    if (nw->owned == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    /* locals, not nw->: a store through an unsigned char * may alias anything */
    unsigned char *o = nw->owned;
    const Py_ssize_t n = t->n;
    Py_ssize_t i = 0;
    if (t->kind == PyUnicode_2BYTE_KIND) {
        const Py_UCS2 *p = (const Py_UCS2 *)t->data;
#if defined(__SSE2__)
        for (; i + 16 <= n; i += 16) {
            __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + i + 8));
            _mm_storeu_si128((__m128i *)(void *)(o + i), _mm_packus_epi16(a, b));
        }
#endif
        for (; i < n; i++)
            o[i] = narrow_byte(p[i]);
    }
    else {
        const Py_UCS4 *p = (const Py_UCS4 *)t->data;
        for (; i < n; i++)
            o[i] = narrow_byte(p[i]);
    }
    nw->bytes = nw->owned;
    return 0;
}

/* view.find(needle, lo) (lo >= 0) through the 1-byte copy: the needle's rarest character
 * (char_rank) found with memchr, the needle compared there, on the copy and then on the text */
static Py_ssize_t
narrow_find(const Narrow *nw, PyObject *view, PyObject *needle, Py_ssize_t lo)
{
    const Py_ssize_t m = PyUnicode_GET_LENGTH(needle), n = nw->n;
    if (m == 0)
        return lo <= n ? lo : -1;
    if (m > NARROW_NEEDLE)
        return fast_find(view, needle, lo);
    if (lo > n - m)
        return -1;
    const int nk = PyUnicode_KIND(needle), tk = PyUnicode_KIND(view);
    const void *nd = PyUnicode_DATA(needle), *td = PyUnicode_DATA(view);
    unsigned char nb[NARROW_NEEDLE];
    int exact = tk == PyUnicode_1BYTE_KIND;
    Py_ssize_t a = 0;
    int best = 1 << 30;
    for (Py_ssize_t k = 0; k < m; k++) {
        Py_UCS4 c = PyUnicode_READ(nk, nd, k);
        if (c > 0xFF && exact)
            return -1; /* a character wider than any of the 1-byte text's */
        nb[k] = narrow_byte(c);
        int r = char_rank(c);
        if (r < best) {
            best = r;
            a = k;
        }
    }
    const unsigned char *p = nw->bytes;
    Py_ssize_t i = lo + a;
    const Py_ssize_t hi = n - m + a + 1; /* the anchor's places that leave room for the needle */
    while (i < hi) {
        const unsigned char *f = (const unsigned char *)memchr(p + i, nb[a], (size_t)(hi - i));
        if (f == NULL)
            return -1;
        Py_ssize_t q = (f - p) - a;
        if (memcmp(p + q, nb, (size_t)m) == 0 && (exact || same_span(tk, td, q, nk, nd, 0, m)))
            return q;
        i = (f - p) + 1;
    }
    return -1;
}

static PyObject *
as_written(PyObject *self, PyObject *args)
{
    PyObject *view, *items;
    if (!PyArg_ParseTuple(args, "UO!:as_written", &view, &PyList_Type, &items))
        return NULL;
    if (check_str(view, "as_written") < 0)
        return NULL;
    Txt tt = {PyUnicode_KIND(view), PyUnicode_DATA(view), PyUnicode_GET_LENGTH(view)};
    const Py_ssize_t count = PyList_GET_SIZE(items);
    PyObject *out = PyList_New(count);
    if (out == NULL)
        return NULL;
    Narrow nw;
    if (narrow_init(&nw, &tt) < 0) {
        Py_DECREF(out);
        return NULL;
    }
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *item = PyList_GET_ITEM(items, k), *surface;
        int mode;
        if (!PyTuple_Check(item) || !PyArg_ParseTuple(item, "Ui:as_written", &surface, &mode)
                || check_str(surface, "as_written") < 0 || mode < 0 || mode > 2) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "as_written() expects a list of (str, mode 0-2) pairs");
            PyMem_Free(nw.owned);
            Py_DECREF(out);
            return NULL;
        }
        const Py_ssize_t m = PyUnicode_GET_LENGTH(surface);
        int found = 0;
        Py_ssize_t lo = 0;
        while (m > 0 && lo <= tt.n) {
            Py_ssize_t i = narrow_find(&nw, view, surface, lo);
            if (i < 0)
                break;
            if (mode == 2 || (mode == 1 && !is_alnum(AT(&tt, i - 1)) && !is_alnum(AT(&tt, i + m)))
                    || (mode == 0 && screen_literal(&tt, view, surface, i))) {
                found = 1;
                break;
            }
            lo = i + 1;
        }
        PyList_SET_ITEM(out, k, PyBool_FromLong(found));
    }
    PyMem_Free(nw.owned);
    return out;
}

/* -- the lookups of an answer's plain figures and dates, for settle (below) -----------------------
 *
 * For a claim of kind money, percent, duration, number, time or date whose lookup whatever the
 * citations allow is not settled by its first test (`SourceIndex._as_written`): whether
 * `SourceIndex._supports` is True by the needles written here. The value is what
 * `_sources._read_value(c)` gives (canonical digits, "h:m" for a time) or "y:m:d" for a date (y
 * and d empty for None; a date's only needle here is its month's name); the roles as bits; the
 * surface when `_search` compares the claim literally (role None and a literal kind), else "".
 * The kernel writes the claim's needles as `SourceIndex._needles` does, in its order, and runs
 * `_search` for each as the Python does with the kernel (the table's places screened by
 * screen_hits and read by read_support, or those of an all-digit needle by read_next; a date's
 * month as `_dates_at_month` in `_day_next_first`'s order), charging the places read to the budget
 * (the index's `_hits_left`) as the Python's loop would. Found: a needle's places support the
 * claim (the Python's loop returns True at that needle, since each earlier needle gave False
 * exactly as here). Not found: not by the needles written here (the Python then runs the whole
 * lookup, with the needles it does not write here: spelled-out figures, the full table), or a
 * step only the Python takes (a place read_support declines, a figure too long for the kernel's
 * arithmetic, the budget too short for a needle's places); its places are then not charged, as
 * the Python charges them when it runs the lookup. `starts`: (money, percent, duration, time)
 * unit initials of `_SCREEN_KINDS`. */

#define BNUM 64 /* the longest canonical figure written here; longer: the Python's */

typedef struct {
    char d[BNUM + 4]; /* canonical: integer digits without leading zeros, '.', fraction without trailing zeros */
    int n;
} Canon;

/* the canonical form of digits with the point at p (digits d[0:n], p may be < 0 or > n) */
static int
canon_set(Canon *c, const char *digits, int n, int p)
{
    char buf[3 * BNUM + 8];
    int k = 0;
    if (n > BNUM || p < -BNUM || p > 2 * BNUM)
        return -1;
    /* integer part */
    if (p > 0) {
        for (int i = 0; i < p; i++)
            buf[k++] = i < n ? digits[i] : '0';
    }
    int ia = 0;
    while (ia < k && buf[ia] == '0')
        ia++;
    char out[3 * BNUM + 8];
    int o = 0;
    for (int i = ia; i < k; i++)
        out[o++] = buf[i];
    /* fraction */
    char fr[3 * BNUM + 8];
    int f = 0;
    for (int i = p; i < n; i++) {
        if (i < 0)
            fr[f++] = '0';
        else
            fr[f++] = digits[i];
    }
    /* digits before 0 when p < 0: zeros from p to 0 handled above (i from p < 0) */
    while (f > 0 && fr[f - 1] == '0')
        f--;
    if (f > 0) {
        out[o++] = '.';
        for (int i = 0; i < f; i++)
            out[o++] = fr[i];
    }
    if (o > BNUM)
        return -1;
    memcpy(c->d, out, (size_t)o);
    c->n = o;
    return 0;
}

/* the value times 10**s (s may be negative), canonical */
static int
canon_shift(const Canon *a, int s, Canon *out)
{
    char digits[BNUM + 4];
    int n = 0, p = -1;
    for (int i = 0; i < a->n; i++) {
        if (a->d[i] == '.')
            p = n;
        else
            digits[n++] = a->d[i];
    }
    if (p < 0)
        p = n;
    return canon_set(out, digits, n, p + s);
}

static int canon_int_len(const Canon *a)
{
    int k = 0;
    while (k < a->n && a->d[k] != '.')
        k++;
    return k;
}

static int canon_has_frac(const Canon *a) { return canon_int_len(a) < a->n; }

/* a needle being written, as UCS4 */
typedef struct {
    Py_UCS4 c[3 * BNUM + 16];
    int n;
} Needle;

static void nd_put(Needle *x, Py_UCS4 ch) { x->c[x->n++] = ch; }

/* _claims.Grammar.write(value) split as int_part, frac: the integer part ("0" when none), the
 * fraction (without its point); writes int_part[-keep:] (keep 0: all) and decimal+frac */
static void
nd_write(Needle *x, const Canon *a, int keep, Py_UCS4 dec, int *int_len)
{
    int il = canon_int_len(a);
    const char *ip = a->d;
    char zero = '0';
    int ipn = il;
    if (il == 0) {
        ip = &zero;
        ipn = 1;
    }
    *int_len = ipn;
    int from = keep > 0 && ipn > keep ? ipn - keep : 0;
    for (int i = from; i < ipn; i++)
        nd_put(x, (Py_UCS4)ip[i]);
    if (il < a->n) {
        nd_put(x, dec);
        for (int i = il + 1; i < a->n; i++)
            nd_put(x, (Py_UCS4)a->d[i]);
    }
}

/* an integer canonical value (no fraction, at most 18 digits) divided by k when a multiple:
 * 1 done, 0 not a multiple, -1 too long for here */
static int
canon_div_exact(const Canon *a, unsigned long long k, Canon *out)
{
    if (canon_has_frac(a))
        return 0; /* v % k != 0 for k > 1 and a fraction */
    if (a->n > 18)
        return -1;
    unsigned long long v = 0;
    for (int i = 0; i < a->n; i++)
        v = v * 10 + (unsigned long long)(a->d[i] - '0');
    if (v % k != 0)
        return 0;
    v /= k;
    char buf[32];
    int n = v == 0 ? 0 : snprintf(buf, sizeof(buf), "%llu", v);
    memcpy(out->d, buf, (size_t)n);
    out->n = n;
    return 1;
}

/* one needle's _search with the kernel: 1 supported, 0 not, -1 the Python's, -2 error */
static int
batch_search(const Txt *t, const Narrow *nw, Reading *q, RunTable *table, const Needle *x, int whole, Py_ssize_t *budget,
             Py_ssize_t *charged)
{
    PyObject *needle = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, x->c, x->n);
    if (needle == NULL)
        return -2;
    const Py_UCS4 d = PyUnicode_READ_CHAR(q->dec, 0);
    const int numeric = x->n > 0 && is_dig(x->c[x->n - 1]);
    const int marked = x->n > 0 && !is_dig(x->c[0]);
    int lead = 0, decimal = 0, has_digit = 0;
    if (marked && numeric)
        while (lead < x->n && (x->c[lead] == 0xa3 || x->c[lead] == '$' || x->c[lead] == 0x20ac))
            lead++;
    for (int k = 0; k < x->n; k++) {
        decimal |= x->c[k] == d;
        has_digit |= is_dig(x->c[k]);
    }
    q->lead = lead;
    q->nlen = x->n;
    q->off = PyUnicode_GET_LENGTH(q->surface) > 0 ? PyUnicode_Find(q->surface, needle, 0, PY_SSIZE_T_MAX, 1) : -1;
    if (q->off == -2) {
        Py_DECREF(needle);
        return -2;
    }
    q->flags = numeric ? 1 | (marked ? 2 : 0) | (decimal ? 4 : 0) | (whole ? 8 : 0) : 0;
    int res = -1;
    if (!has_digit) {
        Py_DECREF(needle);
        return -1;
    }
    Py_ssize_t got = 0;
    Chain chain;
    if (runtable_chain(table, needle, &chain) && *budget >= table->nruns) {
        /* The table's places one at a time, each screened and read as it comes, up to the first
         * that settles the claim: what reading the screened list does, since a needle has at most
         * one place a run, so the budget covers every list (the Python's test before reading it). */
        const Screen sc = {q->view, q->surface, q->grp, q->starts, q->marks, q->off, q->nlen, q->flags, q->screen};
        res = 0;
        for (Py_ssize_t i = runtable_next(table, needle, &chain, 0); i >= 0; i = runtable_next(table, needle, &chain, 0)) {
            if (numeric && !screen_keep(t, &sc, i))
                continue;
            int r = read_place(t, q, i, &got);
            if (r != 0) {
                res = r;
                break;
            }
        }
        Py_DECREF(needle);
        if (res >= 0) {
            *budget -= got;
            *charged += got;
        }
        return res;
    }
    PyObject *fa = runtable_find(table, needle, 0);
    if (fa == NULL) {
        Py_DECREF(needle);
        return -2;
    }
    if (fa == Py_None) {
        if (!numeric) {
            res = -1; /* searched by the Python */
        }
        else {
            /* read_next over the places next_kept gives */
            const Screen sc = {q->view, q->surface, q->grp, q->starts, q->marks, q->off, q->nlen, q->flags, q->screen};
            Py_ssize_t lo = 0;
            res = 0;
            while (lo <= t->n) {
                Py_ssize_t i = narrow_find(nw, q->view, needle, lo);
                if (i < 0)
                    break;
                lo = i + 1;
                if (!screen_keep(t, &sc, i))
                    continue;
                int r = read_place(t, q, i, &got);
                if (r == -2 || r == -1 || got > *budget) {
                    res = r == -2 ? -2 : -1;
                    break;
                }
                if (r == 1) {
                    res = 1;
                    break;
                }
            }
        }
    }
    else {
        /* the places found, screened (numeric needles) as _screened does, then read_support */
        const Py_ssize_t nh = PyList_GET_SIZE(fa);
        const Screen sc = {q->view, q->surface, q->grp, q->starts, q->marks, q->off, q->nlen, q->flags, q->screen};
        Py_ssize_t kept = 0;
        Py_ssize_t *places = PyMem_New(Py_ssize_t, (size_t)(nh > 0 ? nh : 1));
        if (places == NULL) {
            Py_DECREF(fa);
            Py_DECREF(needle);
            PyErr_NoMemory();
            return -2;
        }
        for (Py_ssize_t h = 0; h < nh; h++) {
            Py_ssize_t i = PyLong_AsSsize_t(PyList_GET_ITEM(fa, h));
            if (!numeric || screen_keep(t, &sc, i))
                places[kept++] = i;
        }
        if (kept == 0)
            res = 0;
        else if (*budget < kept)
            res = -1; /* the Python's loop, which may spend the budget */
        else {
            res = 0;
            for (Py_ssize_t h = 0; h < kept; h++) {
                int r = read_place(t, q, places[h], &got);
                if (r != 0) {
                    res = r;
                    break;
                }
            }
        }
        PyMem_Free(places);
    }
    Py_DECREF(fa);
    Py_DECREF(needle);
    if (res >= 0) {
        *budget -= got;
        *charged += got;
    }
    return res;
}

/* _sources._DAY_BEFORE.search(view, lo, i) ("([0-9]{1,2})(?:st|nd|rd|th)?(?:[ ]of)?[ ]$", lo =
 * max(0, i - 10)): where its leftmost match starts, or -1. `$` at endpos i, or before a newline
 * at i - 1. */
static Py_ssize_t
day_before(const Txt *t, Py_ssize_t i)
{
    static const char *const SUF[] = {"", "st", "nd", "rd", "th"};
    const Py_ssize_t lo = i - 10 > 0 ? i - 10 : 0;
    for (Py_ssize_t p = lo; p < i; p++) {
        for (int dl = 2; dl >= 1; dl--) {
            Py_ssize_t q = p;
            int ok = 1;
            for (int k = 0; k < dl; k++)
                ok = ok && q + k < i && is_dig(AT(t, q + k));
            if (!ok)
                continue;
            q += dl;
            for (int s = 0; s < 5; s++) {
                Py_ssize_t r = q;
                const char *sf = SUF[s];
                int sok = 1;
                for (; *sf; sf++, r++)
                    sok = sok && r < i && AT(t, r) == (Py_UCS4)(unsigned char)*sf;
                if (!sok)
                    continue;
                for (int of = 1; of >= 0; of--) {
                    Py_ssize_t e = r;
                    if (of) {
                        if (!(e + 2 < i && AT(t, e) == ' ' && AT(t, e + 1) == 'o' && AT(t, e + 2) == 'f'))
                            continue;
                        e += 3;
                    }
                    if (!(e < i && AT(t, e) == ' '))
                        continue;
                    e++;
                    if (e == i || (e == i - 1 && AT(t, i - 1) == '\n'))
                        return p;
                }
            }
        }
    }
    return -1;
}

/* the date figure_at reads at s compatible with the date (y, m, d) (y, d -1: None): 1 yes, 0 no,
 * -1 figure_at declines (the Python reads it), -2 error */
static int
date_at(PyObject *view, Py_ssize_t s, PyObject *dec, PyObject *grp, int mdy, long y, long m, long d)
{
    Fig f;
    if (figure_read(view, s, dec, grp, mdy, &f) < 0)
        return -2;
    int res = 0;
    if (f.what == 0)
        res = -1;
    else if (f.what == 1)
        res = f.m == m && (d < 0 || d == f.d) && (y < 0 || f.y < 0 || y == f.y);
    fig_free(&f);
    return res;
}

/* _day_next_first's test: the day written next to the month's name at i (v.endswith(before,
 * max(0, i - 9), i) for the spellings before it, or " {day}," / " {day} " within v[i:i + 14]) */
static int
day_next(const Txt *t, Py_ssize_t i, const char *day, int dn)
{
    static const char *const BEF[] = {" ", "st ", "nd ", "rd ", "th ", " of ", "st of ", "nd of ", "rd of ", "th of "};
    const Py_ssize_t wlo = i - 9 > 0 ? i - 9 : 0;
    for (int b = 0; b < 10; b++) {
        const int bl = (int)strlen(BEF[b]), tl = dn + bl;
        if (i - tl < wlo)
            continue;
        int same = 1;
        for (int k = 0; k < tl && same; k++) {
            const char want_c = k < dn ? day[k] : BEF[b][k - dn];
            same = AT(t, i - tl + k) == (Py_UCS4)(unsigned char)want_c;
        }
        if (same)
            return 1;
    }
    for (Py_ssize_t a = i; a + dn + 2 <= i + 14 && a + dn + 2 <= t->n; a++) {
        if (AT(t, a) != ' ')
            continue;
        int same = 1;
        for (int k = 0; k < dn && same; k++)
            same = AT(t, a + 1 + k) == (Py_UCS4)(unsigned char)day[k];
        const Py_UCS4 after = AT(t, a + 1 + dn);
        if (same && (after == ',' || after == ' '))
            return 1;
    }
    return 0;
}

/* SourceIndex._search of a date's first needle, its month's abbreviation: 1 found, 0 not (every
 * place read), -1 the Python's, -2 error. Places in `_day_next_first`'s order, each charged. */
static int
batch_date(const Txt *t, const Narrow *nw, PyObject *view, PyObject *surface, const char *want, Py_ssize_t wn,
           PyObject *dec, PyObject *grp, int mdy, Py_ssize_t *budget, Py_ssize_t *charged)
{
    static const char *const ABBR[] = {"", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                       "Nov", "Dec"};
    char buf[48];
    if (wn <= 0 || wn >= (Py_ssize_t)sizeof(buf))
        return -1;
    memcpy(buf, want, (size_t)wn);
    buf[wn] = '\0';
    /* "y:m:d", y and d possibly empty */
    long y = -1, m = -1, d = -1;
    char *p = buf, *end;
    if (*p != ':') {
        y = strtol(p, &end, 10);
        if (end == p || *end != ':' || y < 0 || y > 100000)
            return -1;
        p = end;
    }
    p++;
    m = strtol(p, &end, 10);
    if (end == p || *end != ':' || m < 1 || m > 12)
        return -1;
    p = end + 1;
    if (*p) {
        d = strtol(p, &end, 10);
        if (end == p || *end || d < 0 || d > 100000)
            return -1;
    }
    PyObject *needle = PyUnicode_FromString(ABBR[m]);
    if (needle == NULL)
        return -2;
    Py_ssize_t off = PyUnicode_GET_LENGTH(surface) > 0 ? PyUnicode_Find(surface, needle, 0, PY_SSIZE_T_MAX, 1) : -1;
    if (off == -2) {
        Py_DECREF(needle);
        return -2;
    }
    /* the places in `_day_next_first`'s order, found as the Python's generator finds them: those
     * with the day next to them as they come, the others kept for after the last place */
    Py_ssize_t cap = 16, n = 0, *later = PyMem_New(Py_ssize_t, (size_t)cap);
    if (later == NULL) {
        Py_DECREF(needle);
        PyErr_NoMemory();
        return -2;
    }
    char day[24];
    const int dn = d >= 0 ? snprintf(day, sizeof(day), "%ld", d) : 0;
    int res = 0;
    Py_ssize_t got = 0, lo = 0, h = 0;
    for (;;) {
        Py_ssize_t i;
        if (lo >= 0) {
            i = lo <= t->n ? narrow_find(nw, view, needle, lo) : -1;
            if (i < 0) {
                lo = -1; /* every place found: the kept ones next */
                continue;
            }
            lo = i + 1;
            if (d >= 0 && !day_next(t, i, day, dn)) {
                if (n == cap) {
                    cap *= 2;
                    Py_ssize_t *more = PyMem_Resize(later, Py_ssize_t, (size_t)cap);
                    if (more == NULL) {
                        PyMem_Free(later);
                        Py_DECREF(needle);
                        PyErr_NoMemory();
                        return -2;
                    }
                    later = more;
                }
                later[n++] = i;
                continue;
            }
        }
        else {
            if (h >= n)
                break;
            i = later[h++];
        }
        if (off >= 0 && i >= off && screen_literal(t, view, surface, i - off)) {
            res = 1;
            break;
        }
        if (++got > *budget) {
            res = -1; /* the Python's loop switches to the full table here */
            break;
        }
        /* _dates_at_month: the date read from a day before the name, then from a number after it */
        Py_ssize_t s = day_before(t, i);
        if (s >= 0) {
            int r = date_at(view, s, dec, grp, mdy, y, m, d);
            if (r != 0) {
                res = r;
                break;
            }
        }
        Py_ssize_t k = i;
        while (k < t->n && is_alpha(AT(t, k)))
            k++;
        if (AT(t, k) == '.')
            k++;
        if (AT(t, k) == ' ' && AT(t, k + 1) != END && Py_UNICODE_ISDIGIT(AT(t, k + 1))) {
            int r = date_at(view, k + 1, dec, grp, mdy, y, m, d);
            if (r != 0) {
                res = r;
                break;
            }
        }
    }
    Py_DECREF(needle);
    PyMem_Free(later);
    if (res == 1) {
        *budget -= got;
        *charged += got;
    }
    return res;
}

/* one claim's lookup (see the comment above): 1 found, 0 not (the Python's), -2 error */
static int
lookup_one(const Txt *tt, const Narrow *nw, Reading *q, PyObject *table, PyObject *value, PyObject *starts,
           Py_ssize_t *budget, Py_ssize_t *charged)
{
    const Py_UCS4 d = PyUnicode_READ_CHAR(q->dec, 0), g = PyUnicode_READ_CHAR(q->grp, 0);
    const int kc = kind_code_of(q->kind);
    if (kc == K_DATE) {
        /* value "y:m:d" (y, d empty for None): the first needle, the month's name */
        Py_ssize_t wn = 0;
        const char *w = check_str(value, "settle") < 0 ? NULL : PyUnicode_AsUTF8AndSize(value, &wn);
        if (w == NULL)
            return -2;
        int r = batch_date(tt, nw, q->view, q->surface, w, wn, q->dec, q->grp, q->mdy, budget, charged);
        return r == -2 ? -2 : r == 1;
    }
    /* 0 money, 1 percent, 2 duration, 3 time, 4 number (the K_ codes), -1 another kind */
    int kind_code = kc >= 0 && kc <= K_NUMBER ? kc : -1;
    q->starts = kind_code >= 0 && kind_code < 4 ? PyTuple_GET_ITEM(starts, kind_code) : PyTuple_GET_ITEM(starts, 0);
    if (kind_code == 4)
        q->starts = PyUnicode_New(0, 0); /* "" (a new reference to the empty str) */
    q->screen = kind_code == 0 ? 1 : kind_code == 4 ? 0 : 2;
    int ready = kind_code < 0 ? 0 : reading_ready(q, value, "settle");
    int found = 0;
    if (ready < 0) {
        if (kind_code == 4)
            Py_DECREF(q->starts);
        return -2;
    }
    /* the needles, as SourceIndex._needles writes them, in its order */
    Needle xs[8];
    int whole[8], nx = 0, ok = ready == 1;
    if (ok && kind_code == 3) {
        long h = -1, mi = -1;
        char hm[32]; /* "h:m", NUL-terminated (want is not) */
        const int hn = q->wn < (Py_ssize_t)sizeof(hm) ? (int)q->wn : 0;
        memcpy(hm, q->want, (size_t)hn);
        hm[hn] = '\0';
        int used = 0;
        if (sscanf(hm, "%ld:%ld%n", &h, &mi, &used) != 2 || used != hn || h < 0 || mi < 0 || h > 1000000
                || mi > 1000000)
            ok = 0;
        else {
            char buf[64];
            int len = snprintf(buf, sizeof(buf), "%ld:%02ld", h, mi);
            xs[nx].n = 0;
            for (int k = 0; k < len; k++)
                nd_put(&xs[nx], (Py_UCS4)buf[k]);
            whole[nx++] = 1;
            long h12 = h % 12 ? h % 12 : 12;
            if (h12 != h || mi == 0) {
                len = snprintf(buf, sizeof(buf), "%ld", h12);
                xs[nx].n = 0;
                for (int k = 0; k < len; k++)
                    nd_put(&xs[nx], (Py_UCS4)buf[k]);
                whole[nx++] = 1;
            }
        }
    }
    else if (ok) {
        Canon v;
        if (q->wn > 24) /* within the decimal context's 28 digits: the Python's products are exact */
            ok = 0;
        else {
            memcpy(v.d, q->want, (size_t)q->wn);
            v.n = (int)q->wn;
            for (int k = 0; k < v.n; k++)
                if (!(is_dig((Py_UCS4)v.d[k]) || v.d[k] == '.'))
                    ok = 0;
        }
        const int il = ok ? canon_int_len(&v) : 0;
        Canon alt[4];
        int nalt = 0;
        if (ok) {
            alt[nalt++] = v;
            if (kind_code == 2) {
                const char *u = PyUnicode_Check(q->unit) ? PyUnicode_AsUTF8(q->unit) : "";
                unsigned long long k = u == NULL ? 0 : strcmp(u, "day") == 0 ? 7 : strcmp(u, "month") == 0 ? 12
                                                     : strcmp(u, "minute") == 0 ? 60 : 0;
                if (u == NULL)
                    PyErr_Clear(), ok = 0;
                else if (k) {
                    int r = canon_div_exact(&v, k, &alt[nalt]);
                    if (r < 0)
                        ok = 0;
                    else if (r == 1)
                        nalt++;
                }
            }
            else if (kind_code == 0) {
                if (il == 0 && canon_shift(&v, 2, &alt[nalt++]) < 0) /* v < 1: v * 100 */
                    ok = 0;
                int s = il >= 10 ? 9 : il >= 7 ? 6 : il >= 4 ? 3 : 0;
                if (s && canon_shift(&v, -s, &alt[nalt++]) < 0)
                    ok = 0;
            }
            else if (kind_code == 1) {
                if (il <= 1 && canon_shift(&v, 2, &alt[nalt++]) < 0) /* v < 10: v * 100 */
                    ok = 0;
            }
            else if (kind_code == 4) {
                if (il >= 7 && canon_shift(&v, -6, &alt[nalt++]) < 0)
                    ok = 0;
            }
        }
        if (ok && kind_code == 0 && il > 0 && PyUnicode_Check(q->unit)) {
            /* the usual spelling first: the symbol and the grouped integer part */
            Py_UCS4 sym = PyUnicode_CompareWithASCIIString(q->unit, "GBP") == 0   ? 0xa3
                          : PyUnicode_CompareWithASCIIString(q->unit, "USD") == 0 ? '$'
                          : PyUnicode_CompareWithASCIIString(q->unit, "EUR") == 0 ? 0x20ac
                                                                                 : 0;
            if (sym) {
                Needle *x = &xs[nx];
                x->n = 0;
                nd_put(x, sym);
                const int head = il % 3 ? il % 3 : 3;
                for (int k = 0; k < il; k++) {
                    if (k >= head && (k - head) % 3 == 0)
                        nd_put(x, g);
                    nd_put(x, (Py_UCS4)v.d[k]);
                }
                if (il < v.n) {
                    nd_put(x, d);
                    for (int k = il + 1; k < v.n; k++)
                        nd_put(x, (Py_UCS4)v.d[k]);
                }
                whole[nx++] = 0;
            }
        }
        if (ok && kind_code == 1) {
            int ipn;
            xs[nx].n = 0;
            nd_write(&xs[nx], &v, 0, d, &ipn);
            nd_put(&xs[nx], '%');
            whole[nx++] = 1;
        }
        const int first_alt = nx;
        for (int a = 0; ok && a < nalt; a++) {
            int ipn;
            Needle *x = &xs[nx];
            x->n = 0;
            nd_write(x, &alt[a], 3, d, &ipn);
            int seen = 0;
            for (int b = first_alt; b < nx; b++)
                seen |= xs[b].n == x->n && memcmp(xs[b].c, x->c, sizeof(Py_UCS4) * (size_t)x->n) == 0;
            if (!seen)
                whole[nx++] = ipn <= 3;
        }
    }
    /* a claim not found here is the Python's from its first needle: its places are charged
     * there, so none is charged here */
    const Py_ssize_t budget0 = *budget, charged0 = *charged;
    for (int k = 0; ok && k < nx; k++) {
        int r = batch_search(tt, nw, q, (RunTable *)table, &xs[k], whole[k], budget, charged);
        if (r == -2) {
            found = -2;
            break;
        }
        if (r == 1) {
            found = 1;
            break;
        }
        if (r < 0)
            break; /* a step only the Python takes: the Python's from the first needle */
    }
    if (found != 1)
        *budget = budget0, *charged = charged0;
    if (kind_code == 4)
        Py_DECREF(q->starts);
    return found;
}

/* settle's arguments: 0 ok, -1 error */
static int
batch_args(const char *fn, PyObject *view, PyObject *table, PyObject *dec, PyObject *grp, PyObject *marks,
           PyObject *starts)
{
    if (check_str(view, fn) < 0 || check_str(dec, fn) < 0 || check_str(grp, fn) < 0 || check_str(marks, fn) < 0)
        return -1;
    if (PyTuple_GET_SIZE(starts) != 4) {
        PyErr_Format(PyExc_ValueError, "%s() expects the unit initials of 4 kinds", fn);
        return -1;
    }
    for (int k = 0; k < 4; k++)
        if (check_str(PyTuple_GET_ITEM(starts, k), fn) < 0)
            return -1;
    if (table != Py_None && ((RunTable *)table)->text != view) {
        PyErr_Format(PyExc_ValueError, "%s() expects the table of the view", fn);
        return -1;
    }
    if (PyUnicode_GET_LENGTH(dec) != 1 || PyUnicode_GET_LENGTH(grp) != 1) {
        PyErr_Format(PyExc_ValueError, "%s() expects one-character separators", fn);
        return -1;
    }
    return 0;
}

/* -- settle: the first test and the plain lookups of every claim of an answer, in one call --------
 *
 * settle(view, table, claims, decimal, group, mdy, marks, starts, budget) -> (found, failed, charged)
 *
 * For each Claim (read through its attributes) whose lookup whatever the citations allow is to be
 * made: in `found` (the claim itself) when `SourceIndex._supports(c, None)` is True by the first test (as_written's modes: a
 * name as whole words, a quote anywhere, a figure of a literal kind without a rate kind or roles
 * written as in the answer) or by the needles of its kind (above; `table` a RunTable; None: the
 * first test only); else, when the first test ran and failed, its key (mode, surface) in `failed`
 * (the Python remembers that test: `_written`). One call for the whole answer, with
 * no Python step per claim (the Python builds no needle, key or value for the claims it settles). */

/* str(Decimal) ("[-]digits[.digits][E[+-]digits]") as _sources._canonical digits: a new str, or
 * NULL without an error when the value is not one the kernel compares (signed, NaN, too long) */
static PyObject *
canonical_of(PyObject *value)
{
    PyObject *s = PyObject_Str(value);
    if (s == NULL)
        return NULL;
    if (!PyUnicode_IS_ASCII(s) || PyUnicode_GET_LENGTH(s) > BNUM) {
        Py_DECREF(s);
        return NULL;
    }
    const char *p = (const char *)PyUnicode_DATA(s);
    const Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    char digits[BNUM + 4];
    int nd = 0, int_len = -1;
    Py_ssize_t k = 0;
    for (; k < n && (is_dig((Py_UCS4)p[k]) || p[k] == '.'); k++) {
        if (p[k] == '.') {
            if (int_len >= 0)
                break;
            int_len = nd;
        }
        else
            digits[nd++] = p[k];
    }
    if (int_len < 0)
        int_len = nd;
    long e = 0;
    int ok = nd > 0;
    if (ok && k < n) {
        ok = (p[k] == 'E' || p[k] == 'e') && k + 1 < n;
        if (ok) {
            char *end;
            errno = 0;
            e = strtol(p + k + 1, &end, 10);
            ok = errno == 0 && end == p + n && e > -BNUM && e < BNUM && p[k + 1] != ' ';
        }
    }
    Py_DECREF(s);
    Canon c;
    if (!ok || canon_set(&c, digits, nd, int_len + (int)e) < 0)
        return NULL;
    return PyUnicode_FromStringAndSize(c.d, c.n);
}

/* as_written's test of one surface (mode 0 literal, 1 whole words, 2 anywhere): 1, 0, -1 error.
 * A figure's places come from the table of runs when it has one (a few places for the runs of
 * digits it holds, where searching for its rarest character visits every digit of the sources). */
static int
written_test(const Narrow *nw, const Txt *t, PyObject *view, PyObject *table, PyObject *surface, int mode)
{
    const Py_ssize_t m = PyUnicode_GET_LENGTH(surface);
    Chain chain;
    if (mode == 0 && table != Py_None && runtable_chain((RunTable *)table, surface, &chain)) {
        for (Py_ssize_t i = runtable_next((RunTable *)table, surface, &chain, 0); i >= 0;
             i = runtable_next((RunTable *)table, surface, &chain, 0))
            if (screen_literal(t, view, surface, i))
                return 1;
        return 0;
    }
    Py_ssize_t lo = 0;
    while (m > 0 && lo <= t->n) {
        Py_ssize_t i = narrow_find(nw, view, surface, lo);
        if (i < 0)
            return 0;
        if (mode == 2 || (mode == 1 && !is_alnum(AT(t, i - 1)) && !is_alnum(AT(t, i + m)))
                || (mode == 0 && screen_literal(t, view, surface, i)))
            return 1;
        lo = i + 1;
    }
    return 0;
}

/* `_as_written` of a claim with roles (bits): 1 a literal place whose roles agree, 0 none, -1 a
 * place the Python judges (literal_roles), -2 error */
static int
written_roles(const Narrow *nw, const Txt *t, PyObject *view, PyObject *table, PyObject *surface, int bits)
{
    const Py_ssize_t m = PyUnicode_GET_LENGTH(surface);
    PyObject *fa = table != Py_None ? runtable_find((RunTable *)table, surface, 0) : Py_NewRef(Py_None);
    if (fa == NULL)
        return -2;
    int res = 0;
    Py_ssize_t h = 0, lo = 0;
    for (;;) {
        Py_ssize_t i;
        if (fa != Py_None) {
            if (h >= PyList_GET_SIZE(fa))
                break;
            i = PyLong_AsSsize_t(PyList_GET_ITEM(fa, h++));
        }
        else {
            i = lo <= t->n ? narrow_find(nw, view, surface, lo) : -1;
            if (i < 0)
                break;
            lo = i + 1;
        }
        if (!screen_literal(t, view, surface, i))
            continue;
        const int lr = literal_roles(t, i, i + m, bits);
        if (lr != 0) {
            res = lr;
            break;
        }
    }
    Py_DECREF(fa);
    return res;
}

#define SETTLE_MEMO_FROM 16 /* claims */

static const char *const SETTLE_ATTRS[] = {"kind", "value", "unit", "per", "role", "roles", "surface"};
enum { A_KIND, A_VALUE, A_UNIT, A_PER, A_ROLE, A_ROLES, A_SURFACE, N_ATTRS };
static const char *const ROLE_NAMES[] = {"fee", "limit", "minimum", "repayment"};
/* the attribute and role names as interned str, made once at import and never changed */
static PyObject *settle_names[N_ATTRS], *role_names[4];

static int
settle_names_init(void)
{
    for (int k = 0; k < N_ATTRS; k++)
        if ((settle_names[k] = PyUnicode_InternFromString(SETTLE_ATTRS[k])) == NULL)
            return -1;
    for (int k = 0; k < 4; k++)
        if ((role_names[k] = PyUnicode_InternFromString(ROLE_NAMES[k])) == NULL)
            return -1;
    for (int k = 0; k < N_KINDS; k++)
        if ((kind_names[k] = PyUnicode_InternFromString(KIND_NAMES[k])) == NULL)
            return -1;
    return 0;
}

static PyObject *
settle(PyObject *self, PyObject *args)
{
    PyObject *view, *table, *claims, *dec, *grp, *marks, *starts;
    int mdy;
    Py_ssize_t budget;
    if (!PyArg_ParseTuple(args, "UOO!UUpUO!n:settle", &view, &table, &PyList_Type, &claims, &dec, &grp, &mdy, &marks,
                          &PyTuple_Type, &starts, &budget))
        return NULL;
    if (table != Py_None && !PyObject_TypeCheck(table, &RunTable_Type)) {
        PyErr_SetString(PyExc_TypeError, "settle() expects a RunTable or None");
        return NULL;
    }
    if (batch_args("settle", view, table, dec, grp, marks, starts) < 0)
        return NULL;
    Txt tt = {PyUnicode_KIND(view), PyUnicode_DATA(view), PyUnicode_GET_LENGTH(view)};
    const Py_ssize_t count = PyList_GET_SIZE(claims);
    PyObject *out = PyList_New(0), *failed = PyList_New(0);
    if (out == NULL || failed == NULL) {
        Py_XDECREF(out);
        Py_XDECREF(failed);
        return NULL;
    }
    Narrow nw;
    if (narrow_init(&nw, &tt) < 0) {
        Py_DECREF(out);
        Py_DECREF(failed);
        return NULL;
    }
    /* answers by claim key, for answers long enough to repeat figures (a short one pays no hashing) */
    PyObject *seen = count > SETTLE_MEMO_FROM ? PyDict_New() : NULL;
    if (count > SETTLE_MEMO_FROM && seen == NULL) {
        PyMem_Free(nw.owned);
        Py_DECREF(out);
        Py_DECREF(failed);
        return NULL;
    }
    Py_ssize_t charged = 0;
    for (Py_ssize_t it = 0; it < count; it++) {
        PyObject *c = PyList_GET_ITEM(claims, it);
        PyObject *a[N_ATTRS] = {NULL};
        PyObject *want = NULL;
        int res = 0, err = 0;
        if (claim_cls != NULL && Py_IS_TYPE(c, claim_cls)) {
            /* a claim of the registered class: its slots read at their offsets (an unset one by
             * PyObject_GetAttr, which raises as the Python would) */
            static const int slot_of[N_ATTRS] = {C_KIND, C_VALUE, C_UNIT, C_PER, C_ROLE, C_ROLES, C_SURFACE};
            for (int k = 0; k < N_ATTRS && !err; k++) {
                PyObject *v = *(PyObject **)((char *)c + claim_off[slot_of[k]]);
                a[k] = v != NULL ? Py_NewRef(v) : PyObject_GetAttr(c, settle_names[k]);
                err = a[k] == NULL;
            }
        }
        else
            for (int k = 0; k < N_ATTRS && !err; k++) {
                a[k] = PyObject_GetAttr(c, settle_names[k]);
                err = a[k] == NULL;
            }
        if (!err && (!PyUnicode_Check(a[A_KIND]) || !PyUnicode_Check(a[A_SURFACE]))) {
            PyErr_SetString(PyExc_TypeError, "settle() expects claims with a str kind and surface");
            err = 1;
        }
        PyObject *kind = err ? NULL : a[A_KIND], *surface = err ? NULL : a[A_SURFACE];
        int roles_empty = 0, bits = 0, bits_ok = 0;
        if (!err) {
            int t = PyObject_IsTrue(a[A_ROLES]);
            err = t < 0;
            roles_empty = t == 0;
            if (!err && roles_empty)
                bits_ok = 1;
            else if (!err && PyAnySet_Check(a[A_ROLES])) {
                Py_ssize_t nr = PySet_GET_SIZE(a[A_ROLES]), hit = 0;
                for (int r = 0; r < 4 && !err; r++) {
                    int in = PySet_Contains(a[A_ROLES], role_names[r]);
                    err = in < 0;
                    if (in == 1)
                        bits |= 1 << r, hit++;
                }
                bits_ok = !err && hit == nr;
            }
        }
        /* a claim the answer made before (the same key as SourceIndex.supports' memo): its answer
         * again, not its lookup (a long answer repeats its figures) */
        PyObject *key = NULL;
        int cached = 0;
        if (!err && seen != NULL) {
            key = PyTuple_Pack(7, kind, a[A_VALUE], a[A_UNIT], a[A_ROLE], a[A_PER], a[A_ROLES], surface);
            if (key == NULL)
                err = 1;
            else {
                PyObject *got = PyDict_GetItemWithError(seen, key);
                if (got != NULL) {
                    res = (int)PyLong_AsLong(got);
                    cached = 1;
                }
                else if (PyErr_Occurred()) { /* unhashable: looked up without the memo */
                    PyErr_Clear();
                    Py_CLEAR(key);
                }
            }
        }
        const int kc = err ? -1 : kind_code_of(kind);
        /* _LITERAL_KINDS, and the kinds looked up here beyond their first test */
        const int is_literal_kind = kc >= 0 && kc != K_NUMBER && kc <= K_CODE;
        const int batch_kind = kc >= 0 && kc <= K_DATE;
        if (!err && !cached) {
            const int role_none = a[A_ROLE] == Py_None;
            int mode = kc == K_ENTITY                                 ? 1
                       : kc == K_QUOTE                                ? 2
                       : role_none && is_literal_kind && roles_empty ? 0
                                                                      : -1;
            if (mode >= 0 && PyUnicode_GET_LENGTH(surface) > 0) {
                int w = written_test(&nw, &tt, view, table, surface, mode);
                err = w < 0;
                res = w > 0 ? 2 : 1;
            }
            else if (role_none && is_literal_kind && !roles_empty && bits_ok && PyUnicode_GET_LENGTH(surface) > 0) {
                /* `_as_written` of an amount with roles: a place where it is written as in the
                 * answer and its roles there agree (not remembered: the Python asks it again) */
                int w = written_roles(&nw, &tt, view, table, surface, bits);
                err = w == -2;
                if (w == 1)
                    res = 2;
            }
            if (!err && res != 2 && batch_kind && table != Py_None && bits_ok) {
                /* the value as _sources._read_value writes it (a date: "y:m:d") */
                PyObject *v = a[A_VALUE];
                const int is_time = kc == K_TIME, is_date = kc == K_DATE;
                if (is_time && PyTuple_Check(v) && PyTuple_GET_SIZE(v) == 2)
                    want = PyUnicode_FromFormat("%S:%S", PyTuple_GET_ITEM(v, 0), PyTuple_GET_ITEM(v, 1));
                else if (is_date && PyTuple_Check(v) && PyTuple_GET_SIZE(v) == 3) {
                    PyObject *y = PyTuple_GET_ITEM(v, 0), *m = PyTuple_GET_ITEM(v, 1), *d = PyTuple_GET_ITEM(v, 2);
                    PyObject *empty = PyUnicode_New(0, 0);
                    if (empty != NULL)
                        want = PyUnicode_FromFormat("%S:%S:%S", y == Py_None ? empty : y, m, d == Py_None ? empty : d);
                    Py_XDECREF(empty);
                }
                else if (!is_time && !is_date)
                    want = canonical_of(v);
                if (want == NULL && PyErr_Occurred())
                    err = 1;
                const int opt_ok = (a[A_UNIT] == Py_None || PyUnicode_Check(a[A_UNIT]))
                                   && (a[A_PER] == Py_None || PyUnicode_Check(a[A_PER]))
                                   && (a[A_ROLE] == Py_None || PyUnicode_Check(a[A_ROLE]));
                if (!err && want != NULL && opt_ok) {
                    PyObject *lit = role_none && is_literal_kind ? surface : NULL;
                    PyObject *empty = lit == NULL ? PyUnicode_New(0, 0) : NULL;
                    Reading q;
                    q.view = view, q.dec = dec, q.grp = grp, q.marks = marks, q.mdy = mdy;
                    q.kind = kind, q.unit = a[A_UNIT], q.per = a[A_PER], q.role = a[A_ROLE], q.roles = bits;
                    q.surface = lit != NULL ? lit : empty;
                    int r = q.surface == NULL ? -2 : lookup_one(&tt, &nw, &q, table, want, starts, &budget, &charged);
                    Py_XDECREF(empty);
                    if (r == -2)
                        err = 1;
                    else if (r == 1)
                        res = 2;
                }
            }
        }
        Py_XDECREF(want);
        if (!err && key != NULL && !cached) {
            PyObject *r = PyLong_FromLong(res);
            err = r == NULL || PyDict_SetItem(seen, key, r) < 0;
            Py_XDECREF(r);
        }
        Py_XDECREF(key);
        if (!err && res == 2)
            err = PyList_Append(out, c) < 0;
        else if (!err && res == 1) {
            const long mode = kc == K_ENTITY ? 1 : kc == K_QUOTE ? 2 : 0;
            PyObject *key = Py_BuildValue("(lO)", mode, surface);
            err = key == NULL || PyList_Append(failed, key) < 0;
            Py_XDECREF(key);
        }
        for (int k = 0; k < N_ATTRS; k++)
            Py_XDECREF(a[k]);
        if (err) {
            PyMem_Free(nw.owned);
            Py_DECREF(out);
            Py_DECREF(failed);
            Py_XDECREF(seen);
            return NULL;
        }
    }
    PyMem_Free(nw.owned);
    Py_XDECREF(seen);
    return Py_BuildValue("(NNn)", out, failed, charged);
}

static PyMethodDef methods[] = {
    {"settle", settle, METH_VARARGS,
     "settle(view, table, claims, decimal, group, mdy, marks, starts, budget) -> (found, failed, charged): "
     "as_written and the plain figures' lookups for every claim of an answer: the claims found supported, the "
     "(mode, surface) of the first tests that failed."},
    {"digit_spans", digit_spans, METH_VARARGS,
     "digit_spans(text, start, end) -> [s0, e0, s1, e1, ...]: the runs of ASCII digits of text[start:end]."},
    {"read_support", read_support, METH_VARARGS,
     "read_support(view, hits, lead, nlen, flags, surface, off, decimal, group, mdy, screen, starts, marks, kind, "
     "value, unit, per, role, roles) -> None | (found, charged): SourceIndex._search's loop over the hits."},
    {"find", find, METH_VARARGS, "find(text, needle, start) -> text.find(needle, start), faster on wide texts."},
    {"find_any", find_any, METH_VARARGS, "find_any(text, needles) -> whether any of the needles is in text."},
    {"has_any", has_any, METH_VARARGS, "has_any(text, chars) -> whether text holds any character of chars."},
    {"all_plain", all_plain, METH_VARARGS,
     "all_plain(text, plain) -> whether every character is ASCII, the euro sign or a byte of plain."},
    {"figure_at", figure_at, METH_VARARGS,
     "figure_at(view, s, decimal, group) -> the plain figure parse_at reads at s, or None (see above)."},
    {"entity_spans", entity_spans, METH_VARARGS,
     "entity_spans(view, heads) -> [a, e, core_end, ...]: the product and fee names (see above), or None."},
    {"entity_claims", entity_claims, METH_VARARGS,
     "entity_claims(view, heads) -> [Claim, ...]: entities' claims of entity_spans' spans, or None (see above)."},
    {"entity_words", entity_words, METH_NOARGS, "entity_words() -> (head nouns, determiners, connectors)."},
    {"lower_plain", lower_plain, METH_O,
     "lower_plain(text) -> text.lower() when every character is plain (see above), else None."},
    {"screen_hits", screen_hits, METH_VARARGS,
     "screen_hits(view, hits, surface, off, nlen, flags, group, kind, starts, marks) -> the hits the Python "
     "lookup can act on (see above)."},
    {"next_kept", next_kept, METH_VARARGS,
     "next_kept(view, needle, lo, surface, off, flags, group, kind, starts, marks) -> the next place "
     "screen_hits would keep, or -1."},
    {"read_next", read_next, METH_VARARGS,
     "read_next(view, needle, lo, flags, surface, off, group, screen, starts, marks, lead, decimal, mdy, kind, value, "
     "unit, per, role, roles, budget) -> read_support over the places next_kept gives, or None (see above)."},
    {"figure_runs", figure_runs, METH_VARARGS,
     "figure_runs(view, pos, end, consumed, skip, k, decimal, group, mdy) -> (figures, s, run_end, k, consumed): "
     "extract's loop over the digit runs, up to the first run the Python reads (see above)."},
    {"claim_type", claim_type, METH_VARARGS,
     "claim_type(Claim, Decimal, role_bits) -> None: the claim class figure_claims makes and settle reads."},
    {"figure_claims", figure_claims, METH_VARARGS,
     "figure_claims(view, pos, end, consumed, skip, k, decimal, group, mdy, kinds, out) -> (numbers, s, run_end, k, "
     "consumed): figure_runs, its figures made into Claims and appended to out (see above)."},
    {"as_written", as_written, METH_VARARGS,
     "as_written(view, [(surface, mode), ...]) -> [bool]: each surface found as a literal figure (0), whole "
     "words (1) or anywhere (2) (see above)."},
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
    if (PyType_Ready(&RunTable_Type) < 0 || settle_names_init() < 0)
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
