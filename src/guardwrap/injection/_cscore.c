/* guardwrap.injection._cscore: the learned tier's chunk scorer in C.
 *
 * The reference is `LinearModel.chunk_sum` over `chunk_tokens` + `deleet` (guardwrap/injection/
 * _linear.py and _features.py): a chunk of the canonical view is split at whitespace
 * (str.split()) and ASCII punctuation, leetspeak tokens are replaced by what they read as (the map
 * is computed in Python and passed in), and the chunk's value is the exactly rounded sum (math.fsum)
 * of the weights of its distinct word unigrams, word bigrams, concept bigrams and trigrams and
 * pairs of distinct concepts present, with its number of n-gram positions. Every table (the
 * words, their weights, the concepts) comes from Python when the model is loaded: a retrained
 * weights file or edited concept lists need no change here.
 *
 * `Tables(words, uni, bi, concept_of, n_concepts, cbi, ctri, pair)` builds the lookup tables once;
 * `chunk_sums(tables, view, bounds, leet, want_words)` scores every chunk of one view and, when
 * asked, returns the frozenset of its (raw) tokens, which the signal scanner and other rules share
 * (a token that is a word of the tables is given as the tables' own str, its hash cached).
 *
 * Also, each against its Python reference: `chunk_bounds` (`_features.chunk_bounds`, plus whether a
 * chunk was cut inside a word), `windows` (the loop of `LinearModel._windows`), `near` and
 * `present` (the signal scanner's search windows and delimiter needles, `_signals`), `longest`
 * (`max(map(len, words), default=0)`, `_signals._may_hide_blob`), `letter_digit`
 * (the translate tests of `_signals` and `_features`) and `fsum` (math.fsum, for the tests).
 * `Needles` + `near_occ`: every signal anchor and prefix found in one pass over a view, and `near`'s
 * answer read from those occurrences; `Plan.starts`: `near_occ` of every phrase pattern in one call.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* str objects are always ready from 3.12 on (and PyUnicode_READY is deprecated there) */
#if PY_VERSION_HEX >= 0x030C0000
#define STR_READY(o) 0
#else
#define STR_READY(o) PyUnicode_READY(o)
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ALWAYS_INLINE __attribute__((always_inline)) inline
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define ALWAYS_INLINE inline
#define PREFETCH(p) ((void)0)
#endif

/* -- hashing ------------------------------------------------------------------------------- */

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static inline uint64_t
fnv_step(uint64_t h, Py_UCS4 c)
{
    h ^= (uint64_t)c;
    h *= FNV_PRIME;
    return h;
}

/* the slot of a key in a power-of-two table (take `& mask`): one multiply (Fibonacci hashing),
 * the high half folded in first so that keys differing only there spread too */
static inline uint64_t
slot_hash(uint64_t k)
{
    k ^= k >> 29;
    return (k * 0x9E3779B97F4A7C15ULL) >> 32;
}

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

static Py_ssize_t
pow2_at_least(Py_ssize_t n)
{
    Py_ssize_t c = 16;
    while (c < n) {
        if (c > PY_SSIZE_T_MAX / 4)
            return -1;
        c <<= 1;
    }
    return c;
}

/* a tuple of the items of `seq` (a copy, when it is a list): nothing run while it is read (a
 * finaliser during an allocation, an __index__ or __float__) can change it under the reader */
static PyObject *
as_tuple(PyObject *seq, const char *what)
{
    PyObject *t = PySequence_Tuple(seq);
    if (t == NULL && PyErr_ExceptionMatches(PyExc_TypeError)) {
        PyErr_Clear();
        PyErr_SetString(PyExc_TypeError, what);
    }
    return t;
}

/* -- u64 -> double map (n-gram keys to weights), built once ----------------------------------- */

typedef struct {
    uint64_t key;     /* key + 1; 0 = empty */
    double val;
} wentry;

typedef struct {
    wentry *e;        /* key and value side by side: one cache line per probe */
    Py_ssize_t cap;   /* power of two */
} wmap;

static int
wmap_init(wmap *m, Py_ssize_t n)
{
    m->cap = pow2_at_least(2 * n + 1);
    if (m->cap < 0) {
        PyErr_NoMemory();
        return -1;
    }
    m->e = PyMem_Calloc((size_t)m->cap, sizeof(wentry));
    if (m->e == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void
wmap_free(wmap *m)
{
    PyMem_Free(m->e);
    m->e = NULL;
}

/* the last value put for a key wins, as in a dict built from the weights in file order */
static void
wmap_put(wmap *m, uint64_t key, double v)
{
    Py_ssize_t mask = m->cap - 1;
    Py_ssize_t i = (Py_ssize_t)(slot_hash(key) & (uint64_t)mask);
    while (m->e[i].key != 0 && m->e[i].key != key + 1)
        i = (i + 1) & mask;
    m->e[i].key = key + 1;
    m->e[i].val = v;
}

static inline int
wmap_get(const wmap *m, uint64_t key, double *v)
{
    Py_ssize_t mask = m->cap - 1;
    Py_ssize_t i = (Py_ssize_t)(slot_hash(key) & (uint64_t)mask);
    while (m->e[i].key != 0) {
        if (m->e[i].key == key + 1) {
            *v = m->e[i].val;
            return 1;
        }
        i = (i + 1) & mask;
    }
    return 0;
}

/* the bigram filter's bit of a key (take `& bifmask`): other bits of the product than `slot_hash`'s */
static inline uint64_t
bifilt_bit(uint64_t k)
{
    return (k * 0xC2B2AE3D27D4EB4FULL) >> 40;
}

/* -- u64 set, per call (distinct n-grams already summed) ------------------------------------- */

typedef struct {
    uint64_t *keys;   /* key + 1; 0 = empty */
    Py_ssize_t cap, n;
} uset;

static int
uset_init(uset *s, Py_ssize_t n)
{
    s->cap = pow2_at_least(2 * n + 1);
    s->n = 0;
    if (s->cap < 0) {
        PyErr_NoMemory();
        return -1;
    }
    s->keys = PyMem_Calloc((size_t)s->cap, sizeof(uint64_t));
    if (s->keys == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void
uset_clear(uset *s)
{
    if (s->n) {
        memset(s->keys, 0, (size_t)s->cap * sizeof(uint64_t));
        s->n = 0;
    }
}

/* 1 if added, 0 if it was there, -1 on error */
static int
uset_add(uset *s, uint64_t key)
{
    Py_ssize_t mask, i;
    if (2 * (s->n + 1) > s->cap) {
        Py_ssize_t ncap = s->cap * 2, k;
        uint64_t *nk;
        if (ncap <= 0 || (size_t)ncap > PY_SSIZE_T_MAX / sizeof(uint64_t)) {
            PyErr_NoMemory();
            return -1;
        }
        nk = PyMem_Calloc((size_t)ncap, sizeof(uint64_t));
        if (nk == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        for (k = 0; k < s->cap; k++) {
            if (s->keys[k] != 0) {
                Py_ssize_t j = (Py_ssize_t)(slot_hash(s->keys[k] - 1) & (uint64_t)(ncap - 1));
                while (nk[j] != 0)
                    j = (j + 1) & (ncap - 1);
                nk[j] = s->keys[k];
            }
        }
        PyMem_Free(s->keys);
        s->keys = nk;
        s->cap = ncap;
    }
    mask = s->cap - 1;
    i = (Py_ssize_t)(slot_hash(key) & (uint64_t)mask);
    while (s->keys[i] != 0) {
        if (s->keys[i] == key + 1)
            return 0;
        i = (i + 1) & mask;
    }
    s->keys[i] = key + 1;
    s->n++;
    return 1;
}

/* -- exactly rounded summation: math.fsum's algorithm (Shewchuk's partials, then the half-even
 *    correction), so the sum is the same whatever order the terms come in; or, where the terms'
 *    exponents allow (the shipped weights do), the exact sum as a 128-bit integer count of the
 *    smallest unit, rounded once: the same exactly rounded value, found faster ----------------- */

#define MAX_PARTIALS 1100  /* finite doubles never need more than ~40 */

#if defined(__SIZEOF_INT128__)
#define HAVE_I128 1
typedef __int128 i128;
#endif

typedef struct {
    double p[MAX_PARTIALS];
    Py_ssize_t n;
#ifdef HAVE_I128
    /* Where every term is a multiple of 2^e0 and every sum of them fits in 127 bits (`fixed_range`
     * says so for a set of terms), the sum is kept exactly as an integer count of 2^e0 instead:
     * converted once to the nearest double (ties to even), it is the same exactly rounded sum
     * as the partials give, for a fraction of the work. */
    int fixed;
    int e0;
    i128 s;
#endif
} fsum_t;

/* whether terms from `xs` (n of them, every sum of at most `count` of them) can be summed in
 * fixed point, and the unit exponent e0 to use */
static int
fixed_range(const double *xs, Py_ssize_t n, Py_ssize_t count, int *e0)
{
#ifdef HAVE_I128
    Py_ssize_t k;
    int lo = INT32_MAX, hi = INT32_MIN, head = 1;
    while (head < 64 && ((Py_ssize_t)1 << head) <= count)
        head++;
    for (k = 0; k < n; k++) {
        int e;
        if (xs[k] == 0.0)
            continue;
        if (!isfinite(xs[k]) || fabs(xs[k]) < DBL_MIN)
            return 0;  /* subnormal (or not finite): the partials */
        (void)frexp(xs[k], &e);  /* |x| < 2^e, a multiple of 2^(e - 53) */
        if (e - 53 < lo)
            lo = e - 53;
        if (e > hi)
            hi = e;
    }
    if (lo == INT32_MAX) {
        *e0 = 0;
        return 1;
    }
    if (lo < -1022 || hi + head > 1023 || (hi - lo) + head > 126)
        return 0;
    *e0 = lo;
    return 1;
#else
    (void)xs; (void)n; (void)count; (void)e0;
    return 0;
#endif
}

static void
fsum_reset(fsum_t *f, int fixed, int e0)
{
    f->n = 0;
#ifdef HAVE_I128
    f->fixed = fixed;
    f->e0 = e0;
    f->s = 0;
#else
    (void)fixed; (void)e0;
#endif
}

static int fsum_add_partials(fsum_t *f, double x);

#ifdef HAVE_I128
/* x as an exact count of 2^e0 (x a multiple of it, in range: `fixed_range` said so) */
static ALWAYS_INLINE i128
fixed_of(double x, int e0)
{
    uint64_t bits, mant;
    int ef;
    i128 v;
    memcpy(&bits, &x, sizeof bits);
    ef = (int)((bits >> 52) & 0x7ff);
    mant = bits & 0xFFFFFFFFFFFFFULL;
    if (ef == 0)  /* zero: fixed_range let no subnormal in */
        return 0;
    mant |= 1ULL << 52;
    v = (i128)mant << (ef - 1075 - e0);
    return (bits >> 63) ? -v : v;
}
#endif

/* add one term: in fixed point inline (every term of the shipped weights), else the partials */
static ALWAYS_INLINE int
fsum_add(fsum_t *f, double x)
{
#ifdef HAVE_I128
    if (f->fixed) {
        f->s += fixed_of(x, f->e0);
        return 0;
    }
#endif
    return fsum_add_partials(f, x);
}

static int
fsum_add_partials(fsum_t *f, double x)
{
    Py_ssize_t i, j;
    double y, t, hi, yr, lo;
    for (i = j = 0; j < f->n; j++) {
        y = f->p[j];
        if (fabs(x) < fabs(y)) {
            t = x;
            x = y;
            y = t;
        }
        hi = x + y;
        yr = hi - x;
        lo = y - yr;
        if (lo != 0.0)
            f->p[i++] = lo;
        x = hi;
    }
    f->n = i;
    if (x != 0.0) {
        if (f->n >= MAX_PARTIALS) {
            PyErr_SetString(PyExc_OverflowError, "_cscore: too many partial sums");
            return -1;
        }
        f->p[f->n++] = x;
    }
    return 0;
}

static double
fsum_value(const fsum_t *f)
{
    Py_ssize_t n = f->n;
    double hi = 0.0, lo = 0.0, x, y, yr;
#ifdef HAVE_I128
    if (f->fixed)  /* nearest double, ties to even (an exact power-of-two scaling after) */
        return f->s == 0 ? 0.0 : ldexp((double)f->s, f->e0);
#endif
    if (n > 0) {
        hi = f->p[--n];
        while (n > 0) {
            x = hi;
            y = f->p[--n];
            hi = x + y;
            yr = hi - x;
            lo = y - yr;
            if (lo != 0.0)
                break;
        }
        if (n > 0 && ((lo < 0.0 && f->p[n - 1] < 0.0) || (lo > 0.0 && f->p[n - 1] > 0.0))) {
            y = lo * 2.0;
            x = hi + y;
            yr = x - hi;
            if (y == yr)
                hi = x;
        }
    }
    return hi;
}

/* -- the tables -------------------------------------------------------------------------------- */

/* one word of the vocabulary: what a token that reads as it needs, in one cache line */
typedef struct {
    uint64_t hash;       /* FNV-1a over the code points */
    double uni;          /* its unigram weight, when has_uni */
#ifdef HAVE_I128
    i128 unifx;          /* `uni` as a count of 2^e0, when the tables sum in fixed point */
#endif
    int32_t off;         /* the word is pool[off : off + len] */
    int32_t len;
    int32_t concept;     /* its concept id, -1 none; ids in the concepts' string order */
    unsigned char has_uni;
    unsigned char first; /* it starts some weighted bigram */
    unsigned char second;/* it ends some weighted bigram */
} word_t;

typedef struct {
    uint32_t fp;         /* the hash's high half: most misses end here */
    int32_t id;          /* -1 empty */
} slot_t;

/* a word of at most 8 characters, all below 256: its characters as the bytes of `key` (the first
 * in the low byte), for tokens of a 1-byte view (`lookup_short`) */
typedef struct {
    uint64_t key;
    int32_t id;          /* -1 empty */
    int32_t len;
} short_t;

#define SHORT_MAX 8

typedef struct {
    PyObject_HEAD
    Py_ssize_t nwords;
    PyObject **strs;     /* the words as str (new references; NULL where not an exact str) */
    Py_UCS4 *pool;       /* every word's code points, one after the other */
    word_t *words;
    slot_t *slots;       /* open addressing over word ids */
    Py_ssize_t cap;
    short_t *shorts;     /* open addressing over the short words (power-of-two `short_cap` slots) */
    Py_ssize_t short_cap;
    Py_ssize_t nconcepts;
    wmap bi, cbi, ctri, pair;
    /* a bit per `bifilt_bit` of every weighted bigram's key: most adjacent word pairs have no
     * weight, and this small bitmap (in L1) says so without probing `bi` (hundreds of KB) */
    uint64_t *bifilt;
    uint64_t bifmask;    /* number of bits - 1 (a power of two) */
    int fixed, e0;       /* chunk sums in fixed point (`fixed_range` over every weight), unit 2^e0 */
} Tables;

static void
Tables_dealloc(Tables *self)
{
    Py_ssize_t k;
    if (self->strs != NULL) {
        for (k = 0; k < self->nwords; k++)
            Py_XDECREF(self->strs[k]);
        PyMem_Free(self->strs);
    }
    PyMem_Free(self->pool);
    PyMem_Free(self->words);
    PyMem_Free(self->slots);
    PyMem_Free(self->shorts);
    wmap_free(&self->bi);
    wmap_free(&self->cbi);
    wmap_free(&self->ctri);
    wmap_free(&self->pair);
    PyMem_Free(self->bifilt);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* the bytes p[0:len] (len <= 8) as the key of `short_t`; `avail` bytes are readable from p */
static ALWAYS_INLINE uint64_t
pack_short(const Py_UCS1 *p, Py_ssize_t len, Py_ssize_t avail)
{
    uint64_t key = 0;
    Py_ssize_t k;
#if (defined(__GNUC__) || defined(__clang__)) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (avail >= 8) {
        memcpy(&key, p, 8);
        return len >= 8 ? key : key & ((1ULL << (8 * len)) - 1);
    }
#endif
    (void)avail;
    for (k = 0; k < len; k++)
        key |= (uint64_t)p[k] << (8 * k);
    return key;
}

/* the id of the short word with `key` and `len`, -1 */
static ALWAYS_INLINE Py_ssize_t
lookup_short(const Tables *t, uint64_t key, Py_ssize_t len)
{
    Py_ssize_t mask = t->short_cap - 1;
    Py_ssize_t i = (Py_ssize_t)(slot_hash(key) & (uint64_t)mask);
    for (;;) {
        const short_t *e = &t->shorts[i];
        if (e->id < 0)
            return -1;
        if (e->key == key && e->len == len)
            return e->id;
        i = (i + 1) & mask;
    }
}

/* the id of the word whose code points are data[start : start + n] (of `kind`), hash h; -1 */
static ALWAYS_INLINE Py_ssize_t
lookup(const Tables *t, int kind, const void *data, Py_ssize_t start, Py_ssize_t n, uint64_t h)
{
    Py_ssize_t mask = t->cap - 1;
    Py_ssize_t i = (Py_ssize_t)(slot_hash(h) & (uint64_t)mask);
    uint32_t fp = (uint32_t)(h >> 32);
    for (;;) {
        slot_t sl = t->slots[i];
        if (sl.id < 0)
            return -1;
        if (sl.fp == fp) {
            const word_t *w = &t->words[sl.id];
            if (w->hash == h && w->len == n) {
                const Py_UCS4 *p = t->pool + w->off;
                Py_ssize_t k = 0;
                while (k < n && p[k] == PyUnicode_READ(kind, data, start + k))
                    k++;
                if (k == n)
                    return sl.id;
            }
        }
        i = (i + 1) & mask;
    }
}

static int
read_double(PyObject *o, double *out)
{
    double v = PyFloat_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred())
        return -1;
    if (!isfinite(v)) {
        PyErr_SetString(PyExc_ValueError, "_cscore: a weight is not finite");
        return -1;
    }
    *out = v;
    return 0;
}

static int
read_index(PyObject *o, Py_ssize_t bound, Py_ssize_t *out)
{
    Py_ssize_t v = PyLong_AsSsize_t(o);
    if (v == -1 && PyErr_Occurred())
        return -1;
    if (v < 0 || v >= bound) {
        PyErr_SetString(PyExc_ValueError, "_cscore: an index is out of range");
        return -1;
    }
    *out = v;
    return 0;
}

/* fill `m` from a sequence of tuples (i1, ..., iN, weight) with 0 <= ik < bound; key = mixed radix */
static int
fill_map(wmap *m, PyObject *seq, int arity, Py_ssize_t bound, const char *what)
{
    PyObject *fast = as_tuple(seq, what);
    Py_ssize_t n, k;
    if (fast == NULL)
        return -1;
    n = PySequence_Fast_GET_SIZE(fast);
    if (wmap_init(m, n) < 0) {
        Py_DECREF(fast);
        return -1;
    }
    for (k = 0; k < n; k++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fast, k);
        uint64_t key = 0;
        double w;
        int a;
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != arity + 1) {
            PyErr_Format(PyExc_TypeError, "_cscore: %s entries are tuples of %d ids and a weight", what, arity);
            Py_DECREF(fast);
            return -1;
        }
        for (a = 0; a < arity; a++) {
            Py_ssize_t v;
            if (read_index(PyTuple_GET_ITEM(item, a), bound, &v) < 0) {
                Py_DECREF(fast);
                return -1;
            }
            key = key * (uint64_t)bound + (uint64_t)v;
        }
        if (read_double(PyTuple_GET_ITEM(item, arity), &w) < 0) {
            Py_DECREF(fast);
            return -1;
        }
        wmap_put(m, key, w);
    }
    Py_DECREF(fast);
    return 0;
}

static PyObject *
Tables_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"words", "uni", "bi", "concept_of", "n_concepts", "cbi", "ctri", "pair", NULL};
    PyObject *words, *uni, *bi, *concept_of, *cbi, *ctri, *pair;
    PyObject *fw = NULL, *fu = NULL, *fc = NULL;
    Py_ssize_t nconcepts, total = 0, k, n;
    Tables *self;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOnOOO:Tables", kwlist, &words, &uni, &bi,
                                     &concept_of, &nconcepts, &cbi, &ctri, &pair))
        return NULL;
    if (nconcepts < 0 || nconcepts > 4096) {
        PyErr_SetString(PyExc_ValueError, "_cscore: n_concepts must be in [0, 4096]");
        return NULL;
    }
    self = (Tables *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->nconcepts = nconcepts;

    fw = as_tuple(words, "words must be a sequence of str");
    if (fw == NULL)
        goto fail;
    n = PySequence_Fast_GET_SIZE(fw);
    if (n > INT32_MAX / 4) {
        PyErr_SetString(PyExc_ValueError, "_cscore: too many words");
        goto fail;
    }
    self->nwords = n;
    for (k = 0; k < n; k++) {
        PyObject *w = PySequence_Fast_GET_ITEM(fw, k);
        if (!PyUnicode_Check(w) || STR_READY(w) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "_cscore: words must be str");
            goto fail;
        }
        total += PyUnicode_GET_LENGTH(w);
        if (total > INT32_MAX) {
            PyErr_SetString(PyExc_ValueError, "_cscore: the words are too long");
            goto fail;
        }
    }
    self->strs = PyMem_Calloc((size_t)(n + 1), sizeof(PyObject *));
    if (self->strs == NULL) {
        self->nwords = 0;
        PyErr_NoMemory();
        goto fail;
    }
    for (k = 0; k < n; k++) {
        PyObject *w = PySequence_Fast_GET_ITEM(fw, k);
        if (PyUnicode_CheckExact(w)) {
            Py_INCREF(w);
            self->strs[k] = w;
        }
    }
    self->pool = PyMem_Malloc((size_t)(total + 1) * sizeof(Py_UCS4));
    self->words = PyMem_Calloc((size_t)(n + 1), sizeof(word_t));
    self->cap = pow2_at_least(2 * n + 1);
    self->slots = self->cap > 0 ? PyMem_Malloc((size_t)self->cap * sizeof(slot_t)) : NULL;
    if (!self->pool || !self->words || !self->slots) {
        PyErr_NoMemory();
        goto fail;
    }
    for (k = 0; k < self->cap; k++) {
        self->slots[k].fp = 0;
        self->slots[k].id = -1;
    }
    total = 0;
    for (k = 0; k < n; k++) {
        PyObject *w = PySequence_Fast_GET_ITEM(fw, k);
        int kind = PyUnicode_KIND(w);
        const void *data = PyUnicode_DATA(w);
        Py_ssize_t len = PyUnicode_GET_LENGTH(w), c;
        uint64_t h = FNV_OFFSET;
        Py_ssize_t mask = self->cap - 1, i;
        for (c = 0; c < len; c++) {
            Py_UCS4 ch = PyUnicode_READ(kind, data, c);
            self->pool[total + c] = ch;
            h = fnv_step(h, ch);
        }
        self->words[k].off = (int32_t)total;
        self->words[k].len = (int32_t)len;
        self->words[k].hash = h;
        self->words[k].concept = -1;
        total += len;
        if (lookup(self, kind, data, 0, len, h) >= 0) {
            PyErr_SetString(PyExc_ValueError, "_cscore: a word is listed twice");
            goto fail;
        }
        i = (Py_ssize_t)(slot_hash(h) & (uint64_t)mask);
        while (self->slots[i].id >= 0)
            i = (i + 1) & mask;
        self->slots[i].fp = (uint32_t)(h >> 32);
        self->slots[i].id = (int32_t)k;
    }
    {   /* the short words again, keyed by their bytes (`lookup_short`) */
        Py_ssize_t nshort = 0, mask;
        for (k = 0; k < n; k++) {
            const word_t *w = &self->words[k];
            Py_ssize_t c;
            int small = w->len >= 1 && w->len <= SHORT_MAX;
            for (c = 0; small && c < w->len; c++)
                small = self->pool[w->off + c] < 256;
            nshort += small;
        }
        self->short_cap = pow2_at_least(2 * nshort + 16);
        self->shorts = PyMem_Malloc((size_t)self->short_cap * sizeof(short_t));
        if (self->shorts == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        mask = self->short_cap - 1;
        for (k = 0; k < self->short_cap; k++) {
            self->shorts[k].key = 0;
            self->shorts[k].id = -1;
            self->shorts[k].len = 0;
        }
        for (k = 0; k < n; k++) {
            const word_t *w = &self->words[k];
            Py_UCS1 bytes[SHORT_MAX];
            Py_ssize_t c, i;
            uint64_t key;
            int small = w->len >= 1 && w->len <= SHORT_MAX;
            for (c = 0; small && c < w->len; c++) {
                small = self->pool[w->off + c] < 256;
                bytes[c] = (Py_UCS1)self->pool[w->off + c];
            }
            if (!small)
                continue;
            key = pack_short(bytes, w->len, 0);
            i = (Py_ssize_t)(slot_hash(key) & (uint64_t)mask);
            while (self->shorts[i].id >= 0)  /* (distinct words: `lookup` said so above) */
                i = (i + 1) & mask;
            self->shorts[i].key = key;
            self->shorts[i].id = (int32_t)k;
            self->shorts[i].len = w->len;
        }
    }

    fu = as_tuple(uni, "uni must be a sequence of (word id, weight)");
    if (fu == NULL)
        goto fail;
    for (k = 0; k < PySequence_Fast_GET_SIZE(fu); k++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fu, k);
        Py_ssize_t id;
        double w;
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) {
            PyErr_SetString(PyExc_TypeError, "_cscore: uni entries are (word id, weight)");
            goto fail;
        }
        if (read_index(PyTuple_GET_ITEM(item, 0), n, &id) < 0 || read_double(PyTuple_GET_ITEM(item, 1), &w) < 0)
            goto fail;
        self->words[id].uni = w;
        self->words[id].has_uni = 1;
    }
    fc = as_tuple(concept_of, "concept_of must be a sequence of (word id, concept id)");
    if (fc == NULL)
        goto fail;
    for (k = 0; k < PySequence_Fast_GET_SIZE(fc); k++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fc, k);
        Py_ssize_t id, c;
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) {
            PyErr_SetString(PyExc_TypeError, "_cscore: concept_of entries are (word id, concept id)");
            goto fail;
        }
        if (read_index(PyTuple_GET_ITEM(item, 0), n, &id) < 0
            || read_index(PyTuple_GET_ITEM(item, 1), nconcepts, &c) < 0)
            goto fail;
        self->words[id].concept = (int32_t)c;
    }
    if (fill_map(&self->bi, bi, 2, n > 0 ? n : 1, "bi") < 0
        || fill_map(&self->cbi, cbi, 2, nconcepts > 0 ? nconcepts : 1, "cbi") < 0
        || fill_map(&self->ctri, ctri, 3, nconcepts > 0 ? nconcepts : 1, "ctri") < 0
        || fill_map(&self->pair, pair, 2, nconcepts > 0 ? nconcepts : 1, "pair") < 0)
        goto fail;
    {   /* the bigram filter: about 8 bits per weighted bigram, at most 2^17 bits (16 KB) */
        Py_ssize_t nbi = 0, bits;
        for (k = 0; k < self->bi.cap; k++)
            nbi += self->bi.e[k].key != 0;
        bits = pow2_at_least(8 * nbi + 64);
        if (bits < 0 || bits > ((Py_ssize_t)1 << 17))
            bits = (Py_ssize_t)1 << 17;
        if (bits < 64)
            bits = 64;
        self->bifmask = (uint64_t)bits - 1;
        self->bifilt = PyMem_Calloc((size_t)bits / 64, sizeof(uint64_t));
        if (self->bifilt == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
    }
    for (k = 0; k < self->bi.cap; k++) {
        if (self->bi.e[k].key != 0) {
            uint64_t key = self->bi.e[k].key - 1, bit = bifilt_bit(key) & self->bifmask;
            self->words[key / (uint64_t)n].first = 1;
            self->words[key % (uint64_t)n].second = 1;
            self->bifilt[bit >> 6] |= 1ULL << (bit & 63);
        }
    }
    {   /* can every chunk's sum be kept in fixed point? (over every weight of the tables) */
        const wmap *maps[4] = {&self->bi, &self->cbi, &self->ctri, &self->pair};
        Py_ssize_t total_w = n, m, at = 0;
        double *ws;
        for (m = 0; m < 4; m++)
            total_w += maps[m]->cap;
        ws = PyMem_Malloc((size_t)(total_w + 1) * sizeof(double));
        if (ws == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        for (k = 0; k < n; k++) {
            if (self->words[k].has_uni)
                ws[at++] = self->words[k].uni;
        }
        for (m = 0; m < 4; m++) {
            for (k = 0; k < maps[m]->cap; k++) {
                if (maps[m]->e[k].key != 0)
                    ws[at++] = maps[m]->e[k].val;
            }
        }
        self->fixed = fixed_range(ws, at, at, &self->e0);
        PyMem_Free(ws);
#ifdef HAVE_I128
        if (self->fixed) {
            for (k = 0; k < n; k++)
                self->words[k].unifx = self->words[k].has_uni ? fixed_of(self->words[k].uni, self->e0) : 0;
        }
#endif
    }
    Py_DECREF(fw);
    Py_DECREF(fu);
    Py_DECREF(fc);
    return (PyObject *)self;

fail:
    Py_XDECREF(fw);
    Py_XDECREF(fu);
    Py_XDECREF(fc);
    Py_DECREF(self);
    return NULL;
}

static PyMemberDef Tables_members[] = {
    {"fixed", T_INT, offsetof(Tables, fixed), READONLY,
     "1 when the chunk sums are kept in fixed point (every weight allows it), 0: Shewchuk's partials"},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject TablesType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "guardwrap.injection._cscore.Tables",
    .tp_basicsize = sizeof(Tables),
    .tp_dealloc = (destructor)Tables_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The learned tier's lookup tables, built once from the weights and the concepts.",
    .tp_new = Tables_new,
    .tp_members = Tables_members,
};

/* -- tokenising -------------------------------------------------------------------------------- */

/* str.split()'s whitespace, and the ASCII punctuation `_features.SPLIT` turns into spaces */
static unsigned char SEP8[256];  /* is_sep of the first 256 code points, filled at import */

static void
init_sep8(void)
{
    Py_UCS4 c;
    for (c = 0; c < 256; c++)
        SEP8[c] = (unsigned char)(((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96)
                                   || (c >= 123 && c <= 126)) || Py_UNICODE_ISSPACE(c));
}

static inline int
is_sep(Py_UCS4 c)
{
    return c < 256 ? SEP8[c] : Py_UNICODE_ISSPACE(c);
}

/* a token that may be a key of the leet map: ASCII lower-case letters and digits only, with a
 * digit 0 1 3 4 5 7 next to a letter (every `_features._LEET_RUN` match is such a string) */
static int
may_be_leet(int kind, const void *data, Py_ssize_t s, Py_ssize_t n)
{
    Py_ssize_t k;
    int adj = 0;
    for (k = 0; k < n; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, s + k);
        int letter = c >= 'a' && c <= 'z';
        int digit = c >= '0' && c <= '9';
        if (!letter && !digit)
            return 0;
        if (k > 0 && !adj) {
            Py_UCS4 p = PyUnicode_READ(kind, data, s + k - 1);
            int pl = p >= 'a' && p <= 'z';
            int leet_c = c == '0' || c == '1' || c == '3' || c == '4' || c == '5' || c == '7';
            int leet_p = p == '0' || p == '1' || p == '3' || p == '4' || p == '5' || p == '7';
            if ((pl && leet_c) || (letter && leet_p))
                adj = 1;
        }
    }
    return adj;
}

/* the word id of the string `u` (a leet replacement), -1 when it is no word of the tables */
static Py_ssize_t
lookup_str(const Tables *t, PyObject *u)
{
    int kind = PyUnicode_KIND(u);
    const void *data = PyUnicode_DATA(u);
    Py_ssize_t n = PyUnicode_GET_LENGTH(u), k;
    uint64_t h = FNV_OFFSET;
    for (k = 0; k < n; k++)
        h = fnv_step(h, PyUnicode_READ(kind, data, k));
    return lookup(t, kind, data, 0, n, h);
}

/* `lookup` for a string of any kind */
static Py_ssize_t
lookup_kind(const Tables *t, int kind, const void *data, Py_ssize_t start, Py_ssize_t n, uint64_t h)
{
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        return lookup(t, PyUnicode_1BYTE_KIND, data, start, n, h);
    case PyUnicode_2BYTE_KIND:
        return lookup(t, PyUnicode_2BYTE_KIND, data, start, n, h);
    default:
        return lookup(t, PyUnicode_4BYTE_KIND, data, start, n, h);
    }
}

/* distinct raw tokens, for the word set: spans of the view keyed by content */
typedef struct {
    Py_ssize_t *start, *len;
    uint64_t *hash;
    Py_ssize_t cap, n;
} spanset;

/* 1 added, 0 present, -1 error */
static int
spanset_add(spanset *s, int kind, const void *data, Py_ssize_t start, Py_ssize_t len, uint64_t h)
{
    Py_ssize_t mask, i;
    if (2 * (s->n + 1) > s->cap) {
        Py_ssize_t ncap = s->cap ? s->cap * 2 : 64, k;
        Py_ssize_t *ns, *nl;
        uint64_t *nh;
        if (ncap <= 0 || (size_t)ncap > PY_SSIZE_T_MAX / sizeof(uint64_t)) {
            PyErr_NoMemory();
            return -1;
        }
        ns = PyMem_Malloc((size_t)ncap * sizeof(Py_ssize_t));
        nl = PyMem_Malloc((size_t)ncap * sizeof(Py_ssize_t));
        nh = PyMem_Malloc((size_t)ncap * sizeof(uint64_t));
        if (!ns || !nl || !nh) {
            PyMem_Free(ns);
            PyMem_Free(nl);
            PyMem_Free(nh);
            PyErr_NoMemory();
            return -1;
        }
        for (k = 0; k < ncap; k++)
            nl[k] = -1;
        for (k = 0; k < s->cap; k++) {
            if (s->len[k] >= 0) {
                Py_ssize_t j = (Py_ssize_t)(slot_hash(s->hash[k]) & (uint64_t)(ncap - 1));
                while (nl[j] >= 0)
                    j = (j + 1) & (ncap - 1);
                ns[j] = s->start[k];
                nl[j] = s->len[k];
                nh[j] = s->hash[k];
            }
        }
        PyMem_Free(s->start);
        PyMem_Free(s->len);
        PyMem_Free(s->hash);
        s->start = ns;
        s->len = nl;
        s->hash = nh;
        s->cap = ncap;
    }
    mask = s->cap - 1;
    i = (Py_ssize_t)(slot_hash(h) & (uint64_t)mask);
    while (s->len[i] >= 0) {
        if (s->hash[i] == h && s->len[i] == len) {
            Py_ssize_t k = 0, o = s->start[i];
            if (kind == PyUnicode_1BYTE_KIND && len <= SHORT_MAX)
                return 0;  /* the hash of a short token of a 1-byte view is its bytes (`tokenize1`) */
            while (k < len && PyUnicode_READ(kind, data, o + k) == PyUnicode_READ(kind, data, start + k))
                k++;
            if (k == len)
                return 0;
        }
        i = (i + 1) & mask;
    }
    s->start[i] = start;
    s->len[i] = len;
    s->hash[i] = h;
    s->n++;
    return 1;
}

/* -- scoring ----------------------------------------------------------------------------------- */

#define K_UNI 1ULL
#define K_BI 2ULL
#define K_CBI 3ULL
#define K_CTRI 4ULL
#define K_PAIR 5ULL
#define KIND_SHIFT 60

/* the tokens of data[s:e] (str.split() after the ASCII punctuation became spaces): their starts,
 * lengths and hashes; returns their number (at most (e - s + 1) / 2). Called with a constant
 * kind, so each string kind gets its own loop; the hash slot of every token is fetched ahead. */
static ALWAYS_INLINE Py_ssize_t
tokenize(const Tables *t, int kind, const void *data, Py_ssize_t s, Py_ssize_t e,
         Py_ssize_t *tstart, Py_ssize_t *tlen, uint64_t *thash)
{
    Py_ssize_t i = s, n = 0, mask = t->cap - 1;
    while (i < e) {
        Py_ssize_t ts;
        uint64_t h = FNV_OFFSET;
        while (i < e && is_sep(PyUnicode_READ(kind, data, i)))
            i++;
        if (i >= e)
            break;
        ts = i;
        while (i < e) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (is_sep(c))
                break;
            h = fnv_step(h, c);
            i++;
        }
        tstart[n] = ts;
        tlen[n] = i - ts;
        thash[n] = h;
        PREFETCH(&t->slots[(Py_ssize_t)(slot_hash(h) & (uint64_t)mask)]);
        n++;
    }
    return n;
}

/* `tokenize` of a 1-byte view: a token of at most 8 characters gets its bytes (`pack_short`) as
 * its hash, which is also its key in `lookup_short` (no hash computed character by character, no
 * pool to compare with); a longer one its FNV-1a hash, as in `tokenize`. `vlen`: the view's length. */
static Py_ssize_t
tokenize1(const Tables *t, const Py_UCS1 *data, Py_ssize_t vlen, Py_ssize_t s, Py_ssize_t e,
          Py_ssize_t *tstart, Py_ssize_t *tlen, uint64_t *thash)
{
    Py_ssize_t i = s, n = 0, mask = t->cap - 1, smask = t->short_cap - 1;
    while (i < e) {
        Py_ssize_t ts, tl;
        uint64_t h;
        while (i < e && SEP8[data[i]])
            i++;
        if (i >= e)
            break;
        ts = i;
        while (i < e && !SEP8[data[i]])
            i++;
        tl = i - ts;
        if (tl <= SHORT_MAX) {
            h = pack_short(data + ts, tl, vlen - ts);
            PREFETCH(&t->shorts[(Py_ssize_t)(slot_hash(h) & (uint64_t)smask)]);
        }
        else {
            Py_ssize_t k;
            h = FNV_OFFSET;
            for (k = ts; k < i; k++)
                h = fnv_step(h, data[k]);
            PREFETCH(&t->slots[(Py_ssize_t)(slot_hash(h) & (uint64_t)mask)]);
        }
        tstart[n] = ts;
        tlen[n] = tl;
        thash[n] = h;
        n++;
    }
    return n;
}

/* the word id of the token data[ts : ts + tl] whose hash `tokenize` / `tokenize1` gave as h; -1 */
static ALWAYS_INLINE Py_ssize_t
lookup_tok(const Tables *t, int kind, const void *data, Py_ssize_t ts, Py_ssize_t tl, uint64_t h)
{
    if (kind == PyUnicode_1BYTE_KIND && tl <= SHORT_MAX)
        return lookup_short(t, h, tl);
    return lookup_kind(t, kind, data, ts, tl, h);
}

/* (a, b) of two C integers / a double and an integer: what Py_BuildValue("(nn)") / "(dn)" make,
 * without reading a format string (tuples are made per chunk on every call). `pair_of` takes the
 * reference to ``first`` (NULL: an error is set, nothing is made). */
static PyObject *
pair_of(PyObject *first, Py_ssize_t b)
{
    PyObject *t, *x;
    if (first == NULL)
        return NULL;
    t = PyTuple_New(2);
    if (t == NULL) {
        Py_DECREF(first);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, first);
    x = PyLong_FromSsize_t(b);
    if (x == NULL) {
        Py_DECREF(t);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 1, x);
    return t;
}

static PyObject *
pair_nn(Py_ssize_t a, Py_ssize_t b)
{
    return pair_of(PyLong_FromSsize_t(a), b);
}

static PyObject *
pair_dn(double a, Py_ssize_t b)
{
    return pair_of(PyFloat_FromDouble(a), b);
}

/* a small chunk as `chunk_sums` returns it (bytes of these records; `LinearModel` reads them with
 * memoryview casts: 'd' for the sum, 'q' for the rest) and `windows` takes it */
typedef struct {
    double sum;
    int64_t positions, start, end;
} small_rec;

static int grow(void **buf, Py_ssize_t *cap, Py_ssize_t need, size_t item);

/* no weighted bigram ends at this token (`sum_ids`' record of a chunk's bigrams; no key is this
 * large: keys are below nwords * nwords) */
#define NO_BIGRAM UINT64_MAX

/* the unigram of word `id` (entry `wd`) added to acc unless this chunk already has it (its bit in
 * `uni_seen`, set then); -1 on error */
static ALWAYS_INLINE int
add_unigram(fsum_t *acc, uint64_t *uni_seen, Py_ssize_t id, const word_t *wd)
{
    uint64_t bit = 1ULL << (id & 63);
    if (!wd->has_uni || (uni_seen[id >> 6] & bit))
        return 0;
    uni_seen[id >> 6] |= bit;
#ifdef HAVE_I128
    if (acc->fixed) {
        acc->s += wd->unifx;  /* (fixed_of(wd->uni), computed once) */
        return 0;
    }
#endif
    return fsum_add(acc, wd->uni);
}

/* uni_seen back to zeros after a chunk of the word ids ids[0:ntok]: only their bits were set */
static ALWAYS_INLINE void
clear_unigrams(uint64_t *uni_seen, const Py_ssize_t *ids, Py_ssize_t ntok)
{
    Py_ssize_t k;
    for (k = 0; k < ntok; k++) {
        if (ids[k] >= 0)
            uni_seen[ids[k] >> 6] = 0;
    }
}

/* the number of distinct concepts among cs[0:nc], the weights of their weighted pairs added to acc
 * (a before c in concept order); -1 on error. `present` (nconcepts + 1 bytes) is scratch. */
static Py_ssize_t
concept_pairs(const Tables *t, const int32_t *cs, Py_ssize_t nc, char *present, fsum_t *acc)
{
    Py_ssize_t k, a, c, npresent = 0;
    double w;
    if (nc < 2)
        return nc;
    memset(present, 0, (size_t)(t->nconcepts + 1));
    for (k = 0; k < nc; k++) {
        if (!present[cs[k]]) {
            present[cs[k]] = 1;
            npresent++;
        }
    }
    if (npresent < 2)
        return npresent;
    for (a = 0; a < t->nconcepts; a++) {
        if (!present[a])
            continue;
        for (c = a + 1; c < t->nconcepts; c++) {
            if (present[c] && wmap_get(&t->pair, (uint64_t)a * (uint64_t)t->nconcepts + (uint64_t)c, &w)
                && fsum_add(acc, w) < 0)
                return -1;
        }
    }
    return npresent;
}

/* a chunk's n-gram positions: its unigrams, bigrams, concept bigrams and trigrams, concept pairs */
static ALWAYS_INLINE Py_ssize_t
ngram_positions(Py_ssize_t ntok, Py_ssize_t nc, Py_ssize_t npresent)
{
    return ntok + (ntok > 1 ? ntok - 1 : 0) + (nc > 1 ? nc - 1 : 0) + (nc > 2 ? nc - 2 : 0)
           + npresent * (npresent - 1) / 2;
}

/* the exactly rounded sum (into `sum`) of the weights of the distinct n-grams of one chunk whose
 * tokens have the word ids ids[0:ntok] (-1: no word of the tables), and its n-gram `positions`.
 * `uni_seen` is all zeros on entry and on return; `cs` has room for ntok concept ids. With
 * `bkey` (not NULL), the key and weight of the weighted bigram (k - 1, k) go to bkey[k] / bw[k]
 * for every token k (`NO_BIGRAM`: none), for the small chunks (`sum_small`). */
static int
sum_ids(const Tables *t, const Py_ssize_t *ids, Py_ssize_t ntok, fsum_t *acc, uset *seen,
        uint64_t *uni_seen, char *present, int32_t *cs, double *sum, Py_ssize_t *positions,
        uint64_t *bkey, double *bw)
{
    Py_ssize_t k, nc = 0, npresent = 0;
    double w;
    int rc = -1;
    fsum_reset(acc, t->fixed, t->e0);
    uset_clear(seen);
    /* unigrams and bigrams */
    for (k = 0; k < ntok; k++) {
        Py_ssize_t id = ids[k];
        const word_t *wd;
        if (bkey != NULL)
            bkey[k] = NO_BIGRAM;
        if (id < 0)
            continue;
        wd = &t->words[id];
        if (add_unigram(acc, uni_seen, id, wd) < 0)
            goto done;
        if (k > 0 && wd->second && ids[k - 1] >= 0 && t->words[ids[k - 1]].first) {
            uint64_t key = (uint64_t)ids[k - 1] * (uint64_t)t->nwords + (uint64_t)id;
            uint64_t fbit = bifilt_bit(key) & t->bifmask;
            if ((t->bifilt[fbit >> 6] >> (fbit & 63)) & 1 && wmap_get(&t->bi, key, &w)) {
                int added = uset_add(seen, (K_BI << KIND_SHIFT) | key);
                if (added < 0)
                    goto done;
                if (added && fsum_add(acc, w) < 0)
                    goto done;
                if (bkey != NULL) {
                    bkey[k] = key;
                    bw[k] = w;
                }
            }
        }
        if (wd->concept >= 0)
            cs[nc++] = wd->concept;
    }
    /* the concept sequence */
    if (nc > 1) {
        uint64_t nC = (uint64_t)t->nconcepts;
        for (k = 1; k < nc; k++) {
            uint64_t key = (uint64_t)cs[k - 1] * nC + (uint64_t)cs[k];
            if (wmap_get(&t->cbi, key, &w)) {
                int added = uset_add(seen, (K_CBI << KIND_SHIFT) | key);
                if (added < 0)
                    goto done;
                if (added && fsum_add(acc, w) < 0)
                    goto done;
            }
            if (k > 1) {
                key = ((uint64_t)cs[k - 2] * nC + (uint64_t)cs[k - 1]) * nC + (uint64_t)cs[k];
                if (wmap_get(&t->ctri, key, &w)) {
                    int added = uset_add(seen, (K_CTRI << KIND_SHIFT) | key);
                    if (added < 0)
                        goto done;
                    if (added && fsum_add(acc, w) < 0)
                        goto done;
                }
            }
        }
    }
    npresent = concept_pairs(t, cs, nc, present, acc);
    if (npresent < 0)
        goto done;
    *positions = ngram_positions(ntok, nc, npresent);
    *sum = fsum_value(acc);
    rc = 0;
done:
    clear_unigrams(uni_seen, ids, ntok);
    return rc;
}

/* fsum_add of w unless `key` is among keys[0:*nk] (added to them then): the distinct n-grams of
 * a small chunk, which has few (a linear scan costs less than a hash set's probe and clearing) */
static ALWAYS_INLINE int
add_distinct(fsum_t *acc, uint64_t *keys, Py_ssize_t *nk, uint64_t key, double w)
{
    Py_ssize_t q;
    for (q = 0; q < *nk; q++) {
        if (keys[q] == key)
            return 0;
    }
    keys[(*nk)++] = key;
    return fsum_add(acc, w);
}

/* `sum_ids` of a small chunk, the tokens ids[0:ntok] of a chunk or pieces of them: whole[k] says
 * whether token k is a whole token of the chunk, whose weighted bigram with the token before is
 * then bkey[k] / bw[k] (`sum_ids` of the chunk) when that token is whole too, not looked up again.
 * The same n-grams, so the same sum and positions; they are told apart in `keys` (room for
 * 3 * ntok), not in a hash set. */
static int
sum_small(const Tables *t, const Py_ssize_t *ids, const unsigned char *whole, const uint64_t *bkey,
          const double *bw, Py_ssize_t ntok, fsum_t *acc, uint64_t *uni_seen, char *present, int32_t *cs,
          uint64_t *keys, double *sum, Py_ssize_t *positions)
{
    Py_ssize_t k, nc = 0, npresent = 0, nk = 0;
    double w;
    int rc = -1;
    fsum_reset(acc, t->fixed, t->e0);
    /* unigrams and bigrams */
    for (k = 0; k < ntok; k++) {
        Py_ssize_t id = ids[k];
        const word_t *wd;
        if (id < 0)
            continue;
        wd = &t->words[id];
        if (add_unigram(acc, uni_seen, id, wd) < 0)
            goto done;
        if (k > 0 && whole[k] && whole[k - 1]) {
            if (bkey[k] != NO_BIGRAM && add_distinct(acc, keys, &nk, (K_BI << KIND_SHIFT) | bkey[k], bw[k]) < 0)
                goto done;
        }
        else if (k > 0 && wd->second && ids[k - 1] >= 0 && t->words[ids[k - 1]].first) {
            uint64_t key = (uint64_t)ids[k - 1] * (uint64_t)t->nwords + (uint64_t)id;
            uint64_t fbit = bifilt_bit(key) & t->bifmask;
            if ((t->bifilt[fbit >> 6] >> (fbit & 63)) & 1 && wmap_get(&t->bi, key, &w)
                && add_distinct(acc, keys, &nk, (K_BI << KIND_SHIFT) | key, w) < 0)
                goto done;
        }
        if (wd->concept >= 0)
            cs[nc++] = wd->concept;
    }
    /* the concept sequence */
    if (nc > 1) {
        uint64_t nC = (uint64_t)t->nconcepts;
        for (k = 1; k < nc; k++) {
            uint64_t key = (uint64_t)cs[k - 1] * nC + (uint64_t)cs[k];
            if (wmap_get(&t->cbi, key, &w) && add_distinct(acc, keys, &nk, (K_CBI << KIND_SHIFT) | key, w) < 0)
                goto done;
            if (k > 1) {
                key = ((uint64_t)cs[k - 2] * nC + (uint64_t)cs[k - 1]) * nC + (uint64_t)cs[k];
                if (wmap_get(&t->ctri, key, &w) && add_distinct(acc, keys, &nk, (K_CTRI << KIND_SHIFT) | key, w) < 0)
                    goto done;
            }
        }
    }
    npresent = concept_pairs(t, cs, nc, present, acc);
    if (npresent < 0)
        goto done;
    *positions = ngram_positions(ntok, nc, npresent);
    *sum = fsum_value(acc);
    rc = 0;
done:
    clear_unigrams(uni_seen, ids, ntok);
    return rc;
}

/* the word id (-1: none) of the piece view[ps : ps + pl] of a token cut in two by a small chunk's
 * bound, leetspeak read back as for a whole token; -3 on error */
static Py_ssize_t
piece_id(const Tables *t, PyObject *view, int kind, const void *data, Py_ssize_t vlen, PyObject *leet,
         Py_ssize_t ps, Py_ssize_t pl)
{
    uint64_t h;
    Py_ssize_t k;
    if (leet != Py_None && PyDict_GET_SIZE(leet) > 0 && may_be_leet(kind, data, ps, pl)) {
        PyObject *tok = PyUnicode_Substring(view, ps, ps + pl), *u;
        if (tok == NULL)
            return -3;
        u = PyDict_GetItemWithError(leet, tok);  /* borrowed */
        Py_DECREF(tok);
        if (u == NULL && PyErr_Occurred())
            return -3;
        if (u != NULL) {
            if (!PyUnicode_Check(u) || STR_READY(u) < 0) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_TypeError, "_cscore: leet values must be str");
                return -3;
            }
            return lookup_str(t, u);
        }
    }
    if (kind == PyUnicode_1BYTE_KIND && pl <= SHORT_MAX)
        h = pack_short((const Py_UCS1 *)data + ps, pl, vlen - ps);
    else {
        h = FNV_OFFSET;
        for (k = 0; k < pl; k++)
            h = fnv_step(h, PyUnicode_READ(kind, data, ps + k));
    }
    return lookup_tok(t, kind, data, ps, pl, h);
}

static PyObject *
chunk_sums(PyObject *module, PyObject *args)
{
    Tables *t;
    PyObject *view, *bounds, *leet, *fb = NULL, *out = NULL, *words = NULL, *result = NULL;
    /* the small chunks (when `small` > 0): one `small_rec` each, returned as bytes */
    small_rec *srec = NULL;
    Py_ssize_t small = 0, small_hard = 0, *sids = NULL, nsrec = 0, capsrec = 0;
    /* for the small chunks: per token of the chunk, its weighted bigram with the one before
     * (`sum_ids`); per token of a small chunk, whether it is a whole token of the chunk; the
     * n-gram keys of a small chunk (`sum_small`) */
    uint64_t *bkey = NULL, *skeys = NULL;
    double *bw = NULL;
    unsigned char *swhole = NULL;
    int want_words, kind;
    const void *data;
    Py_ssize_t vlen, nb, b, maxlen = 0;
    Py_ssize_t *ids = NULL, *tstart = NULL, *tlen = NULL;
    uint64_t *thash = NULL;
    int32_t *cs = NULL;
    char *present = NULL;
    /* bitmaps over word ids: the unigrams of this chunk already summed, the words of the view
     * already in the word set (tokens that are no word of the tables go through `spans`) */
    uint64_t *uni_seen = NULL, *word_seen = NULL;
    Py_ssize_t nbits64;
    uset seen = {NULL, 0, 0};
    spanset spans = {NULL, NULL, NULL, 0, 0};
    fsum_t *acc = NULL;

    if (!PyArg_ParseTuple(args, "O!UOOp|nn:chunk_sums", &TablesType, &t, &view, &bounds, &leet, &want_words,
                          &small, &small_hard))
        return NULL;
    if (small < 0 || (small > 0 && small_hard < small)) {
        PyErr_SetString(PyExc_ValueError, "_cscore: small must be >= 0 and small_hard >= small");
        return NULL;
    }
    if (leet != Py_None && !PyDict_Check(leet)) {
        PyErr_SetString(PyExc_TypeError, "_cscore: leet must be a dict or None");
        return NULL;
    }
    if (STR_READY(view) < 0)
        return NULL;
    kind = PyUnicode_KIND(view);
    data = PyUnicode_DATA(view);
    vlen = PyUnicode_GET_LENGTH(view);
    fb = as_tuple(bounds, "bounds must be a sequence of (start, end)");
    if (fb == NULL)
        return NULL;
    nb = PySequence_Fast_GET_SIZE(fb);
    for (b = 0; b < nb; b++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fb, b);
        Py_ssize_t s, e;
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) {
            PyErr_SetString(PyExc_TypeError, "_cscore: bounds are (start, end) tuples");
            goto done;
        }
        s = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 0));
        if (s == -1 && PyErr_Occurred())
            goto done;
        e = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 1));
        if (e == -1 && PyErr_Occurred())
            goto done;
        if (s < 0 || e < s || e > vlen) {
            PyErr_SetString(PyExc_ValueError, "_cscore: a chunk's bounds are outside the view");
            goto done;
        }
        if (e - s > maxlen)
            maxlen = e - s;
    }
    /* a chunk of L characters has at most (L + 1) / 2 tokens */
    ids = PyMem_Malloc((size_t)(maxlen / 2 + 2) * sizeof(Py_ssize_t));
    tstart = PyMem_Malloc((size_t)(maxlen / 2 + 2) * sizeof(Py_ssize_t));
    tlen = PyMem_Malloc((size_t)(maxlen / 2 + 2) * sizeof(Py_ssize_t));
    thash = PyMem_Malloc((size_t)(maxlen / 2 + 2) * sizeof(uint64_t));
    cs = PyMem_Malloc((size_t)(maxlen / 2 + 2) * sizeof(int32_t));
    sids = PyMem_Malloc((size_t)(maxlen / 2 + 2) * sizeof(Py_ssize_t));
    if (small > 0) {
        bkey = PyMem_Malloc((size_t)(maxlen / 2 + 2) * sizeof(uint64_t));
        bw = PyMem_Malloc((size_t)(maxlen / 2 + 2) * sizeof(double));
        swhole = PyMem_Malloc((size_t)(maxlen / 2 + 2));
        skeys = PyMem_Malloc((size_t)(maxlen / 2 + 2) * 3 * sizeof(uint64_t));
        if (bkey == NULL || bw == NULL || swhole == NULL || skeys == NULL) {
            PyErr_NoMemory();
            goto done;
        }
    }
    present = PyMem_Calloc((size_t)(t->nconcepts + 1), 1);
    acc = PyMem_Malloc(sizeof(fsum_t));
    nbits64 = (t->nwords + 63) / 64 + 1;
    uni_seen = PyMem_Calloc((size_t)nbits64, sizeof(uint64_t));
    word_seen = PyMem_Calloc((size_t)nbits64, sizeof(uint64_t));
    if (ids == NULL || cs == NULL || sids == NULL || present == NULL || acc == NULL || tstart == NULL || tlen == NULL
        || thash == NULL || uni_seen == NULL || word_seen == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (uset_init(&seen, 64) < 0)
        goto done;
    out = PyList_New(nb);
    if (out == NULL)
        goto done;

    if (want_words) {
        /* filled here before anyone sees it (PySet_Add may fill a brand-new frozenset) */
        words = PyFrozenSet_New(NULL);
        if (words == NULL)
            goto done;
    }

    for (b = 0; b < nb; b++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fb, b), *pair_obj;
        Py_ssize_t s = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 0));
        Py_ssize_t e = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 1));
        Py_ssize_t ntok = 0, k, positions;
        double w;
        /* the tokens: spans and hashes, their hash slots fetched ahead */
        switch (kind) {
        case PyUnicode_1BYTE_KIND:
            ntok = tokenize1(t, (const Py_UCS1 *)data, vlen, s, e, tstart, tlen, thash);
            break;
        case PyUnicode_2BYTE_KIND:
            ntok = tokenize(t, PyUnicode_2BYTE_KIND, data, s, e, tstart, tlen, thash);
            break;
        default:
            ntok = tokenize(t, PyUnicode_4BYTE_KIND, data, s, e, tstart, tlen, thash);
            break;
        }
        if (ntok > maxlen / 2 + 1) {  /* cannot happen: tokens are separated */
            PyErr_SetString(PyExc_RuntimeError, "_cscore: token count out of bounds");
            goto done;
        }
        /* tokens -> word ids (leet read back), raw tokens -> the word set */
        for (k = 0; k < ntok; k++) {
            Py_ssize_t ts = tstart[k], tl = tlen[k], id;
            uint64_t h = thash[k];
            Py_ssize_t raw = -2;  /* the raw token's word id; -2: not looked up */
            id = -2;  /* not looked up yet */
            if (leet != Py_None && PyDict_GET_SIZE(leet) > 0 && may_be_leet(kind, data, ts, tl)) {
                PyObject *tok = PyUnicode_Substring(view, ts, ts + tl), *u;
                if (tok == NULL)
                    goto done;
                u = PyDict_GetItemWithError(leet, tok);  /* borrowed */
                Py_DECREF(tok);
                if (u == NULL && PyErr_Occurred())
                    goto done;
                if (u != NULL) {
                    if (!PyUnicode_Check(u) || STR_READY(u) < 0) {
                        if (!PyErr_Occurred())
                            PyErr_SetString(PyExc_TypeError, "_cscore: leet values must be str");
                        goto done;
                    }
                    id = lookup_str(t, u);
                }
            }
            if (id == -2)
                id = raw = lookup_tok(t, kind, data, ts, tl, h);
            if (words != NULL) {
                int added;
                if (raw == -2)
                    raw = lookup_tok(t, kind, data, ts, tl, h);
                if (raw >= 0) {  /* a word of the tables: seen by id (same id, same characters) */
                    uint64_t bit = 1ULL << (raw & 63);
                    added = !(word_seen[raw >> 6] & bit);
                    word_seen[raw >> 6] |= bit;
                }
                else
                    added = spanset_add(&spans, kind, data, ts, tl, h);
                if (added < 0)
                    goto done;
                if (added) {
                    PyObject *tok;
                    /* a word of the tables: its str, hash cached, instead of a new copy */
                    if (raw >= 0 && t->strs[raw] != NULL) {
                        tok = t->strs[raw];
                        Py_INCREF(tok);
                    }
                    else {
                        tok = PyUnicode_Substring(view, ts, ts + tl);
                        if (tok == NULL)
                            goto done;
                    }
                    if (PySet_Add(words, tok) < 0) {
                        Py_DECREF(tok);
                        goto done;
                    }
                    Py_DECREF(tok);
                }
            }
            ids[k] = id;
        }
        if (sum_ids(t, ids, ntok, acc, &seen, uni_seen, present, cs, &w, &positions, bkey, bw) < 0)
            goto done;
        pair_obj = pair_dn(w, positions);
        if (pair_obj == NULL)
            goto done;
        PyList_SET_ITEM(out, b, pair_obj);
        if (small > 0) {
            /* the chunk cut again into small chunks (`_features.small_bounds`: `chunk_bounds` of
             * view[s:e] with `small` and `small_hard`), each summed from the tokens found above;
             * a token that a small chunk's bound cuts in two is looked up again as two pieces */
            Py_ssize_t pos = s, tk = 0;
            while (pos < e || pos == s) {
                Py_ssize_t cut, m = 0, sp, tk0;
                double sw;
                if (e - pos <= small)  /* (the whole chunk, or its last small chunk) */
                    cut = e;
                else {
                    Py_ssize_t lim = pos + small_hard < e ? pos + small_hard : e, i;
                    cut = pos + small_hard;
                    for (i = pos + small; i < lim; i++) {
                        Py_UCS4 c = PyUnicode_READ(kind, data, i);
                        if (c == ' ' || c == '\n') {
                            cut = i;
                            break;
                        }
                    }
                    if (e - cut < small / 4)
                        cut = e;
                }
                while (tk < ntok && tstart[tk] + tlen[tk] <= pos)
                    tk++;
                tk0 = tk;  /* sids[q] is (a piece of) token tk0 + q */
                while (tk < ntok && tstart[tk] < cut) {
                    Py_ssize_t ts = tstart[tk], te = tstart[tk] + tlen[tk];
                    Py_ssize_t ps = ts > pos ? ts : pos, pe = te < cut ? te : cut;
                    if (ps == ts && pe == te) {
                        swhole[m] = 1;
                        sids[m++] = ids[tk];
                    }
                    else {
                        Py_ssize_t id = piece_id(t, view, kind, data, vlen, leet, ps, pe - ps);
                        if (id == -3)
                            goto done;
                        swhole[m] = 0;
                        sids[m++] = id;
                    }
                    if (te > cut)
                        break;  /* the rest of the token opens the next small chunk */
                    tk++;
                }
                if (sum_small(t, sids, swhole, bkey + tk0, bw + tk0, m, acc, uni_seen, present, cs, skeys, &sw,
                              &sp) < 0)
                    goto done;
                if (nsrec == capsrec && grow((void **)&srec, &capsrec, nsrec + 1, sizeof(small_rec)) < 0)
                    goto done;
                srec[nsrec].sum = sw;
                srec[nsrec].positions = (int64_t)sp;
                srec[nsrec].start = (int64_t)pos;
                srec[nsrec].end = (int64_t)cut;
                nsrec++;
                pos = cut;
                if (pos >= e)
                    break;
            }
        }
    }
    if (small > 0) {
        PyObject *packed = PyBytes_FromStringAndSize((const char *)srec, nsrec * (Py_ssize_t)sizeof(small_rec));
        if (packed == NULL)
            goto done;
        result = PyTuple_Pack(3, out, words != NULL ? words : Py_None, packed);
        Py_DECREF(packed);
    }
    else if (words != NULL)
        result = PyTuple_Pack(2, out, words);
    else
        result = PyTuple_Pack(2, out, Py_None);

done:
    Py_XDECREF(fb);
    Py_XDECREF(out);
    Py_XDECREF(words);
    PyMem_Free(srec);
    PyMem_Free(sids);
    PyMem_Free(bkey);
    PyMem_Free(bw);
    PyMem_Free(swhole);
    PyMem_Free(skeys);
    PyMem_Free(ids);
    PyMem_Free(tstart);
    PyMem_Free(tlen);
    PyMem_Free(thash);
    PyMem_Free(cs);
    PyMem_Free(present);
    PyMem_Free(acc);
    PyMem_Free(uni_seen);
    PyMem_Free(word_seen);
    PyMem_Free(seen.keys);
    PyMem_Free(spans.start);
    PyMem_Free(spans.len);
    PyMem_Free(spans.hash);
    return result;
}

/* -- the signal scanner's search windows (reference: `_signals._search_near`) ------------------ */

typedef struct {
    Py_ssize_t lo, hi;
} span_t;

static int
cmp_span(const void *a, const void *b)
{
    const span_t *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    return 0;
}

static int
cmp_ssize(const void *a, const void *b)
{
    Py_ssize_t x = *(const Py_ssize_t *)a, y = *(const Py_ssize_t *)b;
    return x < y ? -1 : x > y;
}

/* sort `spans` and merge the overlapping ones in place; the number of merged spans */
static Py_ssize_t
merge_spans(span_t *spans, Py_ssize_t n)
{
    Py_ssize_t k, nw = 0;
    if (n == 0)
        return 0;
    qsort(spans, (size_t)n, sizeof(span_t), cmp_span);
    for (k = 1; k < n; k++) {
        if (spans[k].lo <= spans[nw].hi) {
            if (spans[k].hi > spans[nw].hi)
                spans[nw].hi = spans[k].hi;
        }
        else {
            spans[++nw] = spans[k];
        }
    }
    return nw + 1;
}

/* sort `starts`, and keep each once and (with `boundary`) only where no word character (`_` or
 * alphanumeric) stands before it; the number kept, at the front of `starts` */
static Py_ssize_t
clean_starts(Py_ssize_t *starts, Py_ssize_t n, int kind, const void *data, int boundary)
{
    Py_ssize_t j, kept = 0;
    if (n > 1)
        qsort(starts, (size_t)n, sizeof(Py_ssize_t), cmp_ssize);
    for (j = 0; j < n; j++) {
        Py_ssize_t at = starts[j];
        if (j > 0 && starts[j - 1] == at)
            continue;
        if (boundary && at > 0) {
            Py_UCS4 c = PyUnicode_READ(kind, data, at - 1);
            if (c == '_' || Py_UNICODE_ISALNUM(c))
                continue;
        }
        starts[kept++] = at;
    }
    return kept;
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

static int
grow(void **buf, Py_ssize_t *cap, Py_ssize_t need, size_t item)
{
    Py_ssize_t ncap;
    void *nb;
    if (need <= *cap)
        return 0;
    ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > PY_SSIZE_T_MAX / 2 / (Py_ssize_t)item) {
            PyErr_NoMemory();
            return -1;
        }
        ncap *= 2;
    }
    nb = PyMem_Realloc(*buf, (size_t)ncap * item);
    if (nb == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *buf = nb;
    *cap = ncap;
    return 0;
}

/* near(view, anchors, prefixes, window, max_anchors, boundary):
 * None when the anchors occur more than max_anchors times (the caller searches the whole view);
 * else, with prefixes None, the merged windows [(lo, hi), ...] around the anchors' occurrences,
 * in order; with prefixes, the places [(at, hi), ...] in those windows, in order, where a prefix
 * occurs (a match may start there) and, with boundary, no word character precedes. */
static PyObject *
near(PyObject *module, PyObject *args)
{
    PyObject *view, *anchors, *prefixes, *fa = NULL, *fp = NULL, *out = NULL, *result = NULL;
    Py_ssize_t window, max_anchors, vlen, na, np = 0, k, nspans = 0, cspans = 0, nw = 0;
    Py_ssize_t *starts = NULL, nstarts = 0, cstarts = 0;
    int boundary, kind;
    const void *data;
    span_t *spans = NULL;

    if (!PyArg_ParseTuple(args, "UOOnnp:near", &view, &anchors, &prefixes, &window, &max_anchors, &boundary))
        return NULL;
    if (window < 0 || max_anchors < 0) {
        PyErr_SetString(PyExc_ValueError, "_cscore: window and max_anchors must be >= 0");
        return NULL;
    }
    if (STR_READY(view) < 0)
        return NULL;
    kind = PyUnicode_KIND(view);
    data = PyUnicode_DATA(view);
    vlen = PyUnicode_GET_LENGTH(view);
    fa = as_tuple(anchors, "anchors must be an iterable of str");
    if (fa == NULL)
        return NULL;
    if (prefixes != Py_None) {
        fp = as_tuple(prefixes, "prefixes must be a sequence of str or None");
        if (fp == NULL)
            goto done;
        np = PySequence_Fast_GET_SIZE(fp);
        for (k = 0; k < np; k++) {
            PyObject *p = PySequence_Fast_GET_ITEM(fp, k);
            if (!PyUnicode_Check(p) || PyUnicode_GET_LENGTH(p) == 0) {
                PyErr_SetString(PyExc_TypeError, "_cscore: prefixes are non-empty str");
                goto done;
            }
        }
    }
    na = PySequence_Fast_GET_SIZE(fa);
    /* every occurrence of every anchor, as `view.find(a, pos + len(a))` finds them */
    for (k = 0; k < na; k++) {
        PyObject *a = PySequence_Fast_GET_ITEM(fa, k);
        Py_ssize_t alen, pos;
        if (!PyUnicode_Check(a)) {
            PyErr_SetString(PyExc_TypeError, "_cscore: anchors are str");
            goto done;
        }
        alen = PyUnicode_GET_LENGTH(a);
        pos = PyUnicode_Find(view, a, 0, vlen, 1);
        while (pos >= 0) {
            if (nspans >= max_anchors) {
                Py_INCREF(Py_None);
                result = Py_None;
                goto done;
            }
            if (grow((void **)&spans, &cspans, nspans + 1, sizeof(span_t)) < 0)
                goto done;
            spans[nspans].lo = pos > window ? pos - window : 0;
            spans[nspans].hi = pos + alen + window;
            nspans++;
            if (alen == 0) {  /* "" is found at pos again and again: as many anchors as allowed */
                Py_INCREF(Py_None);
                result = Py_None;
                goto done;
            }
            pos = PyUnicode_Find(view, a, pos + alen, vlen, 1);
        }
        if (pos == -2)
            goto done;
    }
    out = PyList_New(0);
    if (out == NULL)
        goto done;
    if (nspans == 0) {
        result = out;
        out = NULL;
        goto done;
    }
    nw = merge_spans(spans, nspans);  /* merge overlapping windows */
    for (k = 0; k < nw; k++) {
        Py_ssize_t lo = spans[k].lo, hi = spans[k].hi, j, e = hi < vlen ? hi : vlen;
        if (fp == NULL) {
            if (append_pair(out, lo, hi) < 0)
                goto done;
            continue;
        }
        nstarts = 0;
        if (lo < e) {
            for (j = 0; j < np; j++) {
                PyObject *p = PySequence_Fast_GET_ITEM(fp, j);
                Py_ssize_t at = PyUnicode_Find(view, p, lo, e, 1);
                while (at >= 0) {
                    if (grow((void **)&starts, &cstarts, nstarts + 1, sizeof(Py_ssize_t)) < 0)
                        goto done;
                    starts[nstarts++] = at;
                    at = PyUnicode_Find(view, p, at + 1, e, 1);
                }
                if (at == -2)
                    goto done;
            }
        }
        nstarts = clean_starts(starts, nstarts, kind, data, boundary);
        for (j = 0; j < nstarts; j++)
            if (append_pair(out, starts[j], hi) < 0)
                goto done;
    }
    result = out;
    out = NULL;

done:
    Py_XDECREF(fa);
    Py_XDECREF(fp);
    Py_XDECREF(out);
    PyMem_Free(spans);
    PyMem_Free(starts);
    return result;
}

/* -- every needle's occurrences in one pass (reference: `near`, `_signals._search_near`) ------- */

/* Needles(strings): the anchors and literal prefixes of every signal pattern, indexed by their
 * first two code points. `needles.scan(view)` finds every occurrence of every needle in one pass
 * over the view (an `Occ`); `near_occ(occ, anchors, prefix_ids, window, max_anchors, boundary)`
 * then gives what `near(view, anchors, prefixes, ...)` gives, reading the occurrences instead of
 * searching the view once per anchor and per prefix and window. */

#define NB_BITS 12
#define NB (1 << NB_BITS)
#define NQ_BITS 14
#define NQ (1 << NQ_BITS)

typedef struct {
    PyObject_HEAD
    Py_ssize_t n;             /* needles */
    PyObject *strs;           /* tuple of the needles (str) */
    PyObject *ids;            /* dict: needle -> its index */
    Py_UCS4 **nd;             /* each needle's code points */
    Py_ssize_t *nl;           /* and length */
    Py_UCS4 *chars;           /* the code points, one buffer */
    uint64_t pair_exact[65536 / 64];  /* the first two code points (both below 256) of a needle */
    uint64_t pair_wide[NB / 64];      /* pair_bucket of the others' first two */
    int32_t *bstart;          /* NB + 1: the needles of two or three code points by pair_bucket: */
    int32_t *bids;            /* bucket b's are bids[bstart[b] .. bstart[b + 1]) */
    uint64_t quad_bits[NQ / 64];      /* quad_bucket of a longer needle's first four */
    int32_t *qstart;          /* NQ + 1: the longer needles by quad_bucket, as above */
    int32_t *qids;
    int32_t *ones;            /* the needles of one code point */
    Py_ssize_t n1;
    uint64_t one_bits[4];     /* their code points below 256 */
    int one_wide;             /* one of them is 256 or above */
} Needles;

typedef struct {
    PyObject_HEAD
    Needles *needles;         /* (a reference) */
    PyObject *view;           /* (a reference) the string scanned */
    Py_ssize_t *start;        /* n + 1: needle j's positions are pos[start[j] .. start[j + 1]), ascending */
    Py_ssize_t *pos;
} Occ;

static PyTypeObject OccType;

static ALWAYS_INLINE uint32_t
pair_bucket(Py_UCS4 a, Py_UCS4 b)
{
    return (uint32_t)(((uint64_t)a * 0x9E3779B1u + (uint64_t)b * 0x85EBCA77u) * 0x9E3779B97F4A7C15ULL >> (64 - NB_BITS));
}

static ALWAYS_INLINE uint32_t
quad_bucket(Py_UCS4 a, Py_UCS4 b, Py_UCS4 c, Py_UCS4 d)
{
    uint64_t k = (((uint64_t)a * 0x9E3779B1u + b) * 0x85EBCA77u + c) * 0xC2B2AE3Du + d;
    return (uint32_t)(k * 0x9E3779B97F4A7C15ULL >> (64 - NQ_BITS));
}

/* whether a needle of two code points or more starts with (a, b) (a false yes is allowed) */
static ALWAYS_INLINE int
pair_may(const Needles *nd, Py_UCS4 a, Py_UCS4 b)
{
    if ((a | b) < 256) {
        uint32_t k = (a << 8) | b;
        return (int)((nd->pair_exact[k >> 6] >> (k & 63)) & 1);
    }
    {
        uint32_t h = pair_bucket(a, b);
        return (int)((nd->pair_wide[h >> 6] >> (h & 63)) & 1);
    }
}

static void
Needles_dealloc(Needles *self)
{
    Py_XDECREF(self->strs);
    Py_XDECREF(self->ids);
    PyMem_Free(self->nd);
    PyMem_Free(self->nl);
    PyMem_Free(self->chars);
    PyMem_Free(self->bstart);
    PyMem_Free(self->bids);
    PyMem_Free(self->qstart);
    PyMem_Free(self->qids);
    PyMem_Free(self->ones);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Needles_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"needles", NULL};
    PyObject *seq, *strs;
    Needles *self;
    Py_ssize_t n, j, total = 0, at = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O:Needles", kwlist, &seq))
        return NULL;
    strs = as_tuple(seq, "needles must be an iterable of str");
    if (strs == NULL)
        return NULL;
    self = (Needles *)type->tp_alloc(type, 0);
    if (self == NULL) {
        Py_DECREF(strs);
        return NULL;
    }
    self->strs = strs;
    n = self->n = PyTuple_GET_SIZE(strs);
    if (n > INT32_MAX / 2) {
        PyErr_SetString(PyExc_ValueError, "_cscore: too many needles");
        goto fail;
    }
    self->ids = PyDict_New();
    if (self->ids == NULL)
        goto fail;
    for (j = 0; j < n; j++) {
        PyObject *s = PyTuple_GET_ITEM(strs, j), *idx;
        int known;
        if (!PyUnicode_Check(s) || STR_READY(s) < 0 || PyUnicode_GET_LENGTH(s) == 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "_cscore: needles are non-empty str");
            goto fail;
        }
        known = PyDict_Contains(self->ids, s);
        if (known != 0) {
            if (known > 0)
                PyErr_SetString(PyExc_ValueError, "_cscore: a needle given twice");
            goto fail;
        }
        idx = PyLong_FromSsize_t(j);
        if (idx == NULL || PyDict_SetItem(self->ids, s, idx) < 0) {
            Py_XDECREF(idx);
            goto fail;
        }
        Py_DECREF(idx);
        total += PyUnicode_GET_LENGTH(s);
    }
    self->nd = PyMem_Calloc((size_t)(n ? n : 1), sizeof(Py_UCS4 *));
    self->nl = PyMem_Calloc((size_t)(n ? n : 1), sizeof(Py_ssize_t));
    self->chars = PyMem_Calloc((size_t)(total ? total : 1), sizeof(Py_UCS4));
    self->bstart = PyMem_Calloc(NB + 1, sizeof(int32_t));
    self->bids = PyMem_Calloc((size_t)(n ? n : 1), sizeof(int32_t));
    self->qstart = PyMem_Calloc(NQ + 1, sizeof(int32_t));
    self->qids = PyMem_Calloc((size_t)(n ? n : 1), sizeof(int32_t));
    self->ones = PyMem_Calloc((size_t)(n ? n : 1), sizeof(int32_t));
    if (!self->nd || !self->nl || !self->chars || !self->bstart || !self->bids || !self->qstart || !self->qids
        || !self->ones) {
        PyErr_NoMemory();
        goto fail;
    }
    for (j = 0; j < n; j++) {
        PyObject *s = PyTuple_GET_ITEM(strs, j);
        Py_ssize_t len = PyUnicode_GET_LENGTH(s), k;
        int kind = PyUnicode_KIND(s);
        const void *data = PyUnicode_DATA(s);
        self->nd[j] = self->chars + at;
        self->nl[j] = len;
        for (k = 0; k < len; k++)
            self->chars[at + k] = PyUnicode_READ(kind, data, k);
        at += len;
        if (len == 1) {
            Py_UCS4 c = self->nd[j][0];
            self->ones[self->n1++] = (int32_t)j;
            if (c < 256)
                self->one_bits[c >> 6] |= 1ULL << (c & 63);
            else
                self->one_wide = 1;
        }
        else {
            const Py_UCS4 *c = self->nd[j];
            if ((c[0] | c[1]) < 256) {
                uint32_t k = (c[0] << 8) | c[1];
                self->pair_exact[k >> 6] |= 1ULL << (k & 63);
            }
            else {
                uint32_t h = pair_bucket(c[0], c[1]);
                self->pair_wide[h >> 6] |= 1ULL << (h & 63);
            }
            if (len < 4) {
                self->bstart[pair_bucket(c[0], c[1]) + 1]++;
            }
            else {
                uint32_t q = quad_bucket(c[0], c[1], c[2], c[3]);
                self->qstart[q + 1]++;
                self->quad_bits[q >> 6] |= 1ULL << (q & 63);
            }
        }
    }
    for (j = 0; j < NB; j++)
        self->bstart[j + 1] += self->bstart[j];
    for (j = 0; j < NQ; j++)
        self->qstart[j + 1] += self->qstart[j];
    {
        int32_t *fill = PyMem_Calloc(NB, sizeof(int32_t)), *qfill = PyMem_Calloc(NQ, sizeof(int32_t));
        if (fill == NULL || qfill == NULL) {
            PyMem_Free(fill);
            PyMem_Free(qfill);
            PyErr_NoMemory();
            goto fail;
        }
        for (j = 0; j < n; j++) {
            const Py_UCS4 *c = self->nd[j];
            if (self->nl[j] >= 4) {
                uint32_t q = quad_bucket(c[0], c[1], c[2], c[3]);
                self->qids[self->qstart[q] + qfill[q]++] = (int32_t)j;
            }
            else if (self->nl[j] >= 2) {
                uint32_t b = pair_bucket(c[0], c[1]);
                self->bids[self->bstart[b] + fill[b]++] = (int32_t)j;
            }
        }
        PyMem_Free(fill);
        PyMem_Free(qfill);
    }
    return (PyObject *)self;
fail:
    Py_DECREF(self);
    return NULL;
}

typedef struct {
    int32_t needle;
    Py_ssize_t at;
} occ_rec;

static ALWAYS_INLINE int
push_rec(occ_rec **buf, Py_ssize_t *n, Py_ssize_t *cap, int32_t needle, Py_ssize_t at)
{
    if (*n >= *cap && grow((void **)buf, cap, *n + 1, sizeof(occ_rec)) < 0)
        return -1;
    (*buf)[*n].needle = needle;
    (*buf)[*n].at = at;
    (*n)++;
    return 0;
}

/* every (needle, position) where a needle occurs, in the order of the positions */
static ALWAYS_INLINE int
scan_recs(const Needles *nd, int kind, const void *data, Py_ssize_t vlen, occ_rec **buf, Py_ssize_t *n,
          Py_ssize_t *cap)
{
    Py_ssize_t i, k, m;
    Py_UCS4 c0, c1;
    if (vlen <= 0)
        return 0;
    c1 = PyUnicode_READ(kind, data, 0);
    for (i = 0; i < vlen; i++) {
        uint32_t b;
        c0 = c1;
        if (nd->n1 > 0 && (c0 < 256 ? (int)((nd->one_bits[c0 >> 6] >> (c0 & 63)) & 1) : nd->one_wide)) {
            for (k = 0; k < nd->n1; k++) {
                if (nd->nd[nd->ones[k]][0] == c0 && push_rec(buf, n, cap, nd->ones[k], i) < 0)
                    return -1;
            }
        }
        if (i + 1 >= vlen)
            break;
        c1 = PyUnicode_READ(kind, data, i + 1);
        if (!pair_may(nd, c0, c1))
            continue;
        b = pair_bucket(c0, c1);
        for (k = nd->bstart[b]; k < nd->bstart[b + 1]; k++) {  /* two or three code points */
            int32_t j = nd->bids[k];
            const Py_UCS4 *s = nd->nd[j];
            Py_ssize_t len = nd->nl[j];
            if (len > vlen - i || s[0] != c0 || s[1] != c1)
                continue;
            if (len == 3 && PyUnicode_READ(kind, data, i + 2) != s[2])
                continue;
            if (push_rec(buf, n, cap, j, i) < 0)
                return -1;
        }
        if (i + 3 < vlen) {  /* four or more */
            Py_UCS4 c2 = PyUnicode_READ(kind, data, i + 2), c3 = PyUnicode_READ(kind, data, i + 3);
            uint32_t q = quad_bucket(c0, c1, c2, c3);
            if (!((nd->quad_bits[q >> 6] >> (q & 63)) & 1))
                continue;
            for (k = nd->qstart[q]; k < nd->qstart[q + 1]; k++) {
                int32_t j = nd->qids[k];
                const Py_UCS4 *s = nd->nd[j];
                Py_ssize_t len = nd->nl[j];
                if (len > vlen - i || s[0] != c0 || s[1] != c1 || s[2] != c2 || s[3] != c3)
                    continue;
                for (m = 4; m < len && PyUnicode_READ(kind, data, i + m) == s[m]; m++)
                    ;
                if (m == len && push_rec(buf, n, cap, j, i) < 0)
                    return -1;
            }
        }
    }
    return 0;
}

static void
Occ_dealloc(Occ *self)
{
    Py_XDECREF(self->needles);
    Py_XDECREF(self->view);
    PyMem_Free(self->start);
    PyMem_Free(self->pos);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* needles.scan(view) -> Occ */
static PyObject *
Needles_scan(Needles *self, PyObject *view)
{
    occ_rec *recs = NULL;
    Py_ssize_t nrec = 0, crec = 0, j, vlen;
    Occ *occ = NULL;
    int kind, r;
    const void *data;
    if (!PyUnicode_Check(view)) {
        PyErr_SetString(PyExc_TypeError, "_cscore: scan(view) takes a str");
        return NULL;
    }
    if (STR_READY(view) < 0)
        return NULL;
    kind = PyUnicode_KIND(view);
    data = PyUnicode_DATA(view);
    vlen = PyUnicode_GET_LENGTH(view);
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        r = scan_recs(self, PyUnicode_1BYTE_KIND, data, vlen, &recs, &nrec, &crec);
        break;
    case PyUnicode_2BYTE_KIND:
        r = scan_recs(self, PyUnicode_2BYTE_KIND, data, vlen, &recs, &nrec, &crec);
        break;
    default:
        r = scan_recs(self, PyUnicode_4BYTE_KIND, data, vlen, &recs, &nrec, &crec);
        break;
    }
    if (r < 0)
        goto done;
    occ = PyObject_New(Occ, &OccType);
    if (occ == NULL)
        goto done;
    Py_INCREF(self);
    occ->needles = self;
    Py_INCREF(view);
    occ->view = view;
    occ->start = PyMem_Calloc((size_t)self->n + 1, sizeof(Py_ssize_t));
    occ->pos = PyMem_Malloc((size_t)(nrec ? nrec : 1) * sizeof(Py_ssize_t));
    if (occ->start == NULL || occ->pos == NULL) {
        PyErr_NoMemory();
        Py_CLEAR(occ);
        goto done;
    }
    /* counting sort by needle, stable: each needle's positions stay ascending */
    for (j = 0; j < nrec; j++)
        occ->start[recs[j].needle + 1]++;
    for (j = 0; j < self->n; j++)
        occ->start[j + 1] += occ->start[j];
    {
        Py_ssize_t *fill = PyMem_Calloc((size_t)(self->n ? self->n : 1), sizeof(Py_ssize_t));
        if (fill == NULL) {
            PyErr_NoMemory();
            Py_CLEAR(occ);
            goto done;
        }
        for (j = 0; j < nrec; j++) {
            int32_t nd = recs[j].needle;
            occ->pos[occ->start[nd] + fill[nd]++] = recs[j].at;
        }
        PyMem_Free(fill);
    }
done:
    PyMem_Free(recs);
    return (PyObject *)occ;
}

/* needles.positions(occ, needle) -> [every position where it occurs] (for the tests) */
static PyObject *
Needles_positions(Needles *self, PyObject *args)
{
    PyObject *o, *s, *idx, *out;
    Occ *occ;
    Py_ssize_t j, k;
    if (!PyArg_ParseTuple(args, "O!U:positions", &OccType, &o, &s))
        return NULL;
    occ = (Occ *)o;
    if (occ->needles != self) {
        PyErr_SetString(PyExc_ValueError, "_cscore: an Occ of other needles");
        return NULL;
    }
    idx = PyDict_GetItemWithError(self->ids, s);
    if (idx == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_KeyError, "_cscore: not a needle");
        return NULL;
    }
    j = PyLong_AsSsize_t(idx);
    out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (k = occ->start[j]; k < occ->start[j + 1]; k++) {
        PyObject *v = PyLong_FromSsize_t(occ->pos[k]);
        if (v == NULL || PyList_Append(out, v) < 0) {
            Py_XDECREF(v);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(v);
    }
    return out;
}

/* needles.ids_of(strings) -> (index, ...) of each (KeyError: one is not a needle) */
static PyObject *
Needles_ids_of(Needles *self, PyObject *seq)
{
    PyObject *t = as_tuple(seq, "ids_of takes an iterable of str"), *out;
    Py_ssize_t k, n;
    if (t == NULL)
        return NULL;
    n = PyTuple_GET_SIZE(t);
    out = PyTuple_New(n);
    if (out == NULL) {
        Py_DECREF(t);
        return NULL;
    }
    for (k = 0; k < n; k++) {
        PyObject *idx = PyDict_GetItemWithError(self->ids, PyTuple_GET_ITEM(t, k));
        if (idx == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_KeyError, "_cscore: not a needle");
            Py_DECREF(t);
            Py_DECREF(out);
            return NULL;
        }
        Py_INCREF(idx);
        PyTuple_SET_ITEM(out, k, idx);
    }
    Py_DECREF(t);
    return out;
}

static PyMethodDef Needles_methods[] = {
    {"scan", (PyCFunction)Needles_scan, METH_O, "scan(view) -> Occ: every occurrence of every needle in view"},
    {"positions", (PyCFunction)Needles_positions, METH_VARARGS,
     "positions(occ, needle) -> [every position where needle occurs in the scanned view], ascending"},
    {"ids_of", (PyCFunction)Needles_ids_of, METH_O, "ids_of(strings) -> (the index of each needle, ...)"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject NeedlesType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "guardwrap.injection._cscore.Needles",
    .tp_basicsize = sizeof(Needles),
    .tp_dealloc = (destructor)Needles_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Needles(strings): the signal patterns' anchors and prefixes, found in one pass by scan(view).",
    .tp_new = Needles_new,
    .tp_methods = Needles_methods,
};

static PyTypeObject OccType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "guardwrap.injection._cscore.Occ",
    .tp_basicsize = sizeof(Occ),
    .tp_dealloc = (destructor)Occ_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Where each needle occurs in one view (Needles.scan).",
};

/* re's \w of a str pattern (and its \b): alphanumeric (str.isalnum) or "_"; ASCII by a test */
static ALWAYS_INLINE int
is_word(Py_UCS4 c)
{
    if (c < 128)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    return Py_UNICODE_ISALNUM(c);
}

/* a `follow` condition, read once (`follow_read`): the match starts kept are those where one of
 * the word runs number first .. last starts with one of the literals (see `near_occ`), before any
 * of the stop characters */
typedef struct {
    Py_ssize_t first, last, n;
    const Py_UCS4 *lit[64];
    Py_ssize_t litlen[64];
    unsigned char lead[128];  /* for each ASCII code point, whether a literal starts with it */
    int wide;                 /* whether one starts above */
    unsigned char stop[128];  /* the stop characters (ASCII) */
    Py_UCS4 *buf;             /* (owned) the literals' code points */
} follow_t;

/* whether one of the word runs (maximal runs of \w) number f->first .. f->last in view[at:end]
 * starts with one of f's literals, before any of its stop characters (the run holding `at` is
 * number 1): see `near_occ`'s `follow` */
static ALWAYS_INLINE int
follows_kind(int kind, const void *data, Py_ssize_t at, Py_ssize_t end, const follow_t *f)
{
    Py_ssize_t i = at, run = 0, k, m;
    while (i < end) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!is_word(c)) {
            if (c < 128 && f->stop[c])
                return 0;
            i++;
            continue;
        }
        if (++run > f->last)
            return 0;
        if (run >= f->first && (c < 128 ? f->lead[c] : f->wide)) {
            for (k = 0; k < f->n; k++) {
                if (f->lit[k][0] != c || f->litlen[k] > end - i)
                    continue;
                for (m = 1; m < f->litlen[k] && PyUnicode_READ(kind, data, i + m) == f->lit[k][m]; m++)
                    ;
                if (m == f->litlen[k])
                    return 1;
            }
        }
        for (i++; i < end && is_word(PyUnicode_READ(kind, data, i)); i++)
            ;
    }
    return 0;
}

static int
follows(int kind, const void *data, Py_ssize_t at, Py_ssize_t end, const follow_t *f)
{
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        return follows_kind(PyUnicode_1BYTE_KIND, data, at, end, f);
    case PyUnicode_2BYTE_KIND:
        return follows_kind(PyUnicode_2BYTE_KIND, data, at, end, f);
    default:
        return follows_kind(PyUnicode_4BYTE_KIND, data, at, end, f);
    }
}

/* read follow = (first, last, literals) into f; 0, or -1 with an exception set (f->buf freed) */
static int
follow_read(PyObject *follow, follow_t *f)
{
    PyObject *lits, *flits, *stop = NULL;
    Py_ssize_t total = 0, at = 0, k;
    f->buf = NULL;
    if (!PyArg_ParseTuple(follow, "nnO|U:follow", &f->first, &f->last, &lits, &stop))
        return -1;
    memset(f->stop, 0, sizeof f->stop);
    if (stop != NULL) {
        for (k = 0; k < PyUnicode_GET_LENGTH(stop); k++) {
            Py_UCS4 c = PyUnicode_READ_CHAR(stop, k);
            if (c >= 128 || is_word(c)) {
                PyErr_SetString(PyExc_ValueError, "_cscore: follow's stop characters are ASCII, not word characters");
                return -1;
            }
            f->stop[c] = 1;
        }
    }
    flits = as_tuple(lits, "follow's literals must be a sequence of str");
    if (flits == NULL)
        return -1;
    f->n = PyTuple_GET_SIZE(flits);
    if (f->n > 64) {
        PyErr_SetString(PyExc_ValueError, "_cscore: at most 64 literals to follow");
        goto fail;
    }
    for (k = 0; k < f->n; k++) {
        PyObject *l = PyTuple_GET_ITEM(flits, k);
        if (!PyUnicode_Check(l) || STR_READY(l) < 0 || PyUnicode_GET_LENGTH(l) == 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "_cscore: follow's literals are non-empty str");
            goto fail;
        }
        total += PyUnicode_GET_LENGTH(l);
    }
    f->buf = PyMem_Malloc((size_t)(total ? total : 1) * sizeof(Py_UCS4));
    if (f->buf == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    memset(f->lead, 0, sizeof f->lead);
    f->wide = 0;
    for (k = 0; k < f->n; k++) {
        PyObject *l = PyTuple_GET_ITEM(flits, k);
        Py_ssize_t m, len = PyUnicode_GET_LENGTH(l);
        int lk = PyUnicode_KIND(l);
        const void *ld = PyUnicode_DATA(l);
        for (m = 0; m < len; m++)
            f->buf[at + m] = PyUnicode_READ(lk, ld, m);
        f->lit[k] = f->buf + at;
        f->litlen[k] = len;
        at += len;
        if (f->lit[k][0] < 128)
            f->lead[f->lit[k][0]] = 1;
        else
            f->wide = 1;
    }
    Py_DECREF(flits);
    return 0;
fail:
    Py_DECREF(flits);
    PyMem_Free(f->buf);
    f->buf = NULL;
    return -1;
}

/* `occ_starts`' buffers, kept across the patterns of one `Plan.starts` */
typedef struct {
    span_t *spans;
    Py_ssize_t cspans;
    Py_ssize_t *starts;
    Py_ssize_t cstarts;
} scratch_t;

/* `near_occ`'s work once its arguments are read (anchors and prefixes by needle index; np < 0:
 * no prefixes, the windows are given; f NULL: no follow): appends to out the windows or the match
 * starts, as (lo or at, hi) pairs; 0, 1 when the anchors occur more than max_anchors times and
 * not whole (out untouched: the caller gives None), -1 with an exception set */
static int
occ_starts(const Occ *occ, const Py_ssize_t *aids, Py_ssize_t na, const Py_ssize_t *pid, Py_ssize_t np,
           int boundary, const follow_t *f, Py_ssize_t window, Py_ssize_t max_anchors, int whole, scratch_t *s,
           PyObject *out)
{
    const Needles *nd = occ->needles;
    PyObject *view = occ->view;
    int kind = PyUnicode_KIND(view);
    const void *data = PyUnicode_DATA(view);
    Py_ssize_t vlen = PyUnicode_GET_LENGTH(view), nspans = 0, nw, k, j;
    /* every occurrence of every anchor, as `view.find(a, pos + len(a))` finds them: of the
     * occurrences, ascending, each one that does not overlap the last taken */
    for (k = 0; k < na; k++) {
        Py_ssize_t a = aids[k], alen = nd->nl[a], q, next = 0;
        for (q = occ->start[a]; q < occ->start[a + 1]; q++) {
            Py_ssize_t pos = occ->pos[q];
            if (pos < next)
                continue;
            if (nspans >= max_anchors) {
                if (!whole)
                    return 1;
                /* the caller's fallback, `_search` over the whole view: one window [0, len) */
                if (grow((void **)&s->spans, &s->cspans, 1, sizeof(span_t)) < 0)
                    return -1;
                s->spans[0].lo = 0;
                s->spans[0].hi = vlen;
                nspans = 1;
                goto windows;
            }
            if (grow((void **)&s->spans, &s->cspans, nspans + 1, sizeof(span_t)) < 0)
                return -1;
            s->spans[nspans].lo = pos > window ? pos - window : 0;
            s->spans[nspans].hi = pos + alen + window;
            nspans++;
            next = pos + alen;
        }
    }
windows:
    if (nspans == 0)
        return 0;
    nw = merge_spans(s->spans, nspans);  /* merge overlapping windows */
    for (k = 0; k < nw; k++) {
        Py_ssize_t lo = s->spans[k].lo, hi = s->spans[k].hi, e = hi < vlen ? hi : vlen, nstarts = 0;
        if (np < 0) {
            if (append_pair(out, lo, hi) < 0)
                return -1;
            continue;
        }
        if (lo < e) {
            for (j = 0; j < np; j++) {
                /* the occurrences wholly inside [lo, e), as `find(p, lo, e)` and on find them */
                Py_ssize_t p = pid[j], a = occ->start[p], b = occ->start[p + 1], last = e - nd->nl[p];
                while (a < b) {  /* the first at or after lo */
                    Py_ssize_t mid = a + (b - a) / 2;
                    if (occ->pos[mid] < lo)
                        a = mid + 1;
                    else
                        b = mid;
                }
                for (; a < occ->start[p + 1] && occ->pos[a] <= last; a++) {
                    if (grow((void **)&s->starts, &s->cstarts, nstarts + 1, sizeof(Py_ssize_t)) < 0)
                        return -1;
                    s->starts[nstarts++] = occ->pos[a];
                }
            }
        }
        nstarts = clean_starts(s->starts, nstarts, kind, data, boundary);
        for (j = 0; j < nstarts; j++) {
            Py_ssize_t at = s->starts[j];
            if (f != NULL && !follows(kind, data, at, e, f))
                continue;
            if (append_pair(out, at, hi) < 0)
                return -1;
        }
    }
    return 0;
}

/* near_occ(occ, anchors, prefix_ids, window, max_anchors, boundary): `near(view, anchors, prefixes,
 * window, max_anchors, boundary)` of the view occ was scanned from, with the prefixes given by their
 * needle index (None: no prefixes); every anchor must be a needle (KeyError otherwise).
 * near_occ(..., follow) with follow = (first, last, literals[, stop]): only the match starts `at`
 * (with prefixes) where one of the word runs number first .. last of view[at:hi] starts with one of
 * the literals (non-empty str, at most 64), and no stop character (ASCII, not \w) stands before it:
 * what a pattern whose every match has such a word there needs (`_signals._FOLLOWS`), so the
 * starts left out are those where it cannot match.
 * near_occ(..., follow, whole) with whole true: where `near` gives None (too many anchors), what it
 * gives for the one window [0, len(view)) (the caller then searches the whole view, as with None). */
static PyObject *
near_occ(PyObject *module, PyObject *args)
{
    PyObject *o, *anchors, *prefixes, *fa = NULL, *fp = NULL, *out = NULL, *result = NULL;
    PyObject *follow = Py_None;
    int whole = 0, boundary, rc;
    Py_ssize_t window, max_anchors, na, np = -1, k;
    Py_ssize_t *pid = NULL, *aid = NULL;
    follow_t fw, *f = NULL;
    scratch_t s = {NULL, 0, NULL, 0};
    Occ *occ;
    Needles *nd;

    if (!PyArg_ParseTuple(args, "O!OOnnp|Op:near_occ", &OccType, &o, &anchors, &prefixes, &window, &max_anchors,
                          &boundary, &follow, &whole))
        return NULL;
    if (window < 0 || max_anchors < 0) {
        PyErr_SetString(PyExc_ValueError, "_cscore: window and max_anchors must be >= 0");
        return NULL;
    }
    if (follow != Py_None) {
        if (follow_read(follow, &fw) < 0)
            return NULL;
        f = &fw;
    }
    occ = (Occ *)o;
    nd = occ->needles;
    fa = as_tuple(anchors, "anchors must be an iterable of str");
    if (fa == NULL)
        goto done;
    if (prefixes != Py_None) {
        fp = as_tuple(prefixes, "prefix_ids must be a sequence of int or None");
        if (fp == NULL)
            goto done;
        np = PyTuple_GET_SIZE(fp);
        pid = PyMem_Malloc((size_t)(np ? np : 1) * sizeof(Py_ssize_t));
        if (pid == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        for (k = 0; k < np; k++) {
            pid[k] = PyLong_AsSsize_t(PyTuple_GET_ITEM(fp, k));
            if (pid[k] == -1 && PyErr_Occurred())
                goto done;
            if (pid[k] < 0 || pid[k] >= nd->n) {
                PyErr_SetString(PyExc_ValueError, "_cscore: a prefix id out of range");
                goto done;
            }
        }
    }
    na = PyTuple_GET_SIZE(fa);
    aid = PyMem_Malloc((size_t)(na ? na : 1) * sizeof(Py_ssize_t));
    if (aid == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (k = 0; k < na; k++) {
        PyObject *a = PyTuple_GET_ITEM(fa, k), *idx;
        if (!PyUnicode_Check(a)) {
            PyErr_SetString(PyExc_TypeError, "_cscore: anchors are str");
            goto done;
        }
        idx = PyDict_GetItemWithError(nd->ids, a);
        if (idx == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_KeyError, "_cscore: an anchor that is not a needle");
            goto done;
        }
        aid[k] = PyLong_AsSsize_t(idx);
    }
    out = PyList_New(0);
    if (out == NULL)
        goto done;
    rc = occ_starts(occ, aid, na, pid, np, boundary, f, window, max_anchors, whole, &s, out);
    if (rc < 0)
        goto done;
    if (rc == 1) {
        Py_INCREF(Py_None);
        result = Py_None;
        goto done;
    }
    result = out;
    out = NULL;

done:
    Py_XDECREF(fa);
    Py_XDECREF(fp);
    Py_XDECREF(out);
    PyMem_Free(s.spans);
    PyMem_Free(s.starts);
    PyMem_Free(pid);
    PyMem_Free(aid);
    if (f != NULL)
        PyMem_Free(f->buf);
    return result;
}

/* -- Plan: `near_occ` of every signal pattern at once ---------------------------------------- */

typedef struct {
    PyObject_HEAD
    Needles *needles;         /* (a reference) */
    Py_ssize_t n, window, max_anchors;
    Py_ssize_t *astart;       /* n + 1: pattern k's anchor ids are aids[astart[k] .. astart[k + 1]) */
    Py_ssize_t *aids;
    Py_ssize_t *pstart;       /* n + 1: its prefix ids, likewise (pfx[k] 0: no prefixes) */
    Py_ssize_t *pids;
    char *pfx;
    char *boundary;
    follow_t **follow;        /* n: NULL where none */
} Plan;

static PyTypeObject PlanType;

static void
Plan_dealloc(Plan *self)
{
    Py_ssize_t k;
    if (self->follow != NULL) {
        for (k = 0; k < self->n; k++) {
            if (self->follow[k] != NULL) {
                PyMem_Free(self->follow[k]->buf);
                PyMem_Free(self->follow[k]);
            }
        }
    }
    Py_XDECREF(self->needles);
    PyMem_Free(self->astart);
    PyMem_Free(self->aids);
    PyMem_Free(self->pstart);
    PyMem_Free(self->pids);
    PyMem_Free(self->pfx);
    PyMem_Free(self->boundary);
    PyMem_Free(self->follow);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* the needle index of str s (KeyError: not a needle); -1 with an exception set */
static Py_ssize_t
needle_id(const Needles *nd, PyObject *s)
{
    PyObject *idx;
    if (!PyUnicode_Check(s)) {
        PyErr_SetString(PyExc_TypeError, "_cscore: anchors are str");
        return -1;
    }
    idx = PyDict_GetItemWithError(nd->ids, s);
    if (idx == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_KeyError, "_cscore: an anchor that is not a needle");
        return -1;
    }
    return PyLong_AsSsize_t(idx);
}

/* Plan(needles, specs, window, max_anchors), specs [(anchors, prefix_ids or None, boundary, follow
 * or None), ...]: each pattern's `near_occ` arguments, read once */
static PyObject *
Plan_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"needles", "specs", "window", "max_anchors", NULL};
    PyObject *nobj, *seq, *specs = NULL;
    Plan *self;
    Py_ssize_t k, j, na = 0, np = 0, window, max_anchors;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!Onn:Plan", kwlist, &NeedlesType, &nobj, &seq, &window,
                                     &max_anchors))
        return NULL;
    if (window < 0 || max_anchors < 0) {
        PyErr_SetString(PyExc_ValueError, "_cscore: window and max_anchors must be >= 0");
        return NULL;
    }
    specs = as_tuple(seq, "specs must be a sequence of (anchors, prefix_ids, boundary, follow)");
    if (specs == NULL)
        return NULL;
    self = (Plan *)type->tp_alloc(type, 0);
    if (self == NULL) {
        Py_DECREF(specs);
        return NULL;
    }
    Py_INCREF(nobj);
    self->needles = (Needles *)nobj;
    self->n = PyTuple_GET_SIZE(specs);
    self->window = window;
    self->max_anchors = max_anchors;
    self->astart = PyMem_Calloc((size_t)self->n + 1, sizeof(Py_ssize_t));
    self->pstart = PyMem_Calloc((size_t)self->n + 1, sizeof(Py_ssize_t));
    self->pfx = PyMem_Calloc((size_t)self->n + 1, 1);
    self->boundary = PyMem_Calloc((size_t)self->n + 1, 1);
    self->follow = PyMem_Calloc((size_t)self->n + 1, sizeof(follow_t *));
    if (self->astart == NULL || self->pstart == NULL || self->pfx == NULL || self->boundary == NULL ||
        self->follow == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    /* two passes: the sizes, then the ids */
    for (k = 0; k < self->n; k++) {
        PyObject *spec = PyTuple_GET_ITEM(specs, k), *a, *p, *b, *f;
        if (!PyTuple_Check(spec) || PyTuple_GET_SIZE(spec) != 4) {
            PyErr_SetString(PyExc_TypeError, "_cscore: a spec is (anchors, prefix_ids, boundary, follow)");
            goto fail;
        }
        a = PyTuple_GET_ITEM(spec, 0);
        p = PyTuple_GET_ITEM(spec, 1);
        b = PyTuple_GET_ITEM(spec, 2);
        f = PyTuple_GET_ITEM(spec, 3);
        if (!PyTuple_Check(a) || (p != Py_None && !PyTuple_Check(p))) {
            PyErr_SetString(PyExc_TypeError, "_cscore: a spec's anchors and prefix ids are tuples");
            goto fail;
        }
        na += PyTuple_GET_SIZE(a);
        np += p == Py_None ? 0 : PyTuple_GET_SIZE(p);
        self->pfx[k] = p != Py_None;
        self->boundary[k] = (char)PyObject_IsTrue(b);
        if (self->boundary[k] < 0)
            goto fail;
        if (f != Py_None) {
            self->follow[k] = PyMem_Malloc(sizeof(follow_t));
            if (self->follow[k] == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            if (follow_read(f, self->follow[k]) < 0) {
                PyMem_Free(self->follow[k]);
                self->follow[k] = NULL;
                goto fail;
            }
        }
    }
    self->aids = PyMem_Malloc((size_t)(na ? na : 1) * sizeof(Py_ssize_t));
    self->pids = PyMem_Malloc((size_t)(np ? np : 1) * sizeof(Py_ssize_t));
    if (self->aids == NULL || self->pids == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    na = np = 0;
    for (k = 0; k < self->n; k++) {
        PyObject *spec = PyTuple_GET_ITEM(specs, k), *a = PyTuple_GET_ITEM(spec, 0), *p = PyTuple_GET_ITEM(spec, 1);
        self->astart[k] = na;
        self->pstart[k] = np;
        for (j = 0; j < PyTuple_GET_SIZE(a); j++) {
            Py_ssize_t id = needle_id(self->needles, PyTuple_GET_ITEM(a, j));
            if (id < 0)
                goto fail;
            self->aids[na++] = id;
        }
        if (p == Py_None)
            continue;
        for (j = 0; j < PyTuple_GET_SIZE(p); j++) {
            Py_ssize_t id = PyLong_AsSsize_t(PyTuple_GET_ITEM(p, j));
            if (id == -1 && PyErr_Occurred())
                goto fail;
            if (id < 0 || id >= self->needles->n) {
                PyErr_SetString(PyExc_ValueError, "_cscore: a prefix id out of range");
                goto fail;
            }
            self->pids[np++] = id;
        }
    }
    self->astart[self->n] = na;
    self->pstart[self->n] = np;
    Py_DECREF(specs);
    return (PyObject *)self;
fail:
    Py_DECREF(specs);
    Py_DECREF(self);
    return NULL;
}

/* plan.starts(occ, present) -> [(k, [(at or lo, hi), ...]), ...]: for each pattern k, in order, with
 * an anchor among present (str, needles) and somewhere to try, what near_occ(occ, its anchors in
 * present, its prefix ids, window, max_anchors, its boundary, its follow, True) gives */
static PyObject *
Plan_starts(Plan *self, PyObject *args)
{
    PyObject *o, *present, *it = NULL, *item, *out = NULL, *result = NULL, *found = NULL;
    Occ *occ;
    unsigned char *mask = NULL;
    Py_ssize_t *aid = NULL, k, j, na;
    scratch_t s = {NULL, 0, NULL, 0};
    if (!PyArg_ParseTuple(args, "O!O:starts", &OccType, &o, &present))
        return NULL;
    occ = (Occ *)o;
    if (occ->needles != self->needles) {
        PyErr_SetString(PyExc_ValueError, "_cscore: an Occ of other needles");
        return NULL;
    }
    mask = PyMem_Calloc((size_t)self->needles->n + 1, 1);
    aid = PyMem_Malloc((size_t)(self->astart[self->n] ? self->astart[self->n] : 1) * sizeof(Py_ssize_t));
    if (mask == NULL || aid == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    it = PyObject_GetIter(present);
    if (it == NULL)
        goto done;
    while ((item = PyIter_Next(it)) != NULL) {
        Py_ssize_t id = needle_id(self->needles, item);
        Py_DECREF(item);
        if (id < 0)
            goto done;
        mask[id] = 1;
    }
    if (PyErr_Occurred())
        goto done;
    out = PyList_New(0);
    if (out == NULL)
        goto done;
    for (k = 0; k < self->n; k++) {
        int rc;
        na = 0;
        for (j = self->astart[k]; j < self->astart[k + 1]; j++) {
            if (mask[self->aids[j]])
                aid[na++] = self->aids[j];
        }
        if (na == 0)
            continue;
        found = PyList_New(0);
        if (found == NULL)
            goto done;
        rc = occ_starts(occ, aid, na, self->pids + self->pstart[k],
                        self->pfx[k] ? self->pstart[k + 1] - self->pstart[k] : -1, self->boundary[k],
                        self->follow[k], self->window, self->max_anchors, 1, &s, found);
        if (rc < 0)
            goto done;
        if (PyList_GET_SIZE(found) > 0) {
            PyObject *pair = Py_BuildValue("(nO)", k, found);
            if (pair == NULL || PyList_Append(out, pair) < 0) {
                Py_XDECREF(pair);
                goto done;
            }
            Py_DECREF(pair);
        }
        Py_CLEAR(found);
    }
    result = out;
    out = NULL;
done:
    Py_XDECREF(it);
    Py_XDECREF(found);
    Py_XDECREF(out);
    PyMem_Free(mask);
    PyMem_Free(aid);
    PyMem_Free(s.spans);
    PyMem_Free(s.starts);
    return result;
}

static PyMethodDef Plan_methods[] = {
    {"starts", (PyCFunction)Plan_starts, METH_VARARGS,
     "starts(occ, present) -> [(k, near_occ(occ, pattern k's anchors in present, ..., True)), ...] where not empty"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject PlanType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "guardwrap.injection._cscore.Plan",
    .tp_basicsize = sizeof(Plan),
    .tp_dealloc = (destructor)Plan_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Plan(needles, specs, window, max_anchors): every signal pattern's near_occ arguments, "
              "read once; starts(occ, present) answers for all of them in one call.",
    .tp_new = Plan_new,
    .tp_methods = Plan_methods,
};

/* letter_digit(view, digits, between): whether an ASCII letter sits next to one of `digits` (ASCII),
 * either side, or with `between` whether one of them sits between two ASCII letters: what
 * `"a1" in cls or "1a" in cls` and `"a1a" in cls` tell of cls = view.translate(letters -> "a",
 * digits -> "1", other ASCII -> " ") in `_signals` and `_features` */
/* classes for `letter_digit`: 1 an ASCII letter, 2 one of the digits, 0 anything else. The
 * condition always involves one of the digits, so the scan looks for those (eight bytes at a time
 * in a one-byte string, where most text has few digits) and looks at each one's neighbours: a
 * letter on either side, or with `between` letters on both sides. */
#define ONES 0x0101010101010101ULL
/* bytes b of x with 0x2f < b < 0x3a (ASCII digits), bytes >= 0x80 excluded (Bit Twiddling Hacks) */
#define HAS_DIGIT(x) ((((ONES * (127 + 0x3a)) - ((x) & (ONES * 127))) & ~(x) \
                       & (((x) & (ONES * 127)) + (ONES * (127 - 0x2f)))) & (ONES * 128))

static ALWAYS_INLINE int
digit_fits(int kind, const void *data, Py_ssize_t n, Py_ssize_t k, const unsigned char *cls, int between)
{
    Py_UCS4 a = k > 0 ? PyUnicode_READ(kind, data, k - 1) : 0;
    Py_UCS4 b = k + 1 < n ? PyUnicode_READ(kind, data, k + 1) : 0;
    int la = a < 128 && cls[a] == 1, lb = b < 128 && cls[b] == 1;
    return between ? (la && lb) : (la || lb);
}

static ALWAYS_INLINE int
letter_digit_scan(int kind, const void *data, Py_ssize_t n, const unsigned char *cls, int between)
{
    Py_ssize_t k = 0;
    while (k < n) {
        Py_UCS4 ch;
        if (kind == PyUnicode_1BYTE_KIND && k + 8 <= n) {
            uint64_t x;
            memcpy(&x, (const unsigned char *)data + k, 8);
            if (!HAS_DIGIT(x)) {
                k += 8;
                continue;
            }
        }
        ch = PyUnicode_READ(kind, data, k);
        if (ch < 128 && cls[ch] == 2 && digit_fits(kind, data, n, k, cls, between))
            return 1;
        k++;
    }
    return 0;
}

static PyObject *
letter_digit(PyObject *module, PyObject *args)
{
    PyObject *view, *digits;
    int between, kind, dk, found;
    const void *data, *ddata;
    Py_ssize_t n, k, nd;
    unsigned char cls[128];
    if (!PyArg_ParseTuple(args, "UUp:letter_digit", &view, &digits, &between))
        return NULL;
    if (STR_READY(view) < 0 || STR_READY(digits) < 0)
        return NULL;
    memset(cls, 0, sizeof cls);
    for (k = 'a'; k <= 'z'; k++)
        cls[k] = cls[k - 'a' + 'A'] = 1;
    dk = PyUnicode_KIND(digits);
    ddata = PyUnicode_DATA(digits);
    nd = PyUnicode_GET_LENGTH(digits);
    for (k = 0; k < nd; k++) {
        Py_UCS4 c = PyUnicode_READ(dk, ddata, k);
        if (c < '0' || c > '9') {
            PyErr_SetString(PyExc_ValueError, "_cscore: digits must be ASCII digits");
            return NULL;
        }
        cls[c] = 2;
    }
    kind = PyUnicode_KIND(view);
    data = PyUnicode_DATA(view);
    n = PyUnicode_GET_LENGTH(view);
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        found = letter_digit_scan(PyUnicode_1BYTE_KIND, data, n, cls, between);
        break;
    case PyUnicode_2BYTE_KIND:
        found = letter_digit_scan(PyUnicode_2BYTE_KIND, data, n, cls, between);
        break;
    default:
        found = letter_digit_scan(PyUnicode_4BYTE_KIND, data, n, cls, between);
        break;
    }
    return PyBool_FromLong(found);
}

/* -- chunk bounds (reference: `_features.chunk_bounds`) ----------------------------------------- */

/* chunk_bounds(view, chunk, hard) -> (bounds, cut): the view cut into chunks of `chunk`
 * characters at the first space or line break from there, at most `hard` characters after the
 * chunk's start, a tail shorter than chunk / 4 joined to the chunk before: [(start, end), ...]
 * covering the view; `cut` tells whether a chunk but the last ends where the view has neither a
 * space nor a line break (a word cut in two: `_canon.words_of` then splits the view anew) */
static PyObject *
chunk_bounds(PyObject *module, PyObject *args)
{
    PyObject *view, *out, *t = NULL, *res;
    Py_ssize_t chunk, hard, n, pos = 0;
    int cut_in_word = 0;
    int kind;
    const void *data;
    if (!PyArg_ParseTuple(args, "Unn:chunk_bounds", &view, &chunk, &hard))
        return NULL;
    if (chunk <= 0 || hard < chunk) {
        PyErr_SetString(PyExc_ValueError, "_cscore: chunk must be > 0 and hard >= chunk");
        return NULL;
    }
    if (STR_READY(view) < 0)
        return NULL;
    kind = PyUnicode_KIND(view);
    data = PyUnicode_DATA(view);
    n = PyUnicode_GET_LENGTH(view);
    out = PyList_New(0);
    if (out == NULL)
        return NULL;
    if (n <= chunk) {
        t = pair_nn(0, n);
        if (t == NULL || PyList_Append(out, t) < 0)
            goto fail;
        Py_DECREF(t);
        goto ok;
    }
    while (pos < n) {
        Py_ssize_t end = pos + chunk, cut, lim, i;
        if (end >= n) {
            t = pair_nn(pos, n);
            if (t == NULL || PyList_Append(out, t) < 0)
                goto fail;
            Py_DECREF(t);
            break;
        }
        cut = pos + hard;
        lim = cut < n ? cut : n;
        for (i = end; i < lim; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (c == ' ' || c == '\n') {
                cut = i;
                break;
            }
        }
        if (n - cut < chunk / 4)  /* no tiny tail chunk */
            cut = n;
        if (cut < n) {
            Py_UCS4 c = PyUnicode_READ(kind, data, cut);
            if (c != ' ' && c != '\n')
                cut_in_word = 1;
        }
        t = pair_nn(pos, cut);
        if (t == NULL || PyList_Append(out, t) < 0)
            goto fail;
        Py_DECREF(t);
        pos = cut;
    }
ok:
    res = Py_BuildValue("(NO)", out, cut_in_word ? Py_True : Py_False);
    return res;
fail:
    Py_XDECREF(t);
    Py_DECREF(out);
    return NULL;
}

/* -- round 10 (h-sfx13): the form of a chunk (reference: `_features.token_form`, `chunk_form`) -- */

/* ASCII punctuation classes: bit 1 punctuation, 2 may lead a word ("'(*_[-{<), 4 may end one
 * (.,;:!?"')*_]}>), 8 soft inside a word (-'/.&), 16 rare in prose and code statements (\$%^~|@#<>=`) */
static unsigned char form_cls[128];
/* round 17: the markup characters of `_features.unpaired_markup` (`FORM_MARKUP`) */
static unsigned char form_markup[128];

static void
init_form_cls(void)
{
    const char *p;
    int c;
    for (p = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"; *p; p++)
        form_cls[(unsigned char)*p] |= 1;
    for (p = "\"'(*_[-{<"; *p; p++)
        form_cls[(unsigned char)*p] |= 2;
    for (p = ".,;:!?\"')*_]}>"; *p; p++)
        form_cls[(unsigned char)*p] |= 4;
    for (p = "-'/.&"; *p; p++)
        form_cls[(unsigned char)*p] |= 8;
    for (p = "\\$%^~|@#<>=`"; *p; p++)
        form_cls[(unsigned char)*p] |= 16;
    for (p = "_.,:;/-='\"`()[]{}<>@#$!&?"; *p; p++)
        form_cls[(unsigned char)*p] |= 128;
    for (c = 'a'; c <= 'z'; c++)
        form_cls[c] |= 32, form_cls[c - 'a' + 'A'] |= 32;
    for (c = 0; c < 128; c++)
        if (Py_UNICODE_ISSPACE(c))
            form_cls[c] |= 64;
    for (p = "\"[]{}()<>\\$=;|^~`*#@%+"; *p; p++)
        form_markup[(unsigned char)*p] = 1;
}

/* str.isalpha / str.isspace of one character, with the ASCII ones from the table */
#define F_ALPHA(c) ((c) < 128 ? (form_cls[(c)] & 32) != 0 : Py_UNICODE_ISALPHA(c))
#define F_SPACE(c) ((c) < 128 ? (form_cls[(c)] & 64) != 0 : Py_UNICODE_ISSPACE(c))

#define FCLS(c) ((c) < 128 ? form_cls[(c)] : 0)

static int read_pair(PyObject *item, const char *what, PyObject **a, PyObject **b);

/* round 11b (sfx14): `_features._code_like` of view[s:e] with core [i, j) */
#define F_ALNUM(c) ((c) < 128 ? ((form_cls[(c)] & 32) || ((c) >= '0' && (c) <= '9')) : Py_UNICODE_ISALNUM(c))

static int
form_closing_end(int kind, const void *data, Py_ssize_t k, Py_ssize_t e)
{
    for (; k < e; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        if (!(c == ')' || c == ']' || c == '}' || (c < 128 && (form_cls[c] & 4))))
            return 0;
    }
    return 1;
}

static int
form_code_like(int kind, const void *data, Py_ssize_t s, Py_ssize_t e, Py_ssize_t i, Py_ssize_t j)
{
    Py_UCS4 a = PyUnicode_READ(kind, data, i), z = PyUnicode_READ(kind, data, j - 1), c;
    Py_ssize_t k, stack[64];
    int depth = 0, q, calls = 0;
    if (a == '`' && z == '`' && j - i >= 3)  /* inline code, whatever it holds */
        return 1;
    if (j - i >= 3 && z == '+' && PyUnicode_READ(kind, data, j - 2) == '+') {  /* c++, i++ */
        for (k = i; k < j - 2; k++)
            if (!F_ALNUM(PyUnicode_READ(kind, data, k)))
                break;
        if (k == j - 2)
            return 1;
    }
    if (!(F_ALNUM(a) || (a < 128 && strchr("_.\"'`/$@#!", (int)a) && a != 0)))
        return 0;
    if (!(F_ALNUM(z) || (z < 128 && strchr(")]}'\"`/=_(", (int)z) && z != 0)))
        return 0;
    for (k = i; k < j; k++) {
        c = PyUnicode_READ(kind, data, k);
        if (c < 128 && (form_cls[c] & 1)) {
            if (!(form_cls[c] & 128) && c != '\\')
                return 0;
            if (c == '\\') {
                Py_UCS4 b, d;
                if (k == s || k + 1 >= e)
                    return 0;
                b = PyUnicode_READ(kind, data, k - 1);
                d = PyUnicode_READ(kind, data, k + 1);
                if (!((F_ALNUM(b) || b == ':') && F_ALNUM(d)))
                    return 0;
            }
        }
    }
    for (k = s; k < e; k++) {
        c = PyUnicode_READ(kind, data, k);
        if (c == '(' || c == '[' || c == '{') {
            if (depth == 64)
                return 0;  /* deeper than any code token: not code-like (the reference agrees below) */
            stack[depth++] = k;
        }
        else if (c == ')' || c == ']' || c == '}') {
            Py_UCS4 o = depth ? PyUnicode_READ(kind, data, stack[depth - 1]) : 0;
            if (depth && ((o == '(' && c == ')') || (o == '[' && c == ']') || (o == '{' && c == '}')))
                depth--;
            else if (!(form_closing_end(kind, data, k, e)
                       || (c == ']' && k + 2 < e && PyUnicode_READ(kind, data, k + 1) == '(')))
                return 0;
        }
    }
    for (q = 0; q < depth; q++) {
        k = stack[q];
        if (k < i)
            continue;
        if (PyUnicode_READ(kind, data, k) == '(' && k > s && !calls) {
            Py_UCS4 b = PyUnicode_READ(kind, data, k - 1);
            if (F_ALNUM(b) || b == '_') {
                calls = 1;
                continue;
            }
        }
        return 0;
    }
    return 1;
}

/* 0 neither, 1 a plain word, 2 an odd token: `_features.token_form` of view[s:e] */
static ALWAYS_INLINE int
form_token(int kind, const void *data, Py_ssize_t s, Py_ssize_t e)
{
    Py_ssize_t i = s, j = e, k;
    Py_ssize_t letters = 0, digits = 0, other = 0, n_p = 0;
    uint64_t all_lo = 0, all_hi = 0;
    int soft_only = 1, glued = 0, prev = 0, rare = 0, n_kinds = 0, run = 0, longest = 0;
    Py_UCS4 c;
    while (i < j && i - s < 2 && (FCLS(PyUnicode_READ(kind, data, i)) & 2))
        i++;
    while (j > i && e - j < 4 && (FCLS(PyUnicode_READ(kind, data, j - 1)) & 4))
        j--;
    if (i == j)
        return 0;
    for (k = i; k < j; k++) {
        int p;
        c = PyUnicode_READ(kind, data, k);
        p = (FCLS(c) & 1) != 0;
        run++;
        if (p) {
            n_p++;
            if (!(FCLS(c) & 8))
                soft_only = 0;
            if (prev)
                glued = 1;
            run = 0;
        }
        else if (c >= '0' && c <= '9')
            digits++, run = 0;
        else if (F_ALPHA(c)) {
            letters++;
            if (run > longest)
                longest = run;
        }
        else
            other++, run = 0;
        prev = p;
    }
    if (letters) {
        if (n_p == 0)
            return digits == 0 && other == 0 ? 1 : 0;
        if (soft_only && !(FCLS(PyUnicode_READ(kind, data, i)) & 1)
            && !(FCLS(PyUnicode_READ(kind, data, j - 1)) & 1) && !glued)
            return 0;
        /* `_features.FORM_FRAGMENT`: letters in runs of one or two are an expression */
        return longest < 3 || form_code_like(kind, data, s, e, i, j) ? 0 : 2;
    }
    if (digits || other)
        return 0;
    /* punctuation alone (the whole token is): two kinds or more, one of them rare */
    for (k = s; k < e; k++) {
        c = PyUnicode_READ(kind, data, k);
        if (c >= 128)
            return 0;  /* cannot happen: the core holds no other character and the ends are ASCII */
        if (c < 64 ? !(all_lo & (1ULL << c)) : !(all_hi & (1ULL << (c - 64)))) {
            n_kinds++;
            if (c < 64)
                all_lo |= 1ULL << c;
            else
                all_hi |= 1ULL << (c - 64);
        }
        if (form_cls[c] & 16)
            rare = 1;
    }
    if (rare && n_kinds >= 2 && (e - s == 2 || e - s == 3)) {  /* `_features._OPERATORS`: code, not odd */
        static const char *ops[] = {"!=", "==", "=>", "->", "<=", ">=", "<-", "::", "||", "&&", "<<", ">>", "|>",
                                    "=~", "//", "===", "!==", NULL};
        const char **op;
        for (op = ops; *op; op++) {
            Py_ssize_t q, n = (Py_ssize_t)strlen(*op);
            if (n != e - s)
                continue;
            for (q = 0; q < n; q++)
                if ((Py_UCS4)(unsigned char)(*op)[q] != PyUnicode_READ(kind, data, s + q))
                    break;
            if (q == n)
                return 0;
        }
    }
    return rare && n_kinds >= 2 ? 2 : 0;
}

/* the cue words of the form features (`_features.FORM_CUES`, set once by `form_cues`): an open
 * addressing table of FNV-1a hashes of their code points, each with the word (to compare) and its
 * bits */
#define CUE_SLOTS 1024
typedef struct {
    uint64_t hash;
    PyObject *word;  /* NULL: empty slot */
    int bits;
} CueSlot;
static CueSlot cue_table[CUE_SLOTS];
static Py_ssize_t cue_maxlen = 0;

static uint64_t
cue_hash(int kind, const void *data, Py_ssize_t s, Py_ssize_t e)
{
    uint64_t h = FNV_OFFSET;
    Py_ssize_t k;
    for (k = s; k < e; k++) {
        h ^= (uint64_t)PyUnicode_READ(kind, data, k);
        h *= FNV_PRIME;
    }
    return h;
}

/* form_cues({word: bits}) -> None: the table `form_lines` reads */
static PyObject *
form_cues(PyObject *module, PyObject *dict)
{
    PyObject *key, *value;
    Py_ssize_t pos = 0, k;
    if (!PyDict_Check(dict)) {
        PyErr_SetString(PyExc_TypeError, "_cscore: form_cues takes a dict of str to int");
        return NULL;
    }
    if (PyDict_Size(dict) > CUE_SLOTS / 2) {
        PyErr_SetString(PyExc_ValueError, "_cscore: too many cue words");
        return NULL;
    }
    for (k = 0; k < CUE_SLOTS; k++) {
        Py_CLEAR(cue_table[k].word);
        cue_table[k].hash = 0;
        cue_table[k].bits = 0;
    }
    cue_maxlen = 0;
    while (PyDict_Next(dict, &pos, &key, &value)) {
        uint64_t h;
        Py_ssize_t n, slot;
        long bits;
        if (!PyUnicode_Check(key) || STR_READY(key) < 0 || !PyLong_Check(value)) {
            PyErr_SetString(PyExc_TypeError, "_cscore: form_cues takes a dict of str to int");
            return NULL;
        }
        bits = PyLong_AsLong(value);
        if (bits == -1 && PyErr_Occurred())
            return NULL;
        n = PyUnicode_GET_LENGTH(key);
        h = cue_hash(PyUnicode_KIND(key), PyUnicode_DATA(key), 0, n);
        slot = (Py_ssize_t)(h & (CUE_SLOTS - 1));
        while (cue_table[slot].word != NULL)
            slot = (slot + 1) & (CUE_SLOTS - 1);
        Py_INCREF(key);
        cue_table[slot].word = key;
        cue_table[slot].hash = h;
        cue_table[slot].bits = (int)bits;
        if (n > cue_maxlen)
            cue_maxlen = n;
    }
    Py_RETURN_NONE;
}

/* the cue bits of view[s:e] (0: no cue word) */
static int
cue_bits(int kind, const void *data, Py_ssize_t s, Py_ssize_t e)
{
    uint64_t h;
    Py_ssize_t slot, n = e - s;
    if (n > cue_maxlen)
        return 0;
    h = cue_hash(kind, data, s, e);
    slot = (Py_ssize_t)(h & (CUE_SLOTS - 1));
    while (cue_table[slot].word != NULL) {
        PyObject *w = cue_table[slot].word;
        if (cue_table[slot].hash == h && PyUnicode_GET_LENGTH(w) == n) {
            int wk = PyUnicode_KIND(w);
            const void *wd = PyUnicode_DATA(w);
            Py_ssize_t k;
            for (k = 0; k < n; k++)
                if (PyUnicode_READ(wk, wd, k) != PyUnicode_READ(kind, data, s + k))
                    break;
            if (k == n)
                return cue_table[slot].bits;
        }
        slot = (slot + 1) & (CUE_SLOTS - 1);
    }
    return 0;
}

/* the OR of the cue bits of the letter runs of view[s:e] (a line) */
static int
line_cues(int kind, const void *data, Py_ssize_t s, Py_ssize_t e)
{
    int bits = 0;
    Py_ssize_t k = s;
    while (k < e) {
        Py_ssize_t r;
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        if (!F_ALPHA(c)) {
            k++;
            continue;
        }
        r = k;
        while (k < e) {
            c = PyUnicode_READ(kind, data, k);
            if (!F_ALPHA(c))
                break;
            k++;
        }
        bits |= cue_bits(kind, data, r, k);
    }
    return bits;
}

static int
append_n(PyObject *list, Py_ssize_t v)
{
    PyObject *o = PyLong_FromSsize_t(v);
    int r;
    if (o == NULL)
        return -1;
    r = PyList_Append(list, o);
    Py_DECREF(o);
    return r;
}

/* round 11b (sfx14): `_features._closes_span` of view[t:end] */
static ALWAYS_INLINE int
form_closes_span(int kind, const void *data, Py_ssize_t t, Py_ssize_t end)
{
    Py_ssize_t j = end;
    while (j > t && end - j < 4) {
        Py_UCS4 c = PyUnicode_READ(kind, data, j - 1);
        if (!(c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')'))
            break;
        j--;
    }
    return j > t && PyUnicode_READ(kind, data, j - 1) == '`';
}

/* the tokens after view[pos] on its line (before e) up to the first that closes an inline code
 * span, if one of the next FORM_SPAN does (`_features._code_spans`): their count, else 0 */
#define FORM_SPAN 4
static Py_ssize_t
form_span_ahead(int kind, const void *data, Py_ssize_t pos, Py_ssize_t e)
{
    Py_ssize_t k;
    for (k = 1; k <= FORM_SPAN; k++) {
        Py_ssize_t t;
        for (;;) {
            Py_UCS4 c;
            if (pos >= e)
                return 0;
            c = PyUnicode_READ(kind, data, pos);
            if (c == '\n')
                return 0;
            if (!F_SPACE(c))
                break;
            pos++;
        }
        t = pos;
        while (pos < e && !F_SPACE(PyUnicode_READ(kind, data, pos)))
            pos++;
        if (form_closes_span(kind, data, t, pos))
            return k;
    }
    return 0;
}

/* round 17: `_features.unpaired_markup`'s constants */
#define FORM_MARKUP_MIN 6
#define FORM_UNPAIRED_MIN 2
#define FORM_STRAY_MIN 1
#define FORM_UNPAIRED_ODD 2

/* `_features._aside` of view[s:e]: an emoticon or a list marker (its one bracket pairs with nothing) */
static ALWAYS_INLINE int
form_aside(int kind, const void *data, Py_ssize_t s, Py_ssize_t e)
{
    Py_ssize_t k, at = -1;
    int face = 1, strong = 0, alnum = 1;
    if (e - s < 2 || e - s > 3)
        return 0;
    for (k = s; k < e; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        if (c == '{' || c == '}')
            return 0;
        if (c == '(' || c == ')' || c == '[' || c == ']') {
            if (at >= 0)
                return 0;
            at = k;
        }
    }
    if (at < 0)
        return 0;
    for (k = s; k < e; k++) {
        Py_UCS4 c;
        if (k == at)
            continue;
        c = PyUnicode_READ(kind, data, k);
        if (c == ':' || c == ';' || c == '=')
            strong = 1;
        else if (c != '-' && c != '\'')
            face = 0;
        if (!F_ALNUM(c))
            alnum = 0;
    }
    if (face && strong)
        return 1;
    return at == e - 1 && PyUnicode_READ(kind, data, at) == ')' && alnum;
}

/* `_features.unpaired_markup`'s count of one token view[s:e]: its markup characters added to
 * *marks, its brackets to the per-kind depths (a closer with none of its kind open to *bad) */
static ALWAYS_INLINE void
form_markup_count(int kind, const void *data, Py_ssize_t s, Py_ssize_t e, Py_ssize_t *marks,
                  Py_ssize_t *bad, Py_ssize_t depth[3])
{
    Py_ssize_t k;
    if (form_aside(kind, data, s, e))
        return;
    for (k = s; k < e; k++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, k);
        int q;
        if (c >= 128 || !form_markup[c])
            continue;
        (*marks)++;
        switch (c) {
        case '(': q = 0; break;
        case ')': q = 1; break;
        case '[': q = 2; break;
        case ']': q = 3; break;
        case '{': q = 4; break;
        case '}': q = 5; break;
        default: q = -1;
        }
        if (q < 0)
            continue;
        if (q % 2 == 0)
            depth[q / 2]++;
        else if (depth[q / 2])
            depth[q / 2]--;
        else
            (*bad)++;
    }
}

/* the prose lines of view[a:e] that hold odd tokens, appended to `lines` (5 ints each); specialised
 * per string kind (the callers pass a constant). -1 on error */
static ALWAYS_INLINE int
form_chunk(int kind, const void *data, Py_ssize_t a, Py_ssize_t e, Py_ssize_t prose, PyObject *lines)
{
    Py_ssize_t pos = a, l_start = a, l_plain = 0, l_odd = 0, l_run = 0, cur = 0, span_left = 0;
    Py_ssize_t l_marks = 0, l_bad = 0, l_depth[3] = {0, 0, 0};
    for (;;) {
        Py_UCS4 c = pos < e ? PyUnicode_READ(kind, data, pos) : '\n';
        if (pos >= e || c == '\n') {  /* the line ends: kept if prose with odd tokens */
            if (l_marks >= FORM_MARKUP_MIN && l_bad >= FORM_STRAY_MIN
                && l_bad + l_depth[0] + l_depth[1] + l_depth[2] >= FORM_UNPAIRED_MIN)
                l_odd += FORM_UNPAIRED_ODD;  /* round 17: its markup does not pair up */
            if (l_odd && l_plain >= prose
                && (append_n(lines, l_start) < 0 || append_n(lines, pos) < 0
                    || append_n(lines, l_odd) < 0 || append_n(lines, l_run) < 0
                    || append_n(lines, line_cues(kind, data, l_start, pos)) < 0))
                return -1;
            l_plain = l_odd = l_run = cur = span_left = 0;
            l_marks = l_bad = l_depth[0] = l_depth[1] = l_depth[2] = 0;
            if (pos >= e)
                return 0;
            l_start = ++pos;
            continue;
        }
        if (F_SPACE(c)) {
            pos++;
            continue;
        }
        {
            /* a token: letters only make a plain word, no punctuation and not all letters
             * neither, and only a token with punctuation needs `form_token` */
            Py_ssize_t s = pos;
            int f, punct = 0, nonletter = 0;
            while (pos < e) {
                Py_UCS4 d = PyUnicode_READ(kind, data, pos);
                if (d < 128) {
                    unsigned char fc = form_cls[d];
                    if (fc & 64)
                        break;
                    if (fc & 1)
                        punct = 1;
                    else if (!(fc & 32))
                        nonletter = 1;
                }
                else if (Py_UNICODE_ISSPACE(d))
                    break;
                else if (!Py_UNICODE_ISALPHA(d))
                    nonletter = 1;
                pos++;
            }
            f = punct ? form_token(kind, data, s, pos) : nonletter ? 0 : 1;
            if (punct)  /* (markup is ASCII punctuation) */
                form_markup_count(kind, data, s, pos, &l_marks, &l_bad, l_depth);
            /* inline code spans (`_features._code_spans`): never odd */
            if (span_left) {
                span_left--;
                if (f == 2)
                    f = 0;
            }
            else if (PyUnicode_READ(kind, data, s) == '`') {
                if (pos - s >= 2 && form_closes_span(kind, data, s, pos)) {
                    if (f == 2)
                        f = 0;
                }
                else if ((span_left = form_span_ahead(kind, data, pos, e)) != 0 && f == 2)
                    f = 0;
            }
            if (f == 1)
                l_plain++;
            if (f == 2) {
                l_odd++;
                if (++cur > l_run)
                    l_run = cur;
            }
            else
                cur = 0;
        }
    }
}

/* form_lines(view, bounds, prose) -> per chunk [start, end, odd, run, cues, ...]:
 * `_features.form_lines` of every chunk (the prose lines holding odd tokens) */
static PyObject *
form_lines(PyObject *module, PyObject *args)
{
    PyObject *view, *bounds, *fb, *out, *lines = NULL;
    Py_ssize_t prose, nb, b, vlen;
    int kind, r;
    const void *data;
    if (!PyArg_ParseTuple(args, "UOn:form_lines", &view, &bounds, &prose))
        return NULL;
    if (STR_READY(view) < 0)
        return NULL;
    fb = PySequence_Fast(bounds, "_cscore: bounds must be a sequence");
    if (fb == NULL)
        return NULL;
    kind = PyUnicode_KIND(view);
    data = PyUnicode_DATA(view);
    vlen = PyUnicode_GET_LENGTH(view);
    nb = PySequence_Fast_GET_SIZE(fb);
    out = PyList_New(nb);
    if (out == NULL) {
        Py_DECREF(fb);
        return NULL;
    }
    for (b = 0; b < nb; b++) {
        PyObject *a_o, *e_o;
        Py_ssize_t a, e;
        if (read_pair(PySequence_Fast_GET_ITEM(fb, b), "bounds", &a_o, &e_o) < 0)
            goto fail;
        a = PyLong_AsSsize_t(a_o);
        e = PyLong_AsSsize_t(e_o);
        if ((a == -1 || e == -1) && PyErr_Occurred())
            goto fail;
        if (a < 0 || e > vlen || a > e) {
            PyErr_SetString(PyExc_ValueError, "_cscore: chunk bounds out of the view");
            goto fail;
        }
        lines = PyList_New(0);
        if (lines == NULL)
            goto fail;
        switch (kind) {
        case PyUnicode_1BYTE_KIND:
            r = form_chunk(PyUnicode_1BYTE_KIND, data, a, e, prose, lines);
            break;
        case PyUnicode_2BYTE_KIND:
            r = form_chunk(PyUnicode_2BYTE_KIND, data, a, e, prose, lines);
            break;
        default:
            r = form_chunk(PyUnicode_4BYTE_KIND, data, a, e, prose, lines);
            break;
        }
        if (r < 0)
            goto fail;
        PyList_SET_ITEM(out, b, lines);
        lines = NULL;
    }
    Py_DECREF(fb);
    return out;
fail:
    Py_XDECREF(lines);
    Py_DECREF(fb);
    Py_DECREF(out);
    return NULL;
}

/* -- window logits (reference: the loop of `LinearModel._windows`) ----------------------------- */

static int
read_pair(PyObject *item, const char *what, PyObject **a, PyObject **b)
{
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) {
        PyErr_Format(PyExc_TypeError, "_cscore: %s are 2-tuples", what);
        return -1;
    }
    *a = PyTuple_GET_ITEM(item, 0);
    *b = PyTuple_GET_ITEM(item, 1);
    return 0;
}

/* windows(sums, bounds, extra, bias, floor): for every window (chunks k and k + 1, or the one
 * chunk), (bias + (sum_k + sum_k+1) / sqrt(max(positions_k + positions_k+1, floor)) + (extra_k +
 * extra_k+1), min start, max end): the same float operations, in the same order, as the Python.
 * With best (PromptInjection's call path) only the first window of the highest logit, as
 * max(windows, key=itemgetter(0)), without a tuple per window.
 * With gap > 0 (the small windows, `LinearModel._small_best`), only the first window of the
 * highest logit u* (computed with a bias of 0.0), its logit replaced by
 * bias + ((u* - lam * s2) - mu * mean): s2 the highest u of the windows more than `gap` windows
 * away from it, 0.0 if none is higher, mean the exactly rounded sum of every u over their number. */
static PyObject *
windows(PyObject *module, PyObject *args)
{
    PyObject *sums, *bounds, *extra, *fs = NULL, *fb = NULL, *fe = NULL, *out = NULL, *result = NULL;
    double bias, *sv = NULL, *ev = NULL;
    Py_ssize_t floor_n, n, k, *pv = NULL, *lo = NULL, *hi = NULL, bk = -1, bs = 0, be = 0;
    double bias_saved, bz = 0.0, lam = 0.0, mu = 0.0, *uv = NULL;
    Py_ssize_t gap = 0;
    int best = 0, packed = 0;
    fsum_t *acc = NULL;
    if (!PyArg_ParseTuple(args, "OOOdn|pddn:windows", &sums, &bounds, &extra, &bias, &floor_n, &best, &lam, &mu,
                          &gap))
        return NULL;
    if (gap < 0 || (gap > 0 && !best)) {
        PyErr_SetString(PyExc_ValueError, "_cscore: gap must be >= 0, and > 0 only with best");
        return NULL;
    }
    bias_saved = bias;
    if (gap > 0)
        bias = 0.0;  /* (the contrast below adds the bias once, at the end) */
    if (PyBytes_Check(sums) && bounds == Py_None) {  /* `chunk_sums`' small chunks, as bytes */
        packed = 1;
        if (PyBytes_GET_SIZE(sums) % (Py_ssize_t)sizeof(small_rec) != 0) {
            PyErr_SetString(PyExc_ValueError, "_cscore: packed sums are small_rec records");
            goto done;
        }
        n = PyBytes_GET_SIZE(sums) / (Py_ssize_t)sizeof(small_rec);
        if (extra != Py_None && !PyDict_Check(extra)) {
            PyErr_SetString(PyExc_TypeError, "_cscore: with packed sums, extra is a dict {chunk: float} or None");
            goto done;
        }
    }
    else {
        fs = as_tuple(sums, "sums must be a sequence of (sum, positions)");
        if (fs == NULL)
            goto done;
        fb = as_tuple(bounds, "bounds must be a sequence of (start, end)");
        if (fb == NULL)
            goto done;
        fe = as_tuple(extra, "extra must be a sequence of floats");
        if (fe == NULL)
            goto done;
        n = PyTuple_GET_SIZE(fs);
    }
    if (n == 0 || (!packed && (PyTuple_GET_SIZE(fb) != n || PyTuple_GET_SIZE(fe) != n))) {
        PyErr_SetString(PyExc_ValueError, "_cscore: sums, bounds and extra must be as long, and not empty");
        goto done;
    }
    sv = PyMem_Malloc((size_t)n * sizeof(double));
    ev = PyMem_Malloc((size_t)n * sizeof(double));
    pv = PyMem_Malloc((size_t)n * sizeof(Py_ssize_t));
    lo = PyMem_Malloc((size_t)n * sizeof(Py_ssize_t));
    hi = PyMem_Malloc((size_t)n * sizeof(Py_ssize_t));
    if (gap > 0) {
        uv = PyMem_Malloc((size_t)n * sizeof(double));
        acc = PyMem_Malloc(sizeof(fsum_t));
    }
    if (!sv || !ev || !pv || !lo || !hi || (gap > 0 && (!uv || !acc))) {
        PyErr_NoMemory();
        goto done;
    }
    if (packed) {
        const small_rec *r = (const small_rec *)PyBytes_AS_STRING(sums);
        for (k = 0; k < n; k++) {
            if (r[k].positions < 0 || r[k].positions > PY_SSIZE_T_MAX / 4) {
                PyErr_SetString(PyExc_ValueError, "_cscore: positions out of range");
                goto done;
            }
            sv[k] = r[k].sum;
            pv[k] = (Py_ssize_t)r[k].positions;
            lo[k] = (Py_ssize_t)r[k].start;
            hi[k] = (Py_ssize_t)r[k].end;
            ev[k] = 0.0;
        }
        if (extra != Py_None) {
            PyObject *key, *val;
            Py_ssize_t it = 0;
            while (PyDict_Next(extra, &it, &key, &val)) {
                Py_ssize_t at = PyLong_AsSsize_t(key);
                double x;
                if (at == -1 && PyErr_Occurred())
                    goto done;
                if (at < 0 || at >= n) {
                    PyErr_SetString(PyExc_ValueError, "_cscore: an extra's chunk is out of range");
                    goto done;
                }
                x = PyFloat_AsDouble(val);
                if (x == -1.0 && PyErr_Occurred())
                    goto done;
                ev[at] = x;
            }
        }
    }
    for (k = 0; !packed && k < n; k++) {
        PyObject *a, *b;
        if (read_pair(PyTuple_GET_ITEM(fs, k), "sums", &a, &b) < 0)
            goto done;
        sv[k] = PyFloat_AsDouble(a);
        if (sv[k] == -1.0 && PyErr_Occurred())
            goto done;
        pv[k] = PyLong_AsSsize_t(b);
        if (pv[k] == -1 && PyErr_Occurred())
            goto done;
        if (pv[k] < 0 || pv[k] > PY_SSIZE_T_MAX / 4) {
            PyErr_SetString(PyExc_ValueError, "_cscore: positions out of range");
            goto done;
        }
        if (read_pair(PyTuple_GET_ITEM(fb, k), "bounds", &a, &b) < 0)
            goto done;
        lo[k] = PyLong_AsSsize_t(a);
        if (lo[k] == -1 && PyErr_Occurred())
            goto done;
        hi[k] = PyLong_AsSsize_t(b);
        if (hi[k] == -1 && PyErr_Occurred())
            goto done;
        ev[k] = PyFloat_AsDouble(PyTuple_GET_ITEM(fe, k));
        if (ev[k] == -1.0 && PyErr_Occurred())
            goto done;
    }
    out = best ? NULL : PyList_New(n > 1 ? n - 1 : 1);
    if (out == NULL && !best)
        goto done;
    for (k = 0; k < (n > 1 ? n - 1 : 1); k++) {
        Py_ssize_t i = k, j = n > 1 ? k + 1 : k, np, s, e;
        double total, x, z;
        PyObject *t;
        if (i == j) {
            total = sv[i];
            np = pv[i];
            x = ev[i];
        }
        else {
            total = sv[i] + sv[j];
            np = pv[i] + pv[j];
            x = ev[i] + ev[j];
        }
        z = bias + total / sqrt((double)(np > floor_n ? np : floor_n));
        z = z + x;
        s = lo[i] < lo[j] ? lo[i] : lo[j];
        e = hi[i] > hi[j] ? hi[i] : hi[j];
        if (gap > 0)
            uv[k] = z;
        if (best) {  /* max(windows, key=itemgetter(0)): the first of equal maxima (NaN never wins) */
            if (bk < 0 || z > bz) {
                bk = k;
                bz = z;
                bs = s;
                be = e;
            }
            continue;
        }
        t = Py_BuildValue("(dnn)", z, s, e);
        if (t == NULL)
            goto done;
        PyList_SET_ITEM(out, k, t);
    }
    if (gap > 0) {
        Py_ssize_t nw = n > 1 ? n - 1 : 1;
        double s2 = 0.0, mean;
        fsum_reset(acc, 0, 0);
        for (k = 0; k < nw; k++) {
            if ((k < bk - gap || k > bk + gap) && uv[k] > s2)
                s2 = uv[k];
            if (fsum_add(acc, uv[k]) < 0)
                goto done;
        }
        mean = fsum_value(acc) / (double)nw;
        bz = bias_saved + ((bz - lam * s2) - mu * mean);
    }
    if (best) {
        result = Py_BuildValue("(dnn)", bz, bs, be);
        goto done;
    }
    result = out;
    out = NULL;
done:
    Py_XDECREF(fs);
    Py_XDECREF(fb);
    Py_XDECREF(fe);
    Py_XDECREF(out);
    PyMem_Free(sv);
    PyMem_Free(ev);
    PyMem_Free(pv);
    PyMem_Free(lo);
    PyMem_Free(hi);
    PyMem_Free(uv);
    PyMem_Free(acc);
    return result;
}

/* -- which needles occur (reference: `[n for n in needles if n in view]`) --------------------- */

#define MAX_NEEDLES 64

static ALWAYS_INLINE int
needle_at(int kind, const void *data, Py_ssize_t vlen, Py_ssize_t i, const char *nd, Py_ssize_t nl)
{
    Py_ssize_t k;
    if (i + nl > vlen)
        return 0;
    for (k = 1; k < nl; k++) {
        if (PyUnicode_READ(kind, data, i + k) != (Py_UCS4)(unsigned char)nd[k])
            return 0;
    }
    return 1;
}

static ALWAYS_INLINE void
present_scan(int kind, const void *data, Py_ssize_t vlen, const unsigned char *first, Py_ssize_t nn,
             const char *const *nd, const Py_ssize_t *nl, char *found, Py_ssize_t *left)
{
    Py_ssize_t i, j;
    for (i = 0; i < vlen && *left > 0; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 128 || !first[c])
            continue;
        for (j = 0; j < nn; j++) {
            if (!found[j] && (unsigned char)nd[j][0] == c && needle_at(kind, data, vlen, i, nd[j], nl[j])) {
                found[j] = 1;
                (*left)--;
            }
        }
    }
}

/* present(view, needles): the needles (non-empty ASCII str, at most 64) that occur in view, in
 * their order: in a one-byte string, one memchr pass per distinct first character; otherwise one
 * pass over the view */
static PyObject *
present(PyObject *module, PyObject *args)
{
    PyObject *view, *needles, *fn, *out = NULL;
    const char *nd[MAX_NEEDLES];
    Py_ssize_t nl[MAX_NEEDLES], nn, j, left;
    char found[MAX_NEEDLES];
    unsigned char first[128];
    int kind;
    const void *data;
    Py_ssize_t vlen;
    if (!PyArg_ParseTuple(args, "UO:present", &view, &needles))
        return NULL;
    if (STR_READY(view) < 0)
        return NULL;
    fn = as_tuple(needles, "needles must be a sequence of str");
    if (fn == NULL)
        return NULL;
    nn = PyTuple_GET_SIZE(fn);
    if (nn > MAX_NEEDLES) {
        PyErr_SetString(PyExc_ValueError, "_cscore: at most 64 needles");
        goto done;
    }
    memset(first, 0, sizeof first);
    for (j = 0; j < nn; j++) {
        PyObject *s = PyTuple_GET_ITEM(fn, j);
        if (!PyUnicode_Check(s) || STR_READY(s) < 0 || !PyUnicode_IS_ASCII(s) || PyUnicode_GET_LENGTH(s) == 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "_cscore: needles are non-empty ASCII str");
            goto done;
        }
        nd[j] = (const char *)PyUnicode_DATA(s);
        nl[j] = PyUnicode_GET_LENGTH(s);
        first[(unsigned char)nd[j][0]] = 1;
        found[j] = 0;
    }
    kind = PyUnicode_KIND(view);
    data = PyUnicode_DATA(view);
    vlen = PyUnicode_GET_LENGTH(view);
    left = nn;
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        /* one memchr pass per distinct first character (most texts hold few of them) */
        for (j = 0; j < nn && left > 0; j++) {
            unsigned char c = (unsigned char)nd[j][0];
            const unsigned char *base = (const unsigned char *)data, *p;
            Py_ssize_t m, pending = 0;
            if (!first[c])
                continue;  /* this first character was searched for already */
            first[c] = 0;
            for (m = j; m < nn; m++)
                pending += !found[m] && (unsigned char)nd[m][0] == c;
            p = vlen > 0 ? memchr(base, c, (size_t)vlen) : NULL;
            while (p != NULL && pending > 0) {
                Py_ssize_t i = p - base;
                for (m = j; m < nn; m++) {
                    if (!found[m] && (unsigned char)nd[m][0] == c
                        && needle_at(PyUnicode_1BYTE_KIND, data, vlen, i, nd[m], nl[m])) {
                        found[m] = 1;
                        pending--;
                        left--;
                    }
                }
                p = i + 1 < vlen ? memchr(p + 1, c, (size_t)(vlen - i - 1)) : NULL;
            }
        }
        break;
    case PyUnicode_2BYTE_KIND:
        present_scan(PyUnicode_2BYTE_KIND, data, vlen, first, nn, nd, nl, found, &left);
        break;
    default:
        present_scan(PyUnicode_4BYTE_KIND, data, vlen, first, nn, nd, nl, found, &left);
        break;
    }
    out = PyList_New(0);
    if (out == NULL)
        goto done;
    for (j = 0; j < nn; j++) {
        if (found[j] && PyList_Append(out, PyTuple_GET_ITEM(fn, j)) < 0) {
            Py_CLEAR(out);
            goto done;
        }
    }
done:
    Py_DECREF(fn);
    return out;
}

static PyObject *
py_fsum(PyObject *module, PyObject *seq)
{
    PyObject *fast = as_tuple(seq, "fsum takes a sequence of floats");
    fsum_t *acc;
    Py_ssize_t k, n;
    double v, *xs;
    int fixed, e0 = 0;
    if (fast == NULL)
        return NULL;
    acc = PyMem_Malloc(sizeof(fsum_t));
    if (acc == NULL) {
        Py_DECREF(fast);
        return PyErr_NoMemory();
    }
    n = PySequence_Fast_GET_SIZE(fast);
    xs = PyMem_Malloc((size_t)(n + 1) * sizeof(double));
    if (xs == NULL) {
        PyMem_Free(acc);
        Py_DECREF(fast);
        return PyErr_NoMemory();
    }
    for (k = 0; k < n; k++) {
        if (read_double(PySequence_Fast_GET_ITEM(fast, k), &xs[k]) < 0) {
            PyMem_Free(xs);
            PyMem_Free(acc);
            Py_DECREF(fast);
            return NULL;
        }
    }
    /* fixed point where the terms allow it (as for the chunks), the partials otherwise */
    fixed = fixed_range(xs, n, n, &e0);
    fsum_reset(acc, fixed, e0);
    for (k = 0; k < n; k++) {
        if (fsum_add(acc, xs[k]) < 0) {
            PyMem_Free(xs);
            PyMem_Free(acc);
            Py_DECREF(fast);
            return NULL;
        }
    }
    v = fsum_value(acc);
    PyMem_Free(xs);
    PyMem_Free(acc);
    Py_DECREF(fast);
    return PyFloat_FromDouble(v);
}

/* longest(words) == max(map(len, words), default=0) for an iterable of str (`_signals._may_hide_blob`) */
static PyObject *
longest(PyObject *module, PyObject *words)
{
    PyObject *it = PyObject_GetIter(words), *w;
    Py_ssize_t best = 0;
    if (it == NULL)
        return NULL;
    while ((w = PyIter_Next(it)) != NULL) {
        Py_ssize_t n;
        if (!PyUnicode_Check(w) || STR_READY(w) < 0) {
            Py_DECREF(w);
            Py_DECREF(it);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "_cscore.longest takes str items");
            return NULL;
        }
        n = PyUnicode_GET_LENGTH(w);
        if (n > best)
            best = n;
        Py_DECREF(w);
    }
    Py_DECREF(it);
    if (PyErr_Occurred())
        return NULL;
    return PyLong_FromSsize_t(best);
}

/* long_tokens(text, min_len, limit) -> [(start, end), ...]: the first `limit` runs of `min_len` or
 * more non-whitespace characters (whitespace as str.isspace and re's \s), i.e. the matches of
 * `(?<!\S)\S{min_len,}` (`_signals.long_tokens`; its reference is that regex) */
static PyObject *
long_tokens(PyObject *module, PyObject *args)
{
    PyObject *text, *out, *span;
    Py_ssize_t min_len, limit, n, k = 0, start;
    int kind;
    const void *data;
    if (!PyArg_ParseTuple(args, "Unn:long_tokens", &text, &min_len, &limit))
        return NULL;
    if (STR_READY(text) < 0)
        return NULL;
    if (min_len < 1)
        min_len = 1;
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    n = PyUnicode_GET_LENGTH(text);
    out = PyList_New(0);
    if (out == NULL)
        return NULL;
    while (k < n && PyList_GET_SIZE(out) < limit) {
        while (k < n && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, k)))
            k++;
        start = k;
        while (k < n && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, k)))
            k++;
        if (k - start >= min_len) {
            span = Py_BuildValue("(nn)", start, k);
            if (span == NULL || PyList_Append(out, span) < 0) {
                Py_XDECREF(span);
                Py_DECREF(out);
                return NULL;
            }
            Py_DECREF(span);
        }
    }
    return out;
}

static PyMethodDef methods[] = {
    {"chunk_sums", chunk_sums, METH_VARARGS,
     "chunk_sums(tables, view, bounds, leet, want_words[, small, small_hard]) -> ([(sum, positions), ...], "
     "words | None[, the small chunks as bytes of (double sum, int64 positions, start, end)])"},
    {"near", near, METH_VARARGS,
     "near(view, anchors, prefixes, window, max_anchors, boundary) -> windows or match starts, or None"},
    {"letter_digit", letter_digit, METH_VARARGS,
     "letter_digit(view, digits, between) -> whether an ASCII letter sits next to (or two around) a digit"},
    {"chunk_bounds", chunk_bounds, METH_VARARGS,
     "chunk_bounds(view, chunk, hard) -> ([(start, end), ...], a word cut) (as _features.chunk_bounds)"},
    {"windows", windows, METH_VARARGS,
     "windows(sums, bounds, extra, bias, floor, best=False, lam=0, mu=0, gap=0) -> [(logit, start, end), ...] "
     "(as LinearModel._windows), or with best the first window of the highest logit (gap > 0: its "
     "contrast, `LinearModel.small_best`); sums may be chunk_sums' small chunks (bytes, bounds None, "
     "extra a dict or None)"},
    {"near_occ", near_occ, METH_VARARGS,
     "near_occ(occ, anchors, prefix_ids, window, max_anchors, boundary[, follow, whole]) -> near(...) of occ's view"},
    {"present", present, METH_VARARGS, "present(view, needles) -> [the needles that occur in view]"},
    {"long_tokens", long_tokens, METH_VARARGS,
     "long_tokens(text, min_len, limit) -> [(start, end), ...] of the first limit whitespace-separated runs "
     "of min_len or more characters (as _signals.long_tokens)"},
    {"longest", longest, METH_O, "longest(words) -> the length of the longest str in words (0: none)"},
    {"form_lines", form_lines, METH_VARARGS,
     "form_lines(view, bounds, prose) -> per chunk [start, end, odd, run, cues, ...] of its prose lines "
     "with odd tokens (as _features.form_lines)"},
    {"form_cues", form_cues, METH_O, "form_cues({word: bits}) -> None: the cue words form_lines looks for"},
    {"fsum", py_fsum, METH_O, "fsum(floats) -> the exactly rounded sum, as math.fsum (for the tests)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "guardwrap.injection._cscore",
    "The learned tier's chunk scorer (reference: guardwrap.injection._linear).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__cscore(void)
{
    PyObject *m;
    init_sep8();
    init_form_cls();
    if (PyType_Ready(&TablesType) < 0 || PyType_Ready(&NeedlesType) < 0 || PyType_Ready(&OccType) < 0 ||
        PyType_Ready(&PlanType) < 0)
        return NULL;
    m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    Py_INCREF(&TablesType);
    if (PyModule_AddObject(m, "Tables", (PyObject *)&TablesType) < 0) {
        Py_DECREF(&TablesType);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&NeedlesType);
    if (PyModule_AddObject(m, "Needles", (PyObject *)&NeedlesType) < 0) {
        Py_DECREF(&NeedlesType);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&PlanType);
    if (PyModule_AddObject(m, "Plan", (PyObject *)&PlanType) < 0) {
        Py_DECREF(&PlanType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
