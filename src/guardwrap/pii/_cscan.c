/* guardwrap.pii._cscan: C kernels for the PII fast engine's hot loops.
 *
 * Each function does exactly what a pure-Python function of guardwrap.pii does (named in its
 * docstring); that Python code is the reference, and tests/pii/test_pii_native.py holds the two
 * to the same results. Word lists are passed in from Python (never written here), so data changes
 * need no C change. Everything is linear in the text (bounded work per position) and keeps no
 * state between calls.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * seq_spans: the capitalised-word sequences of `_names.SEQ_ASCII` (ASCII text only), each as
 * `re.finditer` finds them, less the one-word ones that `Names.scan` settles at once.
 * ------------------------------------------------------------------------------------------- */

static int is_upper(Py_UCS1 c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(Py_UCS1 c) { return c >= 'a' && c <= 'z'; }
static int is_alpha(Py_UCS1 c) { return is_upper(c) || is_lower(c); }
static int is_digit(Py_UCS1 c) { return c >= '0' && c <= '9'; }
static int is_alnum(Py_UCS1 c) { return is_alpha(c) || is_digit(c); }
static int is_blank(Py_UCS1 c) { return c == ' ' || c == '\t'; }
/* str.isspace() of an ASCII character */
static int py_space(Py_UCS1 c) { return c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31); }

/* a new str: t[a:b] lower-cased (ASCII) */
static PyObject *lower_ascii(const Py_UCS1 *t, Py_ssize_t a, Py_ssize_t b) {
    PyObject *w = PyUnicode_New(b - a, 127);
    if (w == NULL) return NULL;
    Py_UCS1 *d = PyUnicode_1BYTE_DATA(w);
    for (Py_ssize_t i = a; i < b; i++) d[i - a] = is_upper(t[i]) ? (Py_UCS1)(t[i] + 32) : t[i];
    return w;
}

typedef struct {
    const Py_UCS1 *t;
    Py_ssize_t n;
    PyObject *parts; /* frozenset of the particles ("van", "de", ...) */
} Seq;

/* titles written with a full stop (the first alternative of _TOK, after [A-Z]) */
static const char *const DOTTED[] = {
    "Mrs", "Mr", "Ms", "Dr", "Prof", "Sr", "Sra", "Srta", "Jr", "St", "Mme", "Mlle", "Hr", "Fr", "Dott",
    "Sig", "Mag", "Ing", NULL,
};

/* `_PART[ \t]+` at q: the end of the blanks after it, 0 when none matches, -1 on error */
static Py_ssize_t part_at(const Seq *S, Py_ssize_t q) {
    Py_ssize_t r = q;
    while (r < S->n && is_lower(S->t[r])) r++;
    if (r == q || r >= S->n || !is_blank(S->t[r])) return 0;
    PyObject *w = PyUnicode_FromStringAndSize((const char *)S->t + q, r - q);
    if (w == NULL) return -1;
    int in = PySet_Contains(S->parts, w);
    Py_DECREF(w);
    if (in < 0) return -1;
    if (!in) return 0;
    while (r < S->n && is_blank(S->t[r])) r++;
    return r;
}

static int final_ok(const Seq *S, Py_ssize_t p) {
    /* (?![A-Za-z0-9_@]|-[A-Za-z0-9]) */
    if (p < S->n) {
        Py_UCS1 c = S->t[p];
        if (is_alnum(c) || c == '_' || c == '@') return 0;
        if (c == '-' && p + 1 < S->n && is_alnum(S->t[p + 1])) return 0;
    }
    return 1;
}

static Py_ssize_t seq_rest(const Seq *S, Py_ssize_t pos, int reps);

/* _TOK at q, then the rest of the sequence: the end of the whole match, -1 none, -2 error */
static Py_ssize_t tok_then(const Seq *S, Py_ssize_t q, int reps) {
    const Py_UCS1 *t = S->t;
    Py_ssize_t n = S->n;
    if (q >= n || !is_upper(t[q])) return -1;
    /* alternative 1: (?:[A-Z]|Mrs|...)\. (at most one of them can match) */
    Py_ssize_t e1 = -1;
    if (q + 1 < n && t[q + 1] == '.') {
        e1 = q + 2;
    } else {
        for (int i = 0; DOTTED[i] != NULL; i++) {
            Py_ssize_t L = (Py_ssize_t)strlen(DOTTED[i]);
            if (q + L < n && t[q + L] == '.' && memcmp(t + q, DOTTED[i], (size_t)L) == 0) {
                e1 = q + L + 1;
                break;
            }
        }
    }
    if (e1 >= 0) {
        Py_ssize_t r = seq_rest(S, e1, reps);
        if (r != -1) return r;
    }
    /* alternative 2: [A-Z](?:[A-Za-z'\-]*[A-Za-z])? (the group greedy, then without it) */
    Py_ssize_t r = q + 1;
    while (r < n && (is_alpha(t[r]) || t[r] == '\'' || t[r] == '-')) r++;
    for (Py_ssize_t k = r; k >= q + 2; k--) {
        if (!is_alpha(t[k - 1])) continue;
        Py_ssize_t x = seq_rest(S, k, reps);
        if (x != -1) return x;
    }
    return seq_rest(S, q + 1, reps);
}

/* after `reps` tokens ending at pos: (?:[ \t]+(?:_PART[ \t]+){0,2}_TOK){0,5-reps} then the
 * final look-ahead, greedy as the regex engine tries it */
static Py_ssize_t seq_rest(const Seq *S, Py_ssize_t pos, int reps) {
    if (reps < 5 && pos < S->n && is_blank(S->t[pos])) {
        Py_ssize_t q = pos;
        while (q < S->n && is_blank(S->t[q])) q++;
        /* up to two particles: try the most first */
        Py_ssize_t q1 = part_at(S, q);
        if (q1 < 0) return -2;
        Py_ssize_t q2 = 0;
        if (q1 > 0) {
            q2 = part_at(S, q1);
            if (q2 < 0) return -2;
        }
        Py_ssize_t starts[3];
        int ns = 0;
        if (q2 > 0) starts[ns++] = q2;
        if (q1 > 0) starts[ns++] = q1;
        starts[ns++] = q;
        for (int i = 0; i < ns; i++) {
            Py_ssize_t x = tok_then(S, starts[i], reps + 1);
            if (x != -1) return x;
        }
    }
    return final_ok(S, pos) ? pos : -1;
}

static int seq_start_ok(const Py_UCS1 *t, Py_ssize_t p) {
    /* (?=[A-Z])(?<![A-Za-z0-9_@/.\-]) */
    if (!is_upper(t[p])) return 0;
    if (p > 0) {
        Py_UCS1 c = t[p - 1];
        if (is_alnum(c) || c == '_' || c == '@' || c == '/' || c == '.' || c == '-') return 0;
    }
    return 1;
}

/* `_names._may_follow_cue` */
static int may_follow_cue(const Py_UCS1 *t, Py_ssize_t s, PyObject *cue_last) {
    Py_ssize_t j = s - 1;
    while (j >= 0 && is_blank(t[j])) j--;
    if (j < 0) return 1;
    if (t[j] != 0 && strchr("\n:=\"'>-,;|/(", t[j]) != NULL) return 1;
    Py_ssize_t k = j;
    while (k > 0 && (is_alpha(t[k - 1]) || t[k - 1] == '\'')) k--;
    PyObject *w = lower_ascii(t, k, j + 1);
    if (w == NULL) return -1;
    int in = PySet_Contains(cue_last, w);
    Py_DECREF(w);
    return in;
}

PyDoc_STRVAR(seq_spans_doc,
"seq_spans(text, parts, no_single, cue_last) -> list of (start, end)\n\n"
"For ASCII ``text``: the matches of ``_names.SEQ_ASCII.finditer(text)``, less those of one word\n"
"that ``Names.scan`` skips (the word, full stops stripped and lower-cased, is in ``no_single``, or\n"
"``_may_follow_cue`` is false with ``cue_last``). ``parts``: the particles of ``_names._PART``.");

/* (start, end) pairs, grown as needed */
typedef struct {
    Py_ssize_t *v;
    Py_ssize_t n, cap; /* pairs held, room in pairs */
} Spans;

static int spans_push(Spans *S, Py_ssize_t a, Py_ssize_t b) {
    if (S->n == S->cap) {
        Py_ssize_t cap = S->cap ? 2 * S->cap : 16;
        Py_ssize_t *v = PyMem_Realloc(S->v, (size_t)cap * 2 * sizeof(Py_ssize_t));
        if (v == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        S->v = v;
        S->cap = cap;
    }
    S->v[2 * S->n] = a;
    S->v[2 * S->n + 1] = b;
    S->n++;
    return 0;
}

/* the spans `seq_spans` returns, into out: 0, or -1 on error */
static int seq_scan(const Py_UCS1 *t, Py_ssize_t n, PyObject *parts, PyObject *no_single, PyObject *cue_last,
                    Spans *out) {
    Seq S = {t, n, parts};
    Py_ssize_t p = 0;
    while (p < n) {
        if (!seq_start_ok(t, p)) {
            p++;
            continue;
        }
        Py_ssize_t e = tok_then(&S, p, 0);
        if (e == -2) return -1;
        if (e < 0) {
            p++;
            continue;
        }
        Py_ssize_t s = p;
        p = e; /* finditer goes on after the match (never empty) */
        int one_word = 1;
        for (Py_ssize_t i = s; i < e; i++) {
            if (is_blank(t[i])) {
                one_word = 0;
                break;
            }
        }
        if (one_word) {
            Py_ssize_t we = e;
            while (we > s && t[we - 1] == '.') we--;
            PyObject *w = lower_ascii(t, s, we);
            if (w == NULL) return -1;
            int skip = PySet_Contains(no_single, w);
            Py_DECREF(w);
            if (skip < 0) return -1;
            if (!skip) {
                int cue = may_follow_cue(t, s, cue_last);
                if (cue < 0) return -1;
                skip = !cue;
            }
            if (skip) continue;
        }
        if (spans_push(out, s, e) < 0) return -1;
    }
    return 0;
}

static PyObject *seq_spans(PyObject *self, PyObject *args) {
    PyObject *text, *parts, *no_single, *cue_last;
    if (!PyArg_ParseTuple(args, "UO!O!O!:seq_spans", &text, &PyFrozenSet_Type, &parts, &PyFrozenSet_Type,
                          &no_single, &PyFrozenSet_Type, &cue_last))
        return NULL;
    if (!PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_ValueError, "seq_spans needs an ASCII text");
        return NULL;
    }
    Spans S = {NULL, 0, 0};
    PyObject *out = NULL;
    if (seq_scan(PyUnicode_1BYTE_DATA(text), PyUnicode_GET_LENGTH(text), parts, no_single, cue_last, &S) < 0)
        goto done;
    out = PyList_New(S.n);
    if (out == NULL) goto done;
    for (Py_ssize_t i = 0; i < S.n; i++) {
        PyObject *item = Py_BuildValue("(nn)", S.v[2 * i], S.v[2 * i + 1]);
        if (item == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, i, item);
    }
done:
    PyMem_Free(S.v);
    return out;
}

/* ---------------------------------------------------------------------------------------------
 * keccak256: `_crypto.keccak256` (Keccak-256 with the original padding, as Ethereum uses it).
 * ------------------------------------------------------------------------------------------- */

static const unsigned long long RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808AULL, 0x8000000080008000ULL,
    0x000000000000808BULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008AULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000AULL,
    0x000000008000808BULL, 0x800000000000008BULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800AULL, 0x800000008000000AULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};
static const int ROT[25] = {0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14};

static unsigned long long rotl(unsigned long long v, int r) { return r ? (v << r) | (v >> (64 - r)) : v; }

static void keccak_f(unsigned long long a[25]) {
    unsigned long long b[25], c[5], d[5];
    for (int round = 0; round < 24; round++) {
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++) d[x] = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
        for (int i = 0; i < 25; i++) a[i] ^= d[i % 5];
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], ROT[x + 5 * y]);
        for (int y = 0; y < 25; y += 5)
            for (int x = 0; x < 5; x++) a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
        a[0] ^= RC[round];
    }
}

PyDoc_STRVAR(keccak256_doc, "keccak256(data: bytes) -> bytes\n\nAs ``_crypto.keccak256``.");

static PyObject *keccak256(PyObject *self, PyObject *arg) {
    if (!PyBytes_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "keccak256 needs bytes");
        return NULL;
    }
    const unsigned char *data = (const unsigned char *)PyBytes_AS_STRING(arg);
    Py_ssize_t n = PyBytes_GET_SIZE(arg);
    unsigned long long a[25] = {0};
    unsigned char block[136];
    const Py_ssize_t rate = 136;
    Py_ssize_t off = 0;
    int last = 0;
    while (!last) {
        Py_ssize_t take = n - off;
        if (take >= rate) {
            memcpy(block, data + off, (size_t)rate);
        } else {
            /* the final block: the message's tail, 0x01, zeros, 0x80 in the last byte */
            memset(block, 0, sizeof(block));
            if (take > 0) memcpy(block, data + off, (size_t)take);
            block[take] ^= 0x01;
            block[rate - 1] |= 0x80;
            last = 1;
        }
        off += rate;
        for (int i = 0; i < 17; i++) {
            unsigned long long v = 0;
            for (int k = 7; k >= 0; k--) v = (v << 8) | block[8 * i + k];
            a[i] ^= v;
        }
        keccak_f(a);
    }
    unsigned char out[32];
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 8; k++) out[8 * i + k] = (unsigned char)(a[i] >> (8 * k));
    return PyBytes_FromStringAndSize((const char *)out, 32);
}

/* ---------------------------------------------------------------------------------------------
 * Any-kind text helpers, with str's own one-character tests (str.isalpha() of one character is
 * Py_UNICODE_ISALPHA, and so on).
 * ------------------------------------------------------------------------------------------- */

typedef struct {
    PyObject *obj;
    int kind;
    const void *data;
    Py_ssize_t n;
} Txt;

static void txt_init(Txt *T, PyObject *text) {
    T->obj = text;
    T->kind = PyUnicode_KIND(text);
    T->data = PyUnicode_DATA(text);
    T->n = PyUnicode_GET_LENGTH(text);
}

static Py_UCS4 ch(const Txt *T, Py_ssize_t i) { return PyUnicode_READ(T->kind, T->data, i); }

/* ``text[a:b].lower() in words`` (a, b already within the text, a <= b): 1, 0, -1 error */
static int lower_in(const Txt *T, Py_ssize_t a, Py_ssize_t b, PyObject *words) {
    int ascii = 1;
    for (Py_ssize_t i = a; i < b; i++) {
        if (ch(T, i) > 127) {
            ascii = 0;
            break;
        }
    }
    PyObject *w;
    if (ascii) {
        w = PyUnicode_New(b - a, 127);
        if (w == NULL) return -1;
        Py_UCS1 *d = PyUnicode_1BYTE_DATA(w);
        for (Py_ssize_t i = a; i < b; i++) {
            Py_UCS4 c = ch(T, i);
            d[i - a] = (Py_UCS1)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
    } else {
        PyObject *sub = PyUnicode_Substring(T->obj, a, b);
        if (sub == NULL) return -1;
        w = PyObject_CallMethod(sub, "lower", NULL);
        Py_DECREF(sub);
        if (w == NULL) return -1;
    }
    int in = PySet_Contains(words, w);
    Py_DECREF(w);
    return in;
}

static Py_ssize_t clamp(Py_ssize_t i, Py_ssize_t n) { return i < n ? i : n; }

/* `_addresses._street_may_follow`: 1, 0, -1 error */
static int street_may_follow(const Txt *T, Py_ssize_t e, PyObject *fr_start, PyObject *ordinals) {
    Py_ssize_t n = T->n, i = e;
    if (i < n && Py_UNICODE_ISALPHA(ch(T, i)) && (i + 1 >= n || !Py_UNICODE_ISALPHA(ch(T, i + 1)))) i++;
    if (i < n) {
        Py_UCS4 c = ch(T, i);
        if (c == ',' || c == '/' || c == '-') {
            i++;
            while (i < n && Py_UNICODE_ISDIGIT(ch(T, i))) i++;
        }
    }
    if (i >= n) return 0;
    {
        Py_UCS4 c = ch(T, i);
        if (c != ' ' && c != '\t' && c != ',') return 0;
    }
    while (i < n) {
        Py_UCS4 c = ch(T, i);
        if (c != ' ' && c != '\t' && c != ',') break;
        i++;
    }
    if (i < n && Py_UNICODE_ISDIGIT(ch(T, i))) {
        Py_ssize_t j = i;
        while (j < n && Py_UNICODE_ISDIGIT(ch(T, j))) j++;
        if (j < n && (ch(T, j) == ' ' || ch(T, j) == '\t') && j + 1 < n && Py_UNICODE_ISUPPER(ch(T, j + 1))) i = j + 1;
    }
    if (i >= n) return 0;
    Py_UCS4 c = ch(T, i);
    if (Py_UNICODE_ISUPPER(c)) return 1;
    if (Py_UNICODE_ISDIGIT(c)) {
        Py_ssize_t j = i;
        while (j < n && Py_UNICODE_ISDIGIT(ch(T, j))) j++;
        return lower_in(T, j, clamp(j + 2, n), ordinals);
    }
    return lower_in(T, i, clamp(i + 3, n), fr_start);
}

static int in_str(Py_UCS4 c, const char *set) {
    for (; *set; set++)
        if ((Py_UCS4)(unsigned char)*set == c) return 1;
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * street_maybe: a necessary condition for `_addresses.NUMBER_FIRST.match(text, s)`.
 * ------------------------------------------------------------------------------------------- */

/* how many blank-separated tokens from s may hold the street word; how far the look goes */
#define STREET_TOKENS 10
#define STREET_REACH 512

PyDoc_STRVAR(street_maybe_doc,
"street_maybe(text, s, keys) -> bool\n\n"
"False only when ``_addresses.NUMBER_FIRST`` cannot match at ``s``: none of the first ten\n"
"blank-separated tokens of the line from ``s`` starts with a run of ASCII letters that, lower-\n"
"cased, is in ``keys`` (the first letter-run of every street word the pattern knows). True\n"
"(ask the pattern) for anything else: a non-ASCII character there, a look longer than 512.");

static int street_maybe_at(const Txt *T, Py_ssize_t s, PyObject *keys) {
    Py_ssize_t n = T->n;
    Py_ssize_t limit = s + STREET_REACH < n ? s + STREET_REACH : n;
    Py_ssize_t i = s;
    int tokens = 0;
    while (i < n) {
        if (i >= limit) return 1;
        Py_UCS4 c = ch(T, i);
        if (c == '\n') return 0;
        if (c == ' ' || c == '\t') {
            i++;
            continue;
        }
        /* a token starts at i: its leading ASCII letters, lower-cased, may be a street word */
        if (++tokens > STREET_TOKENS) return 0;
        Py_ssize_t a = i;
        while (i < n && i < limit) {
            c = ch(T, i);
            if (c > 127) return 1;
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) break;
            i++;
        }
        if (i > a) {
            int in = lower_in(T, a, i, keys);
            if (in != 0) return in;
        }
        /* the rest of the token */
        while (i < n) {
            if (i >= limit) return 1;
            c = ch(T, i);
            if (c == ' ' || c == '\t' || c == '\n') break;
            if (c > 127) return 1;
            i++;
        }
    }
    return 0;
}

static PyObject *street_maybe(PyObject *self, PyObject *args) {
    PyObject *text, *keys;
    Py_ssize_t s;
    if (!PyArg_ParseTuple(args, "UnO!:street_maybe", &text, &s, &PyFrozenSet_Type, &keys)) return NULL;
    Txt T;
    txt_init(&T, text);
    if (s < 0 || s > T.n) {
        PyErr_SetString(PyExc_IndexError, "street_maybe: start out of range");
        return NULL;
    }
    int r = street_maybe_at(&T, s, keys);
    if (r < 0) return NULL;
    return PyBool_FromLong(r);
}

PyDoc_STRVAR(at_number_plan_doc,
"at_number_plan(text, s, e, keys, fr_start, ordinals, po_words) -> int\n\n"
"Which patterns ``_addresses.at_number(text, s, e)`` would try, decided as it decides: bit 1\n"
"``NUMBER_FIRST`` (``_street_may_follow``, no letter or digit before, `street_maybe`), 2\n"
"``NUMBER_AFTER``, 4 ``PO_BOX``, 8 ``_CITY_STATE`` (the word before the number). 0: none.");

/* the plan of `at_number_plan`, -1 on error */
static long plan_at(const Txt *Tp, Py_ssize_t s, Py_ssize_t e, PyObject *keys, PyObject *fr_start, PyObject *ordinals,
                    PyObject *po_words) {
    Txt T = *Tp;
    long plan = 0;
    int r = street_may_follow(&T, e, fr_start, ordinals);
    if (r < 0) return -1;
    if (r && (s == 0 || !Py_UNICODE_ISALNUM(ch(&T, s - 1)))) {
        r = street_maybe_at(&T, s, keys);
        if (r < 0) return -1;
        if (r) plan |= 1;
    }
    if (s == 0) return plan;
    {
        Py_UCS4 c = ch(&T, s - 1);
        if (c != ' ' && c != '\t' && c != ',' && c != 0xBA && c != 0xB0) return plan;
    }
    /* the word before the number, in the window text[lo:s] (as the Python walks it) */
    Py_ssize_t lo = s - 48 > 0 ? s - 48 : 0;
    Py_ssize_t j = s - 1 - lo;
    while (j > 0) {
        Py_UCS4 c = ch(&T, lo + j);
        if (c == ' ' || c == '\t' || c == ',' || c == 0xBA || c == 0xB0 || c == '.') j--;
        else break;
    }
    Py_ssize_t k = j;
    while (k > 0) {
        Py_UCS4 c = ch(&T, lo + k - 1);
        if (Py_UNICODE_ISALPHA(c) || c == '.' || c == '-' || c == '\'') k--;
        else break;
    }
    Py_ssize_t a = lo + k, b = lo + j + 1; /* the word: text[a:b], never empty */
    Py_UCS4 first = ch(&T, a);
    if (Py_UNICODE_ISUPPER(first) || first == 'o' || first == 'u') plan |= 2;
    r = lower_in(&T, a, b, po_words);
    if (r < 0) return -1;
    if (r) plan |= 4;
    if ((e - s == 5 || e - s == 10) && b - a >= 2 && b - a <= 3) {
        /* word.isupper(): no lower- or title-case character, at least one upper-case one */
        int cased = 0, upper = 1;
        for (Py_ssize_t i = a; i < b; i++) {
            Py_UCS4 c = ch(&T, i);
            if (Py_UNICODE_ISLOWER(c) || Py_UNICODE_ISTITLE(c)) {
                upper = 0;
                break;
            }
            if (Py_UNICODE_ISUPPER(c)) cased = 1;
        }
        if (upper && cased) plan |= 8;
    }
    return plan;
}

static PyObject *at_number_plan(PyObject *self, PyObject *args) {
    PyObject *text, *keys, *fr_start, *ordinals, *po_words;
    Py_ssize_t s, e;
    if (!PyArg_ParseTuple(args, "UnnO!O!O!O!:at_number_plan", &text, &s, &e, &PyFrozenSet_Type, &keys,
                          &PyFrozenSet_Type, &fr_start, &PyFrozenSet_Type, &ordinals, &PyFrozenSet_Type, &po_words))
        return NULL;
    Txt T;
    txt_init(&T, text);
    if (s < 0 || e < s || e > T.n) {
        PyErr_SetString(PyExc_IndexError, "at_number_plan: run out of range");
        return NULL;
    }
    long plan = plan_at(&T, s, e, keys, fr_start, ordinals, po_words);
    return plan < 0 ? NULL : PyLong_FromLong(plan);
}

PyDoc_STRVAR(month_near_doc, "month_near(text, s, e, prefixes) -> bool\n\nAs ``_dates._month_near``.");

/* `month_near`: 1, 0, -1 on error */
static int near_month(const Txt *Tp, Py_ssize_t s, Py_ssize_t e, PyObject *prefixes) {
    Txt T = *Tp;
    PyObject *text = T.obj;
    Py_ssize_t n = T.n, i = e;
    /* a day's ordinal suffix and "of": "3rd March", "21st of Jan" */
    if (e + 2 <= n && (e + 2 == n || !Py_UNICODE_ISALPHA(ch(&T, e + 2)))) {
        Py_UCS4 a = Py_UNICODE_TOLOWER(ch(&T, e)), b = Py_UNICODE_TOLOWER(ch(&T, e + 1));
        if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') || (a == 't' && b == 'h')) {
            i = e + 2;
            if (i + 4 <= n && ch(&T, i) == ' ' && Py_UNICODE_TOLOWER(ch(&T, i + 1)) == 'o' &&
                Py_UNICODE_TOLOWER(ch(&T, i + 2)) == 'f' && ch(&T, i + 3) == ' ')
                i += 3;
        }
    }
    Py_ssize_t from = i;
    while (i < n && i < from + 3 && !Py_UNICODE_ISALPHA(ch(&T, i))) i++;
    int r = lower_in(&T, i, clamp(i + 3, n), prefixes);
    if (r < 0) return -1;
    if (r) return 1;
    Py_ssize_t j = s - 1;
    while (j > 0 && j > s - 4 && !Py_UNICODE_ISALPHA(ch(&T, j))) j--;
    if (j < 0) {
        /* s == 0: Python slices text[-1:2], at most two characters: no three-letter prefix, but
         * ask the set all the same */
        PyObject *sub = PySequence_GetSlice(text, -1, 2);
        if (sub == NULL) return -1;
        PyObject *low = PyObject_CallMethod(sub, "lower", NULL);
        Py_DECREF(sub);
        if (low == NULL) return -1;
        int in = PySet_Contains(prefixes, low);
        Py_DECREF(low);
        return in;
    }
    Py_ssize_t k = j;
    while (k > 0 && Py_UNICODE_ISALPHA(ch(&T, k - 1)) && j - k < 12) k--;
    r = lower_in(&T, k, clamp(k + 3, n), prefixes);
    if (r < 0) return -1;
    return r;
}

static PyObject *month_near(PyObject *self, PyObject *args) {
    PyObject *text, *prefixes;
    Py_ssize_t s, e;
    if (!PyArg_ParseTuple(args, "UnnO!:month_near", &text, &s, &e, &PyFrozenSet_Type, &prefixes)) return NULL;
    Txt T;
    txt_init(&T, text);
    if (s < 0 || e < s || e > T.n) {
        PyErr_SetString(PyExc_IndexError, "month_near: run out of range");
        return NULL;
    }
    int r = near_month(&T, s, e, prefixes);
    return r < 0 ? NULL : PyBool_FromLong(r);
}

/* ---------------------------------------------------------------------------------------------
 * trie / last: `_engine.LastWord` (the nearest of some words before a value, searched in the
 * reversed window). A trie of the reversed words lives in a capsule built from Python's list.
 * ------------------------------------------------------------------------------------------- */

typedef struct {
    Py_UCS4 c;
    int32_t child;   /* first child, -1 none */
    int32_t sibling; /* next sibling, -1 none */
    int32_t end;     /* a word ends here */
} TNode;

typedef struct {
    TNode *nodes;
    Py_ssize_t count, cap;
} Trie;

#define TRIE_CAPSULE "guardwrap.pii._cscan.trie"

static void trie_free(PyObject *capsule) {
    Trie *t = (Trie *)PyCapsule_GetPointer(capsule, TRIE_CAPSULE);
    if (t != NULL) {
        PyMem_Free(t->nodes);
        PyMem_Free(t);
    }
}

static int32_t trie_new_node(Trie *t, Py_UCS4 c) {
    if (t->count >= t->cap) {
        Py_ssize_t cap = t->cap ? t->cap * 2 : 64;
        if (cap > INT32_MAX) {
            PyErr_SetString(PyExc_OverflowError, "trie: too many words");
            return -1;
        }
        TNode *nodes = PyMem_Realloc(t->nodes, (size_t)cap * sizeof(TNode));
        if (nodes == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        t->nodes = nodes;
        t->cap = cap;
    }
    TNode *nd = &t->nodes[t->count];
    nd->c = c;
    nd->child = nd->sibling = -1;
    nd->end = 0;
    return (int32_t)t->count++;
}

static int32_t trie_child(const Trie *t, int32_t node, Py_UCS4 c) {
    for (int32_t k = t->nodes[node].child; k >= 0; k = t->nodes[k].sibling)
        if (t->nodes[k].c == c) return k;
    return -1;
}

PyDoc_STRVAR(trie_doc, "trie(words) -> capsule\n\nA trie of the given strings, for `last`.");

static PyObject *trie(PyObject *self, PyObject *arg) {
    PyObject *seq = PySequence_Fast(arg, "trie needs a sequence of str");
    if (seq == NULL) return NULL;
    Trie *t = PyMem_Malloc(sizeof(Trie));
    if (t == NULL) {
        Py_DECREF(seq);
        return PyErr_NoMemory();
    }
    t->nodes = NULL;
    t->count = t->cap = 0;
    if (trie_new_node(t, 0) < 0) goto fail;
    Py_ssize_t nw = PySequence_Fast_GET_SIZE(seq);
    for (Py_ssize_t w = 0; w < nw; w++) {
        PyObject *word = PySequence_Fast_GET_ITEM(seq, w);
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "trie needs a sequence of str");
            goto fail;
        }
        int kind = PyUnicode_KIND(word);
        const void *data = PyUnicode_DATA(word);
        int32_t node = 0;
        for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(word); i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            int32_t k = trie_child(t, node, c);
            if (k < 0) {
                k = trie_new_node(t, c);
                if (k < 0) goto fail;
                t->nodes[k].sibling = t->nodes[node].child;
                t->nodes[node].child = k;
            }
            node = k;
        }
        t->nodes[node].end = 1;
    }
    Py_DECREF(seq);
    PyObject *cap = PyCapsule_New(t, TRIE_CAPSULE, trie_free);
    if (cap == NULL) {
        PyMem_Free(t->nodes);
        PyMem_Free(t);
    }
    return cap;
fail:
    Py_DECREF(seq);
    PyMem_Free(t->nodes);
    PyMem_Free(t);
    return NULL;
}

static int az09(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

PyDoc_STRVAR(last_doc,
"last(trie, rev, lo=0) -> int\n\n"
"As ``LastWord.last``: the first match in ``rev[:len(rev) - lo]`` of a word of ``trie`` (built from\n"
"the reversed words) with no [a-z0-9] on either side; ``len(rev)`` minus its start, or -1.");

static Py_ssize_t last_in(const Trie *t, PyObject *rev, Py_ssize_t lo) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(rev);
    int kind = PyUnicode_KIND(rev);
    const void *data = PyUnicode_DATA(rev);
    /* re.search(rev, 0, n - lo): the string ends at n - lo (a negative end is 0) */
    Py_ssize_t endpos = n - lo;
    if (endpos > n) endpos = n;
    if (endpos < 0) endpos = 0;
    for (Py_ssize_t i = 0; i <= endpos; i++) {
        if (i > 0 && az09(PyUnicode_READ(kind, data, i - 1))) continue;
        int32_t node = 0;
        Py_ssize_t j = i;
        for (;;) {
            if (t->nodes[node].end && (j == endpos || !az09(PyUnicode_READ(kind, data, j)))) return n - i;
            if (j >= endpos) break;
            node = trie_child(t, node, PyUnicode_READ(kind, data, j));
            if (node < 0) break;
            j++;
        }
    }
    return -1;
}

static PyObject *last(PyObject *self, PyObject *args) {
    PyObject *cap, *rev;
    Py_ssize_t lo = 0;
    if (!PyArg_ParseTuple(args, "OU|n:last", &cap, &rev, &lo)) return NULL;
    Trie *t = (Trie *)PyCapsule_GetPointer(cap, TRIE_CAPSULE);
    if (t == NULL) return NULL;
    return PyLong_FromSsize_t(last_in(t, rev, lo));
}

PyDoc_STRVAR(pick_doc,
"pick(cands, pre, rev, tries, neg, labels, weak, threshold, consts) -> (entity, score) | None\n\n"
"``Detector._pick``'s choice among ``cands`` [(entity, base), ...] with the context window\n"
"``pre`` and ``rev`` (reversed): ``tries`` {entity: trie of its context words}, ``neg`` the\n"
"negative words' trie, ``labels`` the id labels' trie or None, ``weak`` the weak entities,\n"
"``consts`` (NEGATIVE, BOOST, WEAK_BOOST, NEG_WINDOW).");

static PyObject *pick_core(PyObject *cands, PyObject *rev, PyObject *tries, const Trie *neg_t, const Trie *lab_t,
                           PyObject *weak, double threshold, double NEGATIVE, double BOOST, double WEAK_BOOST,
                           Py_ssize_t neg_window);

static PyObject *pick(PyObject *self, PyObject *args) {
    PyObject *cands, *pre, *rev, *tries, *negcap, *labcap, *weak, *consts;
    double threshold;
    if (!PyArg_ParseTuple(args, "O!UUO!OOO!dO!:pick", &PyList_Type, &cands, &pre, &rev, &PyDict_Type, &tries,
                          &negcap, &labcap, &PyFrozenSet_Type, &weak, &threshold, &PyTuple_Type, &consts))
        return NULL;
    double NEGATIVE, BOOST, WEAK_BOOST;
    Py_ssize_t neg_window;
    if (!PyArg_ParseTuple(consts, "dddn:pick consts", &NEGATIVE, &BOOST, &WEAK_BOOST, &neg_window))
        return NULL;
    Trie *neg_t = (Trie *)PyCapsule_GetPointer(negcap, TRIE_CAPSULE);
    if (neg_t == NULL) return NULL;
    Trie *lab_t = NULL;
    if (labcap != Py_None) {
        lab_t = (Trie *)PyCapsule_GetPointer(labcap, TRIE_CAPSULE);
        if (lab_t == NULL) return NULL;
    }
    Py_ssize_t plen = PyUnicode_GET_LENGTH(pre);
    if (PyUnicode_GET_LENGTH(rev) != plen) {
        PyErr_SetString(PyExc_ValueError, "pick: rev is not pre reversed");
        return NULL;
    }
    return pick_core(cands, rev, tries, neg_t, lab_t, weak, threshold, NEGATIVE, BOOST, WEAK_BOOST, neg_window);
}

/* `pick` after its arguments are read (``rev``: the context window reversed, a str; ``cands`` a list) */
static PyObject *pick_core(PyObject *cands, PyObject *rev, PyObject *tries, const Trie *neg_t, const Trie *lab_t,
                           PyObject *weak, double threshold, double NEGATIVE, double BOOST, double WEAK_BOOST,
                           Py_ssize_t neg_window) {
    Py_ssize_t plen = PyUnicode_GET_LENGTH(rev);
    Py_ssize_t neg_lo = plen - neg_window > 0 ? plen - neg_window : 0;
    Py_ssize_t neg = -2;
    PyObject *best = NULL;     /* borrowed */
    PyObject *best_obj = NULL; /* borrowed: the base itself when the score is the base */
    double best_score = -1.0;
    int best_has = 0;
    double best_kscore = -1.0;
    Py_ssize_t best_pos = -2;
    Py_ssize_t nc = PyList_GET_SIZE(cands);
    for (Py_ssize_t c = 0; c < nc; c++) {
        PyObject *item = PyList_GET_ITEM(cands, c);
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) {
            PyErr_SetString(PyExc_TypeError, "pick: candidates are (entity, base) pairs");
            return NULL;
        }
        PyObject *etype = PyTuple_GET_ITEM(item, 0);
        double base = PyFloat_AsDouble(PyTuple_GET_ITEM(item, 1));
        if (base == -1.0 && PyErr_Occurred()) return NULL;
        PyObject *cap = PyDict_GetItemWithError(tries, etype);
        Py_ssize_t pos = -1;
        if (cap == NULL) {
            if (PyErr_Occurred()) return NULL;
        } else {
            Trie *t = (Trie *)PyCapsule_GetPointer(cap, TRIE_CAPSULE);
            if (t == NULL) return NULL;
            pos = last_in(t, rev, 0);
        }
        int w = PySet_Contains(weak, etype);
        if (w < 0) return NULL;
        double boost = w ? WEAK_BOOST : BOOST;
        double score;
        int is_base = 0;
        if (base < 0.8) {
            if (neg == -2) neg = last_in(neg_t, rev, neg_lo);
            if (neg > pos) {
                score = base - NEGATIVE;
                pos = -1;
            } else if (pos >= 0) {
                double x = base + boost;
                score = x < 1.0 ? x : 1.0;
            } else {
                score = base;
                is_base = 1;
            }
        } else if (pos >= 0) {
            double x = base + boost;
            score = x < 1.0 ? x : 1.0;
        } else {
            score = base;
            is_base = 1;
        }
        /* key = (pos >= 0, score, pos): a proposal its context names first */
        int has = pos >= 0;
        int better = has != best_has ? has > best_has
                   : score != best_kscore ? score > best_kscore
                   : pos > best_pos;
        if (better) {
            best = etype;
            best_obj = is_base ? PyTuple_GET_ITEM(item, 1) : NULL;
            best_score = score;
            best_has = has;
            best_kscore = score;
            best_pos = pos;
        }
    }
    if (best == NULL || best_score < threshold) Py_RETURN_NONE;
    if (best_pos < 0 && lab_t != NULL && PyUnicode_Check(best) &&
        PyUnicode_CompareWithASCIIString(best, "PHONE_NUMBER") == 0 && last_in(lab_t, rev, neg_lo) >= 0)
        Py_RETURN_NONE; /* labelled as another kind of id that it failed to be */
    if (best_obj != NULL) return PyTuple_Pack(2, best, best_obj); /* the base object, as Python keeps it */
    return Py_BuildValue("(Od)", best, best_score);
}

/* ---------------------------------------------------------------------------------------------
 * after_maybe: a necessary condition for `_addresses.NUMBER_AFTER.search(window)`.
 * ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(after_maybe_doc,
"after_maybe(window, street_trie, compound_trie) -> bool\n\n"
"False only when ``NUMBER_AFTER`` cannot match the ASCII ``window`` (the text before a number):\n"
"no street word of ``street_trie`` (lower-cased, no letter before it) is followed only by letters,\n"
"blanks and ``'.-,``; no street-word ending of ``compound_trie`` (three characters or more into\n"
"the window) is followed only by ``, \\t.no``. True (ask the pattern) for non-ASCII windows.");

/* `after_maybe` on the window ``text[lo:hi]`` (0 <= lo <= hi <= len): 1 maybe (or not ASCII), 0 no */
static int after_maybe_at(const Txt *T, Py_ssize_t lo, Py_ssize_t hi, const Trie *ta, const Trie *tb) {
    for (Py_ssize_t i = lo; i < hi; i++)
        if (ch(T, i) > 127) return 1;
    Py_ssize_t n = hi - lo;
    /* the last character that may not follow a street word (branch 1) or a compound (branch 2) */
    Py_ssize_t bad_a = -1, bad_b = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS1 c = (Py_UCS1)ch(T, lo + i);
        if (!(is_alpha(c) || c == '\'' || c == '.' || c == '-' || c == ' ' || c == '\t' || c == ',')) bad_a = i;
        if (!(c == ',' || c == ' ' || c == '\t' || c == '.' || c == 'n' || c == 'o' || c == 'N' || c == 'O')) bad_b = i;
    }
    for (Py_ssize_t p = 0; p < n; p++) {
        if (p == 0 || !is_alpha((Py_UCS1)ch(T, lo + p - 1))) {
            int32_t node = 0;
            for (Py_ssize_t q = p; q < n; q++) {
                Py_UCS1 c = (Py_UCS1)ch(T, lo + q);
                node = trie_child(ta, node, is_upper(c) ? (Py_UCS4)(c + 32) : (Py_UCS4)c);
                if (node < 0) break;
                if (ta->nodes[node].end && q + 1 > bad_a) return 1;
            }
        }
        if (p >= 3) {
            int32_t node = 0;
            for (Py_ssize_t q = p; q < n; q++) {
                Py_UCS1 c = (Py_UCS1)ch(T, lo + q);
                node = trie_child(tb, node, is_upper(c) ? (Py_UCS4)(c + 32) : (Py_UCS4)c);
                if (node < 0) break;
                if (tb->nodes[node].end && q + 1 > bad_b) return 1;
            }
        }
    }
    return 0;
}

static PyObject *after_maybe(PyObject *self, PyObject *args) {
    PyObject *window, *cap_a, *cap_b;
    if (!PyArg_ParseTuple(args, "UOO:after_maybe", &window, &cap_a, &cap_b)) return NULL;
    Trie *ta = (Trie *)PyCapsule_GetPointer(cap_a, TRIE_CAPSULE);
    if (ta == NULL) return NULL;
    Trie *tb = (Trie *)PyCapsule_GetPointer(cap_b, TRIE_CAPSULE);
    if (tb == NULL) return NULL;
    Txt T;
    txt_init(&T, window);
    return PyBool_FromLong(after_maybe_at(&T, 0, T.n, ta, tb));
}



/* ---------------------------------------------------------------------------------------------
 * pre_window: `_engine.Detector._pre` (a value's context window) when the window is ASCII and
 * holds no text from before the scan; None otherwise (the caller then runs the Python).
 * ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(pre_window_doc,
"pre_window(text, pos, before, multiline, doc, prev_context, window, line_prefix, max_line)\n"
"-> str | None\n\n``Detector._pre(doc, pos)``, or None where that needs the Python (a non-ASCII\n"
"window, text from ``before``, a one-line text whose previous message counts).");

/* Whether ``doc.column_header(pos)`` may find a header (its cheap exits, with ``ls`` > 0 the start
 * of the line, taken here): 1 when the line holds some delimiter twice (``_layout._has_delims``,
 * through the document's own cache ``doc._delimited``), 0 when it does not or the line runs on
 * past ``max_line``, -1 on error. */
static int line_delimited(const Txt *T, PyObject *doc, Py_ssize_t pos, Py_ssize_t ls, Py_ssize_t max_line) {
    Py_ssize_t n = T->n, le = -1, stop = pos + max_line < n ? pos + max_line : n;
    for (Py_ssize_t i = pos; i < stop; i++)
        if (ch(T, i) == '\n') {
            le = i;
            break;
        }
    if (le < 0) {
        if (n - pos > max_line) return 0;
        le = n;
    }
    PyObject *cache = PyObject_GetAttrString(doc, "_delimited");
    if (cache == NULL) return -1;
    if (!PyDict_Check(cache)) {
        Py_DECREF(cache);
        return 1;  /* not the document we know: let column_header decide */
    }
    PyObject *key = PyLong_FromSsize_t(ls);
    if (key == NULL) {
        Py_DECREF(cache);
        return -1;
    }
    PyObject *got = PyDict_GetItemWithError(cache, key);
    int r = -1;
    if (got == NULL && PyErr_Occurred()) goto done;
    if (got != NULL && PyTuple_Check(got) && PyTuple_GET_SIZE(got) == 2) {
        Py_ssize_t cle = PyLong_AsSsize_t(PyTuple_GET_ITEM(got, 0));
        if (cle == -1 && PyErr_Occurred()) goto done;
        if (cle == le) {
            r = PyObject_IsTrue(PyTuple_GET_ITEM(got, 1));
            goto done;
        }
    }
    {
        /* some delimiter twice in text[ls:le] */
        static const Py_UCS4 delims[4] = {',', '\t', ';', '|'};
        int seen[4] = {0, 0, 0, 0}, twice = 0;
        for (Py_ssize_t i = ls; i < le && !twice; i++) {
            Py_UCS4 c = ch(T, i);
            for (int k = 0; k < 4; k++)
                if (c == delims[k] && ++seen[k] == 2) twice = 1;
        }
        PyObject *val = Py_BuildValue("(nO)", le, twice ? Py_True : Py_False);
        if (val == NULL) goto done;
        int bad = PyDict_SetItem(cache, key, val);
        Py_DECREF(val);
        if (bad < 0) goto done;
        r = twice;
    }
done:
    Py_DECREF(key);
    Py_DECREF(cache);
    return r;
}

/* `pre_window` after its arguments are read (``before`` a str, 0 <= pos <= len, 0 <= window <= 256):
 * the window, None (declined), or NULL on error */
static PyObject *pre_core(const Txt *Tp, Py_ssize_t pos, PyObject *before, int multiline, PyObject *doc,
                          PyObject *prev_context, Py_ssize_t window, Py_ssize_t line_prefix, Py_ssize_t max_line) {
    Txt T = *Tp;
    Py_ssize_t lo = pos - window;
    int has_before = PyUnicode_GET_LENGTH(before) > 0;
    if (lo < 0) {
        if (has_before) Py_RETURN_NONE;
        lo = 0;
    }
    char buf[256];
    Py_ssize_t L = pos - lo;
    for (Py_ssize_t i = 0; i < L; i++) {
        Py_UCS4 c = ch(&T, lo + i);
        if (c > 127) Py_RETURN_NONE;
        buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    /* the sentence: after the last "? ", "! ", line break, or ". " that ends a sentence */
    Py_ssize_t nl = -1, q = -1, x = -1, dot = -1;
    for (Py_ssize_t i = 0; i < L; i++) {
        if (buf[i] == '\n') nl = i;
        if (i + 1 < L && buf[i + 1] == ' ') {
            if (buf[i] == '?') q = i;
            else if (buf[i] == '!') x = i;
            else if (buf[i] == '.') dot = i;
        }
    }
    Py_ssize_t cut = q > x ? q : x;
    if (nl > cut) cut = nl;
    while (dot > cut) {
        Py_ssize_t w = dot;
        while (w > 0 && is_alnum((Py_UCS1)buf[w - 1])) w--;
        int digits = dot > w;
        for (Py_ssize_t i = w; i < dot; i++)
            if (!is_digit((Py_UCS1)buf[i])) digits = 0;
        if (dot - w > 3 || digits) {
            cut = dot;
            break;
        }
        /* pre.rfind(". ", 0, dot): a ". " wholly before dot */
        Py_ssize_t d = -1;
        for (Py_ssize_t i = dot - 2; i >= 0; i--)
            if (buf[i] == '.' && buf[i + 1] == ' ') {
                d = i;
                break;
            }
        dot = d;
    }
    Py_ssize_t start = cut >= 0 ? cut + 1 : 0;
    if (!multiline) {
        if (has_before && nl >= 0 && cut == nl && pos <= line_prefix) Py_RETURN_NONE;
        return PyUnicode_FromStringAndSize(buf + start, L - start);
    }
    /* doc.line_start(pos) */
    Py_ssize_t lsb = pos - max_line > 0 ? pos - max_line : 0, ls = -1;
    for (Py_ssize_t i = pos - 1; i >= lsb; i--)
        if (ch(&T, i) == '\n') {
            ls = i + 1;
            break;
        }
    if (ls < 0) ls = pos <= max_line ? 0 : -1;
    PyObject *pre = PyUnicode_FromStringAndSize(buf + start, L - start);
    if (pre == NULL) return NULL;
    if (ls > 0) {
        int delimited = line_delimited(&T, doc, pos, ls, max_line);
        if (delimited < 0) {
            Py_DECREF(pre);
            return NULL;
        }
        PyObject *header = delimited ? PyObject_CallMethod(doc, "column_header", "n", pos) : Py_NewRef(Py_None);
        if (header == NULL) {
            Py_DECREF(pre);
            return NULL;
        }
        if (header != Py_None) {
            PyObject *r = PyUnicode_FromFormat("%U %U: ", pre, header);
            Py_DECREF(header);
            Py_DECREF(pre);
            return r;
        }
        Py_DECREF(header);
        if (nl >= 0 && cut == nl && pos - ls <= line_prefix) {
            PyObject *prev = PyObject_CallMethod(doc, "prev_line", "n", ls);
            if (prev == NULL) {
                Py_DECREF(pre);
                return NULL;
            }
            PyObject *r = PyObject_CallFunctionObjArgs(prev_context, prev, pre, NULL);
            Py_DECREF(prev);
            Py_DECREF(pre);
            return r;
        }
    }
    return pre;
}

static PyObject *pre_window(PyObject *self, PyObject *args) {
    PyObject *text, *before, *doc, *prev_context;
    Py_ssize_t pos, window, line_prefix, max_line;
    int multiline;
    if (!PyArg_ParseTuple(args, "UnUpOOnnn:pre_window", &text, &pos, &before, &multiline, &doc, &prev_context,
                          &window, &line_prefix, &max_line))
        return NULL;
    Txt T;
    txt_init(&T, text);
    if (pos < 0 || pos > T.n || window < 0 || window > 256) {
        PyErr_SetString(PyExc_IndexError, "pre_window: position or window out of range");
        return NULL;
    }
    return pre_core(&T, pos, before, multiline, doc, prev_context, window, line_prefix, max_line);
}

/* ---------------------------------------------------------------------------------------------
 * name_context: `_names.Names._context` for ASCII text (called by judge); the document's own
 * look-ups (previous line, table column) are its methods, called back.
 * ------------------------------------------------------------------------------------------- */

typedef struct {
    PyObject *signoffs;  /* frozenset */
    PyObject *cues;      /* dict phrase -> kinds */
    PyObject *is_header; /* callable */
    Py_ssize_t max_line;
    double LABELLED, INTRODUCED, SPEAKER, ROLE;
    Py_ssize_t off; /* where the text judged starts in the document (positions asked of `doc`) */
    PyObject *tilde; /* None, or a str.translate table for a previous line that is not ASCII */
    Py_ssize_t prev_chars; /* `_layout.PREV_LINE_CHARS` */
    /* the last line `line_delims` read: [la, lb) and its answer (la < 0: none yet) */
    Py_ssize_t la, lb;
    int ld;
} Ctx;

#define MAXW 64

/* whitespace-split words of buf[0:n] (str.split()): starts/ends, at most MAXW (the last ones) */
static int split_words(const char *buf, Py_ssize_t n, Py_ssize_t *ws, Py_ssize_t *we) {
    int nw = 0;
    Py_ssize_t i = 0;
    while (i < n) {
        while (i < n && py_space((Py_UCS1)buf[i])) i++;
        if (i >= n) break;
        Py_ssize_t a = i;
        while (i < n && !py_space((Py_UCS1)buf[i])) i++;
        if (nw == MAXW) {
            memmove(ws, ws + 1, (MAXW - 1) * sizeof(Py_ssize_t));
            memmove(we, we + 1, (MAXW - 1) * sizeof(Py_ssize_t));
            nw--;
        }
        ws[nw] = a;
        we[nw] = i;
        nw++;
    }
    return nw;
}

/* " ".join(words[from:nw]) as a new str */
static PyObject *join_words(const char *buf, const Py_ssize_t *ws, const Py_ssize_t *we, int from, int nw) {
    Py_ssize_t len = 0;
    for (int i = from; i < nw; i++) len += we[i] - ws[i] + (i > from);
    PyObject *w = PyUnicode_New(len, 127);
    if (w == NULL) return NULL;
    Py_UCS1 *d = PyUnicode_1BYTE_DATA(w);
    Py_ssize_t k = 0;
    for (int i = from; i < nw; i++) {
        if (i > from) d[k++] = ' ';
        memcpy(d + k, buf + ws[i], (size_t)(we[i] - ws[i]));
        k += we[i] - ws[i];
    }
    return w;
}

/* `_phrase(words[lo:nw], set)` is truthy: 1, 0, -1 */
static int phrase_in(const char *buf, const Py_ssize_t *ws, const Py_ssize_t *we, int lo, int nw, PyObject *set) {
    for (int m = 4; m >= 1; m--) {
        if (nw - lo >= m) {
            PyObject *p = join_words(buf, ws, we, nw - m, nw);
            if (p == NULL) return -1;
            int in = PySet_Contains(set, p);
            Py_DECREF(p);
            if (in != 0) return in;
        }
    }
    return 0;
}

/* lower-cased copy of ASCII t[a:b] into buf (b - a <= cap) */
static Py_ssize_t lower_copy(const Py_UCS1 *t, Py_ssize_t a, Py_ssize_t b, char *buf) {
    for (Py_ssize_t i = a; i < b; i++) buf[i - a] = (char)(is_upper(t[i]) ? t[i] + 32 : t[i]);
    return b - a;
}

/* `_SWIFT_PARTY.match(t, i)`: ":50[AFKL]?:", ":59[AF]?:", ":52[AD]:", ":57[AD]:" */
static int swift_party(const Py_UCS1 *t, Py_ssize_t n, Py_ssize_t i) {
    if (i < 0 || i + 4 > n || t[i] != ':' || t[i + 1] != '5') return 0;
    Py_UCS1 c = t[i + 2];
    Py_ssize_t j = i + 3;
    const char *opt = NULL;
    int required = 0;
    if (c == '0') opt = "AFKL";
    else if (c == '9') opt = "AF";
    else if (c == '2' || c == '7') {
        opt = "AD";
        required = 1;
    } else return 0;
    if (j < n && t[j] != 0 && strchr(opt, t[j]) != NULL) {
        if (j + 1 < n && t[j + 1] == ':') return 1;
    }
    if (required) return 0;
    return j < n && t[j] == ':';
}

/* doc.<name>(pos) -> new reference */
static PyObject *doc_call(PyObject *doc, const char *name, Py_ssize_t pos) {
    return PyObject_CallMethod(doc, name, "n", pos);
}

/* the counts of `_layout._DELIMS` (",", "\t", ";", "|") in t[a:b] */
static void count_delims(const Py_UCS1 *t, Py_ssize_t a, Py_ssize_t b, Py_ssize_t cnt[4]) {
    cnt[0] = cnt[1] = cnt[2] = cnt[3] = 0;
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS1 c = t[i];
        cnt[0] += c == ',';
        cnt[1] += c == '\t';
        cnt[2] += c == ';';
        cnt[3] += c == '|';
    }
}

/* Whether `doc.column_header(ns + off)` may be a header: 0 when it is surely None, 1 otherwise (ask
 * doc). A line is a row of `_layout._tables` only when the line right before it holds one of the
 * delimiters as often as it does, twice or more (the header, or a row of the same table, has
 * `count` of them, and so must this line); t holds whole lines of the document (`Names._scan`),
 * so a line of t is a line of the document. Lines longer than max_line, and a line whose previous
 * line is not in t, are asked. One answer per line (the candidates of a line come in order). */
static int line_delims(Ctx *C, const Py_UCS1 *t, Py_ssize_t n, Py_ssize_t ns) {
    if (C->la >= 0 && C->la <= ns && ns < C->lb) return C->ld;
    Py_ssize_t a = ns, lim = ns - C->max_line > 0 ? ns - C->max_line : 0;
    while (a > lim && t[a - 1] != '\n') a--;
    if (a > 0 && t[a - 1] != '\n') return 1; /* a long line: ask */
    Py_ssize_t b = ns, hi = ns + C->max_line < n ? ns + C->max_line : n;
    while (b < hi && t[b] != '\n') b++;
    if (b < n && t[b] != '\n') return 1;
    int ld;
    if (a == 0) {
        ld = C->off > 0; /* the document's first line (no table row), or the line before is not in t */
    } else if (a == 1 && C->off > 0) {
        ld = 1; /* the line before is not in t */
    } else {
        Py_ssize_t cl[4], cp[4];
        count_delims(t, a, b, cl);
        ld = cl[0] >= 2 || cl[1] >= 2 || cl[2] >= 2 || cl[3] >= 2;
        if (ld) {
            /* the line before: t[pa:a - 1] */
            Py_ssize_t pa = a - 1, plim = a - 1 - C->max_line > 0 ? a - 1 - C->max_line : 0;
            while (pa > plim && t[pa - 1] != '\n') pa--;
            if (pa > 0 && t[pa - 1] != '\n') return 1; /* a long line: ask */
            if (pa == 0 && C->off > 0) return 1;        /* it starts before t */
            count_delims(t, pa, a - 1, cp);
            ld = 0;
            for (int d = 0; d < 4; d++)
                if (cl[d] >= 2 && cl[d] == cp[d]) ld = 1;
        }
    }
    C->la = a;
    C->lb = b > a ? b : a + 1;
    C->ld = ld;
    return ld;
}

/* the header's verdict: LABELLED, -1.0, or 2.0 for "no header"; -2.0 on error */
static double header_cue(Ctx *C, const Py_UCS1 *t, Py_ssize_t n, PyObject *doc, Py_ssize_t ns) {
    if (!line_delims(C, t, n, ns)) return 2.0;
    PyObject *h = doc_call(doc, "column_header", ns + C->off);
    if (h == NULL) return -2.0;
    if (h == Py_None) {
        Py_DECREF(h);
        return 2.0;
    }
    PyObject *r = PyObject_CallOneArg(C->is_header, h);
    Py_DECREF(h);
    if (r == NULL) return -2.0;
    int v = PyObject_IsTrue(r);
    Py_DECREF(r);
    if (v < 0) return -2.0;
    return v ? C->LABELLED : -1.0;
}

#define CTX_ERR (-99.0)
#define CTX_PY (-98.0) /* a previous line that is not ASCII: the caller judges in Python */

/* `Doc._prev_line(ls + off)` (`Doc.prev_line`) read in t itself: 1 with the line at t[*pa:*pb]
 * (stripped; empty for ""), or 0 when the look would read before t (off > 0: ask doc). Positions
 * below are the document's; t[i - off] is the document's character i. */
static int prev_line_in(const Ctx *C, const Py_UCS1 *t, Py_ssize_t ls, Py_ssize_t *pa, Py_ssize_t *pb) {
    const Py_ssize_t off = C->off, W = C->prev_chars, LS = ls + off;
    Py_ssize_t end = LS - 1;
    *pa = *pb = 0;
    while (end > 0) {
        Py_ssize_t lo = end - W > 0 ? end - W : 0;
        if (lo < off) return 0;
        Py_ssize_t s = 0; /* text.rfind("\n", lo, end) + 1 */
        for (Py_ssize_t i = end - 1; i >= lo; i--)
            if (t[i - off] == '\n') {
                s = i + 1;
                break;
            }
        Py_ssize_t a = s > end - W ? s : end - W, b = end;
        while (a < b && py_space(t[a - off])) a++;
        while (b > a && py_space(t[b - 1 - off])) b--;
        if (b > a) {
            *pa = a - off;
            *pb = b - off;
            return 1;
        }
        if (s == 0 && end > W) break;
        end = s - 1;
        if (LS - end > 4 * W) break;
    }
    return 1;
}

static double name_context(Ctx *C, const Py_UCS1 *t, Py_ssize_t n, Py_ssize_t ns, int k, PyObject *doc) {
    char buf[128];
    Py_ssize_t wsa[MAXW], wea[MAXW];
    /* doc.line_start(ns) */
    Py_ssize_t lo_search = ns - C->max_line > 0 ? ns - C->max_line : 0, ls = -1;
    for (Py_ssize_t i = ns - 1; i >= lo_search; i--) {
        if (t[i] == '\n') {
            ls = i + 1;
            break;
        }
    }
    if (ls < 0) ls = ns <= C->max_line ? 0 : -1;
    if (ls < 0) ls = ns - 48;
    Py_ssize_t pa = ls > ns - 48 ? ls : ns - 48; /* pre = t[pa:ns] (pa >= 0 here) */
    if (pa < 0) pa = 0;
    int blank = 1;
    for (Py_ssize_t i = pa; i < ns; i++)
        if (!py_space(t[i])) blank = 0;
    if (blank || (ns > pa && t[ns - 1] == '/')) {
        if (ls > 0) {
            Py_ssize_t qa, qb;
            PyObject *prev = NULL; /* the line from doc, when it is not read in t */
            const Py_UCS1 *pv;
            Py_ssize_t pn;
            if (prev_line_in(C, t, ls, &qa, &qb)) {
                pv = t + qa;
                pn = qb - qa;
            } else {
                prev = doc_call(doc, "prev_line", ls + C->off);
                if (prev == NULL) return CTX_ERR;
                if (!PyUnicode_Check(prev)) {
                    Py_DECREF(prev);
                    PyErr_SetString(PyExc_TypeError, "judge: prev_line gave no str");
                    return CTX_ERR;
                }
                if (!PyUnicode_IS_ASCII(prev) && C->tilde != Py_None) {
                    PyObject *tr = PyObject_CallMethod(prev, "translate", "O", C->tilde);
                    Py_DECREF(prev);
                    if (tr == NULL) return CTX_ERR;
                    if (!PyUnicode_Check(tr)) {
                        Py_DECREF(tr);
                        PyErr_SetString(PyExc_TypeError, "judge: translate gave no str");
                        return CTX_ERR;
                    }
                    prev = tr;
                }
                if (!PyUnicode_IS_ASCII(prev)) {
                    Py_DECREF(prev);
                    return CTX_PY;
                }
                pv = PyUnicode_1BYTE_DATA(prev);
                pn = PyUnicode_GET_LENGTH(prev);
            }
            if (pn > 0) {
                Py_UCS1 lc = pv[pn - 1];
                if (lc == ',' || lc == '.' || lc == '!' || is_alpha(lc)) {
                    Py_ssize_t a = pn > 40 ? pn - 40 : 0;
                    Py_ssize_t L = lower_copy(pv, a, pn, buf);
                    while (L > 0 && strchr(",.! ", buf[L - 1]) != NULL) L--;
                    int nw = split_words(buf, L, wsa, wea);
                    int r = phrase_in(buf, wsa, wea, 0, nw, C->signoffs);
                    if (r < 0) {
                        Py_XDECREF(prev);
                        return CTX_ERR;
                    }
                    if (r) {
                        Py_XDECREF(prev);
                        return C->INTRODUCED;
                    }
                }
            }
            int sw = (pn >= 2 && pv[0] == ':' && pv[1] == '5' && swift_party(pv, pn, 0)) ||
                     (ls + 2 <= n && t[ls] == ':' && t[ls + 1] == '5' && swift_party(t, n, ls));
            Py_XDECREF(prev);
            if (sw) return C->LABELLED;
        }
        double h = header_cue(C, t, n, doc, ns);
        if (h == -2.0) return CTX_ERR;
        if (h != 2.0) return h;
        Py_ssize_t lim = ns + 64 < n ? ns + 64 : n;
        Py_ssize_t le = -1;
        for (Py_ssize_t i = ns; i < lim; i++)
            if (t[i] == '\n') {
                le = i;
                break;
            }
        Py_ssize_t re_ = le >= 0 ? le : lim;
        Py_ssize_t colon = -1;
        for (Py_ssize_t i = ns; i < re_; i++)
            if (t[i] == ':') {
                colon = i - ns;
                break;
            }
        if (colon > 0 && colon <= 40) {
            int sp = 0;
            for (Py_ssize_t i = ns; i < ns + colon; i++) sp += t[i] == ' ';
            if (sp <= 3) return C->SPEAKER;
        }
        /* a record row without a header: "Kwame Mensah,166-66-7739,01/02/1980" */
        {
            Py_ssize_t j = ns;
            int sp = 0;
            while (j < re_ && (is_alpha(t[j]) || t[j] == ' ' || t[j] == '\'' || t[j] == '.' || t[j] == '-')) {
                sp += t[j] == ' ';
                j++;
            }
            if (j < re_ && (t[j] == ',' || t[j] == ';' || t[j] == '|') && sp <= 4) {
                Py_ssize_t q = j + 1;
                while (q < re_ && t[q] == ' ') q++;
                if (q < re_ && (is_digit(t[q]) || ((t[q] == '+' || t[q] == '(') && q + 1 < re_ && is_digit(t[q + 1]))))
                    return C->SPEAKER;
            }
        }
        return 0.0;
    }
    if (ls >= 0 && ls + 2 <= n && t[ls] == ':' && t[ls + 1] == '5' && swift_party(t, n, ls)) {
        /* pre.lstrip(":/0123456789ABCDEFKL").strip() == "" */
        Py_ssize_t i = pa;
        while (i < ns && t[i] != 0 && strchr(":/0123456789ABCDEFKL", t[i]) != NULL) i++;
        int rest_blank = 1;
        for (; i < ns; i++)
            if (!py_space(t[i])) rest_blank = 0;
        if (rest_blank) return C->LABELLED;
    }
    /* pre.rstrip().endswith(",") */
    Py_ssize_t pe = ns;
    while (pe > pa && py_space(t[pe - 1])) pe--;
    if (pe > pa && t[pe - 1] == ',') {
        Py_ssize_t a = ns - 40 > pa ? ns - 40 : pa;
        Py_ssize_t L = lower_copy(t, a, ns, buf);
        while (L > 0 && (buf[L - 1] == ',' || buf[L - 1] == ' ')) L--;
        int nw = split_words(buf, L, wsa, wea);
        int r = phrase_in(buf, wsa, wea, 0, nw, C->signoffs);
        if (r < 0) return CTX_ERR;
        if (r) {
            int ok = nw < 3;
            if (!ok) {
                char c = buf[wea[nw - 3] - 1];
                ok = c == '.' || c == '!' || c == '?';
            }
            if (!ok) {
                r = phrase_in(buf, wsa, wea, nw >= 2 ? nw - 2 : 0, nw, C->signoffs);
                if (r < 0) return CTX_ERR;
                ok = r;
            }
            if (ok) return C->INTRODUCED;
        }
    }
    /* `_tail(pre)`: the last words, and whether a delimiter follows them */
    Py_ssize_t te = pe;
    int delim = 0;
    while (te > pa && t[te - 1] != 0 && strchr(":=->\"'{([|", t[te - 1]) != NULL) {
        delim = 1;
        te--;
        while (te > pa && py_space(t[te - 1])) te--;
    }
    Py_ssize_t a = te - 40 > pa ? te - 40 : pa;
    Py_ssize_t L = lower_copy(t, a, te, buf);
    for (Py_ssize_t i = 0; i < L; i++)
        if (buf[i] != 0 && strchr("\"{}()[]_,;|", buf[i]) != NULL) buf[i] = ' ';
    int nw = split_words(buf, L, wsa, wea);
    int from = nw > 4 ? nw - 4 : 0;
    for (int i = from; i < nw; i++) { /* w.strip("'") */
        while (wsa[i] < wea[i] && buf[wsa[i]] == '\'') wsa[i]++;
        while (wea[i] > wsa[i] && buf[wea[i] - 1] == '\'') wea[i]--;
    }
    long kinds = 0;
    for (int m = nw - from; m >= 1; m--) {
        PyObject *p = join_words(buf, wsa, wea, nw - m, nw);
        if (p == NULL) return CTX_ERR;
        PyObject *v = PyDict_GetItemWithError(C->cues, p);
        Py_DECREF(p);
        if (v == NULL) {
            if (PyErr_Occurred()) return CTX_ERR;
            continue;
        }
        long kv = PyLong_AsLong(v);
        if (kv == -1 && PyErr_Occurred()) return CTX_ERR;
        kinds |= kv;
    }
    if (kinds) {
        if ((kinds & 1) && (delim || (kinds & 2))) return C->LABELLED;
        if ((kinds & 4) && (delim || k >= 2)) return C->ROLE;
        if (!delim && (kinds & 8)) return C->INTRODUCED;
    }
    double h = header_cue(C, t, n, doc, ns);
    if (h == -2.0) return CTX_ERR;
    if (h != 2.0) return h;
    return 0.0;
}

/* ---------------------------------------------------------------------------------------------
 * judge: `_names.Names._judge` for ASCII text; the look-ups that read the document (context,
 * surnames, a comma-separated given name, an organisation after "and") are Python callbacks.
 * ------------------------------------------------------------------------------------------- */

#define MAX_TOKS 64

typedef struct {
    Py_ssize_t a, b;   /* the token (full stops at its end dropped) */
    PyObject *folded;  /* lower-cased, apostrophes dropped */
} Tok;

/* set membership of a str: 1, 0, -1 */
static int in_set(PyObject *set, PyObject *w) { return PySet_Contains(set, w); }

/* lower-cased ASCII t[a:b] without apostrophes (and, when drop_dots_slashes, without . and /) */
static PyObject *fold_ascii(const Py_UCS1 *t, Py_ssize_t a, Py_ssize_t b, int drop_dots_slashes) {
    Py_ssize_t len = 0;
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS1 c = t[i];
        if (c == '\'' && !drop_dots_slashes) continue;
        if (drop_dots_slashes && (c == '.' || c == '/')) continue;
        len++;
    }
    PyObject *w = PyUnicode_New(len, 127);
    if (w == NULL) return NULL;
    Py_UCS1 *d = PyUnicode_1BYTE_DATA(w);
    Py_ssize_t k = 0;
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS1 c = t[i];
        if (c == '\'' && !drop_dots_slashes) continue;
        if (drop_dots_slashes && (c == '.' || c == '/')) continue;
        d[k++] = is_upper(c) ? (Py_UCS1)(c + 32) : c;
    }
    return w;
}


/* callback returning a bool: 1, 0, -1 */
static int call_bool(PyObject *fn, PyObject *arg) {
    PyObject *r = PyObject_CallOneArg(fn, arg);
    if (r == NULL) return -1;
    int v = PyObject_IsTrue(r);
    Py_DECREF(r);
    return v;
}

/* zlib.crc32 (CRC-32, reflected polynomial 0xEDB88320), for the surname list's CRC-32s */
static uint32_t CRC_TABLE[256];

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        CRC_TABLE[i] = c;
    }
}

static uint32_t crc32_of(const Py_UCS1 *p, Py_ssize_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (Py_ssize_t i = 0; i < n; i++) c = CRC_TABLE[(c ^ p[i]) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* what `judge` and `names_scan` read of ``Names._cfg``, parsed once a call */
typedef struct {
    PyObject *titles, *salut, *after_stop, *street, *stop, *months, *firms, *ands, *first_names;
    PyObject *org_after_and, *comma_first_end, *person, *person_verbs;
    double TITLED, GREETED, LABELLED, ROLE, SPEAKER, LISTED, PARTIAL, INTRODUCED;
    Py_buffer lastbuf; /* the surnames' CRC-32s, sorted (array('I')) */
    const uint32_t *last;
    Py_ssize_t nlast;
    Ctx C; /* the context's part, less the per-call fields (off, tilde, the line cache) */
} JCfg;

/* parse cfg into J (0), or set an exception (-1); on success the caller calls jcfg_release */
static int jcfg_parse(PyObject *cfg, JCfg *J) {
    PyObject *lastobj, *scores, *ctxcfg;
    if (!PyArg_ParseTuple(cfg, "O!O!O!O!O!O!O!O!O!OOOUO!O!O!:judge cfg", &PyFrozenSet_Type, &J->titles,
                          &PyFrozenSet_Type, &J->salut, &PyFrozenSet_Type, &J->after_stop, &PyFrozenSet_Type,
                          &J->street, &PyFrozenSet_Type, &J->stop, &PyFrozenSet_Type, &J->months, &PyFrozenSet_Type,
                          &J->firms, &PyFrozenSet_Type, &J->ands, &PyFrozenSet_Type, &J->first_names, &lastobj,
                          &J->org_after_and, &J->comma_first_end, &J->person, &PyTuple_Type, &scores, &PyTuple_Type,
                          &ctxcfg, &PyFrozenSet_Type, &J->person_verbs))
        return -1;
    if (!PyArg_ParseTuple(scores, "dddddddd:judge scores", &J->TITLED, &J->GREETED, &J->LABELLED, &J->ROLE,
                          &J->SPEAKER, &J->LISTED, &J->PARTIAL, &J->INTRODUCED))
        return -1;
    Ctx *C = &J->C;
    if (!PyArg_ParseTuple(ctxcfg, "O!O!Onn:judge context", &PyFrozenSet_Type, &C->signoffs, &PyDict_Type, &C->cues,
                          &C->is_header, &C->max_line, &C->prev_chars))
        return -1;
    if (C->max_line < 1 || C->prev_chars < 1) {
        PyErr_SetString(PyExc_ValueError, "judge: max_line and prev_chars must be positive");
        return -1;
    }
    C->LABELLED = J->LABELLED;
    C->INTRODUCED = J->INTRODUCED;
    C->SPEAKER = J->SPEAKER;
    C->ROLE = J->ROLE;
    C->off = 0;
    C->tilde = Py_None;
    C->la = C->lb = -1;
    C->ld = 1;
    if (PyObject_GetBuffer(lastobj, &J->lastbuf, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) return -1;
    if (J->lastbuf.itemsize != 4 || J->lastbuf.ndim != 1 || J->lastbuf.format == NULL ||
        strcmp(J->lastbuf.format, "I") != 0) {
        PyBuffer_Release(&J->lastbuf);
        PyErr_SetString(PyExc_TypeError, "judge: the surnames must be an array('I') of CRC-32s");
        return -1;
    }
    J->last = (const uint32_t *)J->lastbuf.buf;
    J->nlast = J->lastbuf.len / 4;
    return 0;
}

static void jcfg_release(JCfg *J) { PyBuffer_Release(&J->lastbuf); }

/* `Names.is_first(folded)`: a known given name that is no common word; 1, 0, -1 */
static int c_is_first(const JCfg *J, PyObject *folded) {
    int r = in_set(J->first_names, folded);
    if (r <= 0) return r;
    r = in_set(J->stop, folded);
    return r < 0 ? -1 : !r;
}

/* `Names.is_last(folded)` for an ASCII str: 1, 0, -1 */
static int c_is_last(const JCfg *J, PyObject *folded) {
    int r = in_set(J->stop, folded);
    if (r != 0) return r < 0 ? -1 : 0;
    Py_ssize_t L = PyUnicode_GET_LENGTH(folded);
    if (L < 2) return 0;
    const Py_UCS1 *d = PyUnicode_1BYTE_DATA(folded);
    Py_ssize_t a = 0;
    for (Py_ssize_t i = 0; i <= L; i++) {
        if (i < L && d[i] != '-') continue;
        uint32_t c = crc32_of(d + a, i - a); /* each part of folded.split("-") */
        Py_ssize_t lo = 0, hi = J->nlast;
        while (lo < hi) {
            Py_ssize_t mid = lo + (hi - lo) / 2;
            if (J->last[mid] < c) lo = mid + 1;
            else hi = mid;
        }
        if (lo < J->nlast && J->last[lo] == c) return 1;
        a = i + 1;
    }
    return 0;
}

PyDoc_STRVAR(is_last_doc,
"is_last(cfg, folded) -> bool\n\n"
"``Names.is_last(folded)`` for an ASCII ``folded``, with ``cfg`` (``Names._cfg``): not a common\n"
"word, two characters or more, and one part between hyphens on the surname list.");

static PyObject *is_last(PyObject *self, PyObject *args) {
    PyObject *cfg, *folded;
    if (!PyArg_ParseTuple(args, "O!U:is_last", &PyTuple_Type, &cfg, &folded)) return NULL;
    if (!PyUnicode_IS_ASCII(folded)) {
        PyErr_SetString(PyExc_ValueError, "is_last needs an ASCII word");
        return NULL;
    }
    JCfg J;
    if (jcfg_parse(cfg, &J) < 0) return NULL;
    int r = c_is_last(&J, folded);
    jcfg_release(&J);
    if (r < 0) return NULL;
    return PyBool_FromLong(r);
}

/* `_names._next_word(t, i)` for ASCII t: the next word, lower case, without dots and slashes (a new
 * reference; NULL on error) */
static PyObject *next_word_ascii(const Py_UCS1 *t, Py_ssize_t n, Py_ssize_t i) {
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == ',')) i++;
    Py_ssize_t a = i;
    while (i < n && (is_alnum(t[i]) || t[i] == '&' || t[i] == '.' || t[i] == '/')) i++;
    return fold_ascii(t, a, i, 1);
}

/* `_names._DOT_TITLES`: the words a title's full stop may follow */
static int dot_title(const Py_UCS1 *w, Py_ssize_t len) {
    static const char *const T[] = {"Mrs", "Mr", "Ms", "Dr", "Prof", "Sr", "Sra", "Srta", "Jr", "St", "Mme", "Mlle",
                                    "Hr", "Fr", "Dott", "Sig", "Mag", "Ing"};
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++)
        if ((Py_ssize_t)strlen(T[i]) == len && memcmp(T[i], w, (size_t)len) == 0) return 1;
    return 0;
}

/* `_names._is_tok(t[a:b])` (ASCII) */
static int ascii_tok(const Py_UCS1 *t, Py_ssize_t a, Py_ssize_t b) {
    if (b <= a || !is_upper(t[a])) return 0;
    if (t[b - 1] == '.') return b - a == 2 || dot_title(t + a, b - a - 1);
    if (b - a == 1) return 1;
    if (!is_alpha(t[b - 1])) return 0;
    for (Py_ssize_t i = a + 1; i < b - 1; i++)
        if (!is_alpha(t[i]) && t[i] != '\'' && t[i] != '-') return 0;
    return 1;
}

/* `_names._amp_after(t, e)` (ASCII): the number of words found (0-2), their bounds in w[0..3];
 * 0 also when an organisation word follows them; -1 on error */
static int amp_after(const JCfg *J, const Py_UCS1 *t, Py_ssize_t n0, Py_ssize_t e, Py_ssize_t w[4]) {
    Py_ssize_t n = n0 < e + 64 ? n0 : e + 64, i = e;
    while (i < n && (t[i] == ' ' || t[i] == '\t')) i++;
    if (i >= n || t[i] != '&') return 0;
    int got = 0;
    i++;
    while (got < 2) {
        Py_ssize_t a = i;
        while (i < n && (t[i] == ' ' || t[i] == '\t')) i++;
        if (got && i == a) break;
        Py_ssize_t k = i;
        while (k < n && (is_alpha(t[k]) || t[k] == '\'' || t[k] == '-')) k++;
        if (k < n && t[k] == '.' && (k - i == 1 || dot_title(t + i, k - i))) k++;
        else
            while (k > i && (t[k - 1] == '\'' || t[k - 1] == '-')) k--;
        if (!ascii_tok(t, i, k)) break;
        w[2 * got] = i;
        w[2 * got + 1] = k;
        got++;
        i = k;
    }
    if (!got) return 0;
    PyObject *nxt = next_word_ascii(t, n0, i); /* in the full text's bounds */
    if (nxt == NULL) return -1;
    int r = in_set(J->after_stop, nxt);
    Py_DECREF(nxt);
    return r < 0 ? -1 : r ? 0 : got;
}

/* `_names._amp_before(t, j)` (ASCII, t[j] == '&'): as `amp_after` */
static int amp_before(const Py_UCS1 *t, Py_ssize_t j, Py_ssize_t w[4]) {
    Py_ssize_t lo = j - 60 > 0 ? j - 60 : 0, b = j;
    for (Py_ssize_t i = j - 1; i >= lo; i--)
        if (t[i] == '\n') {
            lo = i + 1;
            break;
        }
    while (b > lo && (t[b - 1] == ' ' || t[b - 1] == '\t')) b--;
    Py_ssize_t p1 = b - 1;
    while (p1 >= lo && t[p1] != ' ' && t[p1] != '\t') p1--;
    if (!ascii_tok(t, p1 + 1, b)) return 0;
    if (p1 >= lo) {
        Py_ssize_t p2 = p1 - 1;
        while (p2 >= lo && t[p2] != ' ' && t[p2] != '\t') p2--;
        if (ascii_tok(t, p2 + 1, p1)) {
            w[0] = p2 + 1, w[1] = p1, w[2] = p1 + 1, w[3] = b;
            return 2;
        }
    }
    w[0] = p1 + 1, w[1] = b;
    return 1;
}

/* `Names._couple(toks[lo:nt], titled, w1, w2)` once the far side's words are found: 1, 0, -1 */
static int couple(const JCfg *J, const Tok *toks, int lo, int nt, int titled, const Py_UCS1 *t, int got,
                  const Py_ssize_t w[4]) {
    if (got == 0) return 0;
    int r;
    if (!titled) {
        int kept = 0;
        for (int i = lo; i < nt; i++) {
            r = in_set(J->stop, toks[i].folded);
            if (r < 0) return -1;
            kept += !r;
        }
        if (kept < 2 || lo >= nt) return 0;
        r = c_is_first(J, toks[lo].folded);
        if (r <= 0) return r;
    }
    Py_ssize_t b = w[1];
    while (b > w[0] && t[b - 1] == '.') b--;
    PyObject *f1 = fold_ascii(t, w[0], b, 0);
    if (f1 == NULL) return -1;
    r = in_set(J->titles, f1);
    if (r || got < 2) {
        Py_DECREF(f1);
        return r;
    }
    r = c_is_first(J, f1);
    Py_DECREF(f1);
    return r;
}

/* `Names._judge(doc, s + C->off, e + C->off)` for ASCII t = text: a new reference to the hit, None,
 * NotImplemented (judge in Python); NULL on error */
static PyObject *judge_impl(const JCfg *J, Ctx *C, PyObject *text, const Py_UCS1 *t, Py_ssize_t n, Py_ssize_t s,
                            Py_ssize_t e, PyObject *doc) {
    const Py_ssize_t off = C->off;
    Tok toks[MAX_TOKS];
    int nt = 0, lo = 0; /* toks[lo:nt] are the live tokens */
    PyObject *result = NULL;
    int r;
    /* the capitalised tokens of text[s:e] (particles are lower case and no tokens) */
    for (Py_ssize_t i = s; i < e;) {
        while (i < e && py_space(t[i])) i++;
        if (i >= e) break;
        Py_ssize_t a = i;
        while (i < e && !py_space(t[i])) i++;
        if (is_upper(t[a])) {
            Py_ssize_t b = i;
            while (b > a && t[b - 1] == '.') b--;
            if (nt >= MAX_TOKS) {
                PyErr_SetString(PyExc_ValueError, "judge: more capitalised words than a sequence holds");
                goto done;
            }
            toks[nt].a = a;
            toks[nt].b = b;
            toks[nt].folded = fold_ascii(t, a, b, 0);
            if (toks[nt].folded == NULL) goto done;
            nt++;
        }
    }
#define FAIL_IF(x) do { if ((x) < 0) goto done; } while (0)
#define RETURN_NONE do { result = Py_None; Py_INCREF(result); goto done; } while (0)
    double cue = 0.0;
    int acted = 0; /* a person's verb right after the sequence */
    int titled = 0; /* a title before it: "Herr Müller, Ihre ..." is no "SMITH, John" */
    /* leading titles and greetings */
    while (lo < nt) {
        int ti = in_set(J->titles, toks[lo].folded);
        FAIL_IF(ti);
        int sa = ti ? 0 : in_set(J->salut, toks[lo].folded);
        FAIL_IF(sa);
        if (!ti && !sa) break;
        if (ti) titled = 1;
        double c = ti ? J->TITLED : J->GREETED;
        if (c > cue) cue = c;
        lo++;
    }
    if (lo < nt) {
        PyObject *last = toks[nt - 1].folded, *first = toks[lo].folded;
        r = in_set(J->after_stop, last);
        FAIL_IF(r);
        if (r) RETURN_NONE;
        /* a street word that is no name ends or starts it */
        r = in_set(J->street, last);
        FAIL_IF(r);
        if (r) {
            r = c_is_last(J, last);
            FAIL_IF(r);
            if (!r) RETURN_NONE;
        }
        r = in_set(J->street, first);
        FAIL_IF(r);
        if (r) {
            int fn = c_is_first(J, first);
            FAIL_IF(fn);
            if (!fn) {
                r = c_is_last(J, first);
                FAIL_IF(r);
                if (!r) RETURN_NONE;
            }
        }
        PyObject *nxt = next_word_ascii(t, n, e); /* the word after the sequence */
        if (nxt == NULL) goto done;
        acted = in_set(J->person_verbs, nxt);
        if (acted < 0) {
            Py_DECREF(nxt);
            goto done;
        }
        int amp = PyUnicode_GET_LENGTH(nxt) == 1 && PyUnicode_1BYTE_DATA(nxt)[0] == '&';
        if (amp) {
            /* two people or a firm ("Tom Baker & Sylvia Baker", "Marks & Spencer"): `_couple` */
            Py_ssize_t w[4];
            int got = amp_after(J, t, n, e, w);
            r = got < 0 ? -1 : couple(J, toks, lo, nt, titled, t, got, w);
            if (r <= 0) Py_DECREF(nxt);
            FAIL_IF(r);
            if (!r) RETURN_NONE;
        }
        int stop_next = amp ? 0 : in_set(J->after_stop, nxt);
        if (stop_next == 0 && !amp) {
            stop_next = in_set(J->ands, nxt);
            if (stop_next > 0) {
                PyObject *pe = PyLong_FromSsize_t(e);
                if (pe == NULL) {
                    stop_next = -1;
                } else {
                    PyObject *rr = PyObject_CallFunctionObjArgs(J->org_after_and, text, pe, NULL);
                    Py_DECREF(pe);
                    if (rr == NULL) {
                        stop_next = -1;
                    } else {
                        stop_next = PyObject_IsTrue(rr);
                        Py_DECREF(rr);
                    }
                }
            }
        }
        int digits = 0;
        if (stop_next == 0) {
            Py_ssize_t L = PyUnicode_GET_LENGTH(nxt);
            digits = L > 0;
            for (Py_ssize_t k = 0; k < L; k++)
                if (!is_digit(PyUnicode_1BYTE_DATA(nxt)[k])) digits = 0;
        }
        Py_DECREF(nxt);
        FAIL_IF(stop_next);
        if (stop_next) RETURN_NONE;
        if (digits) {
            r = in_set(J->months, last);
            FAIL_IF(r);
            if (r) RETURN_NONE; /* "May 14, 1950" */
        }
        Py_ssize_t j = s - 1;
        while (j > 0 && t[j] == ' ') j--;
        if (j >= 0 && t[j] == '&') { /* the far side of an "&": `_couple` */
            Py_ssize_t w[4];
            int got = amp_before(t, j, w);
            r = couple(J, toks, lo, nt, titled, t, got, w);
            FAIL_IF(r);
            if (!r) RETURN_NONE;
        }
    }
    /* cut at the first common word */
    while (lo < nt) {
        r = in_set(J->stop, toks[lo].folded);
        FAIL_IF(r);
        if (!r) break;
        lo++;
    }
    for (int i = lo; i < nt; i++) {
        r = in_set(J->stop, toks[i].folded);
        FAIL_IF(r);
        if (r) {
            for (int q = i; q < nt; q++) Py_CLEAR(toks[q].folded);
            nt = i;
            break;
        }
    }
    int k = nt - lo;
    if (k <= 0 || k > 6) RETURN_NONE;
    Py_ssize_t ns = toks[lo].a, ne = toks[nt - 1].b;
    PyObject *first = toks[lo].folded, *last = toks[nt - 1].folded;
    if (k == 2) { /* f"{first}-{last}" in FIRMS */
        Py_ssize_t l1 = PyUnicode_GET_LENGTH(first), l2 = PyUnicode_GET_LENGTH(last);
        PyObject *firm = PyUnicode_New(l1 + 1 + l2, 127);
        if (firm == NULL) goto done;
        Py_UCS1 *d = PyUnicode_1BYTE_DATA(firm);
        memcpy(d, PyUnicode_1BYTE_DATA(first), (size_t)l1);
        d[l1] = '-';
        memcpy(d + l1 + 1, PyUnicode_1BYTE_DATA(last), (size_t)l2);
        r = in_set(J->firms, firm);
        Py_DECREF(firm);
        FAIL_IF(r);
        if (r) RETURN_NONE;
    }
    {
        int initials = 1;
        for (int i = lo; i < nt; i++)
            if (PyUnicode_GET_LENGTH(toks[i].folded) > 1) initials = 0;
        if (initials) RETURN_NONE;
    }
    if (cue == 0.0) {
        cue = name_context(C, t, n, ns, k, doc);
        if (cue == CTX_ERR) goto done;
        if (cue == CTX_PY) {
            result = Py_NotImplemented;
            Py_INCREF(result);
            goto done;
        }
        if (cue < 0) RETURN_NONE;
    }
    if (cue == 0.0 && k == 1) RETURN_NONE;
    if (k > 4 && cue < J->LABELLED) RETURN_NONE;
    int fn = c_is_first(J, first);
    FAIL_IF(fn);
    int ln = 0;
    if (k >= 2) {
        ln = c_is_last(J, last);
        FAIL_IF(ln);
    }
    if (cue >= J->LABELLED && k <= 2 && !titled && ne < n && t[ne] == ',') {
        /* `_comma_first_end` (its pattern starts with the comma) */
        PyObject *rr = PyObject_CallFunction(J->comma_first_end, "On", text, ne);
        if (rr == NULL) goto done;
        ne = PyLong_AsSsize_t(rr);
        Py_DECREF(rr);
        if (ne == -1 && PyErr_Occurred()) goto done;
    }
    double score;
    if (cue >= J->GREETED && cue != J->ROLE) {
        score = cue;
        if (k == 1 && !fn && cue < J->LABELLED) {
            r = c_is_last(J, first);
            FAIL_IF(r);
            if (!r) score = cue - 0.15;
        }
    } else {
        if (cue == J->ROLE && k >= 2) {
            /* text[ns - 2:ns - 1] not in ":=", with Python's slicing */
            PyObject *sl = PySequence_GetSlice(text, ns - 2, ns - 1);
            if (sl == NULL) goto done;
            PyObject *delims = PyUnicode_FromString(":=");
            if (delims == NULL) {
                Py_DECREF(sl);
                goto done;
            }
            r = PySequence_Contains(delims, sl);
            Py_DECREF(delims);
            Py_DECREF(sl);
            FAIL_IF(r);
            if (!r) {
                score = cue;
                goto hit;
            }
        }
        if (cue == J->SPEAKER || cue == J->ROLE) {
            if (!(fn || ln)) RETURN_NONE;
            score = cue;
        } else if (k < 2) {
            RETURN_NONE;
        } else if (fn && ln) {
            score = J->LISTED;
        } else if (!(fn || ln || (acted && ne == e && k <= 3))) {
            RETURN_NONE;
        } else {
            acted = acted && ne == e && k <= 3;
            /* upper case throughout, or the first word of a sentence: no */
            int all_upper = 1;
            for (int i = lo; i < nt && all_upper; i++) {
                int cased = 0;
                for (Py_ssize_t q = toks[i].a; q < toks[i].b; q++) {
                    if (is_lower(t[q])) {
                        all_upper = 0;
                        break;
                    }
                    if (is_upper(t[q])) cased = 1;
                }
                if (!cased) all_upper = 0;
            }
            if (all_upper) RETURN_NONE;
            Py_ssize_t j = ns - 1;
            while (j >= 0 && (t[j] == ' ' || t[j] == '\t' || t[j] == '"' || t[j] == '\'' || t[j] == '(')) j--;
            if (!acted && (j < 0 || (t[j] != 0 && strchr(".!?\n:;>", t[j]) != NULL))) RETURN_NONE;
            score = J->PARTIAL;
        }
    }
hit:
    result = Py_BuildValue("(nnOd)", ns + off, ne + off, J->person, score);
done:
    for (int i = 0; i < nt; i++) Py_XDECREF(toks[i].folded);
    return result;
#undef FAIL_IF
#undef RETURN_NONE
}

PyDoc_STRVAR(judge_doc,
"judge(text, s, e, doc, cfg, off=0, tilde=None) -> (start, end, 'PERSON', score) | None | NotImplemented\n\n"
"``Names._judge(doc, s + off, e + off)`` for ASCII ``text``: ``doc.text``, or (``off`` > 0) the\n"
"whole lines ``doc.text[off:off + len(text)]``, with the newline before them when there is one\n"
"and after them when there is one (a name is judged from its own line and the line before it;\n"
"the positions returned are the document's). NotImplemented: the line before the name is not\n"
"ASCII (after ``prev.translate(tilde)``, when ``tilde`` is given): judge it in Python. ``cfg`` (``Names._cfg``):\n"
"(titles, salutations, after_stop, street_words, stop, months, firms, ands, first_names,\n"
" surnames, org_after_and, comma_first_end, person, scores, context, person_verbs), surnames being\n"
"the sorted CRC-32s of ``Names.is_last`` (array('I')), scores\n"
"(TITLED, GREETED, LABELLED, ROLE, SPEAKER, LISTED, PARTIAL, INTRODUCED) and context\n"
"(signoffs, cues, is_name_header, max_line, prev_line_chars) for ``Names._context``, done here too.\n"
"The previous line and the table test are read in ``text`` where it holds them (``Doc.prev_line``,\n"
"``Doc.column_header`` are the reference), else asked of ``doc``.");

static PyObject *judge(PyObject *self, PyObject *args) {
    PyObject *text, *doc, *cfg;
    Py_ssize_t s, e;
    Py_ssize_t off = 0;
    PyObject *tilde = Py_None;
    if (!PyArg_ParseTuple(args, "UnnOO!|nO:judge", &text, &s, &e, &doc, &PyTuple_Type, &cfg, &off, &tilde))
        return NULL;
    if (off < 0) {
        PyErr_SetString(PyExc_ValueError, "judge: a negative offset");
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_ValueError, "judge needs an ASCII text");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (s < 0 || e < s || e > n) {
        PyErr_SetString(PyExc_IndexError, "judge: span out of range");
        return NULL;
    }
    JCfg J;
    if (jcfg_parse(cfg, &J) < 0) return NULL;
    Ctx C = J.C;
    C.off = off;
    C.tilde = tilde;
    PyObject *r = judge_impl(&J, &C, text, PyUnicode_1BYTE_DATA(text), n, s, e, doc);
    jcfg_release(&J);
    return r;
}

/* what `names_scan` reads, parsed once (`names_config`): the judge's part and the scan's sets */
typedef struct {
    JCfg J;
    PyObject *cfg, *parts, *no_single, *cue_last; /* strong references (J borrows from cfg) */
} NamesCfg;

static void namescfg_free(PyObject *capsule) {
    NamesCfg *N = (NamesCfg *)PyCapsule_GetPointer(capsule, "guardwrap.pii._cscan.names");
    if (N == NULL) return;
    jcfg_release(&N->J);
    Py_XDECREF(N->cfg);
    Py_XDECREF(N->parts);
    Py_XDECREF(N->no_single);
    Py_XDECREF(N->cue_last);
    PyMem_Free(N);
}

PyDoc_STRVAR(names_config_doc,
"names_config(cfg, parts, no_single, cue_last) -> capsule\n\n"
"``judge``'s ``cfg`` and ``seq_spans``' sets, parsed once for ``names_scan``.");

static PyObject *names_config(PyObject *self, PyObject *args) {
    PyObject *cfg, *parts, *no_single, *cue_last;
    if (!PyArg_ParseTuple(args, "O!O!O!O!:names_config", &PyTuple_Type, &cfg, &PyFrozenSet_Type, &parts,
                          &PyFrozenSet_Type, &no_single, &PyFrozenSet_Type, &cue_last))
        return NULL;
    NamesCfg *N = PyMem_Calloc(1, sizeof(NamesCfg));
    if (N == NULL) return PyErr_NoMemory();
    if (jcfg_parse(cfg, &N->J) < 0) {
        PyMem_Free(N);
        return NULL;
    }
    Py_INCREF(cfg);
    Py_INCREF(parts);
    Py_INCREF(no_single);
    Py_INCREF(cue_last);
    N->cfg = cfg;
    N->parts = parts;
    N->no_single = no_single;
    N->cue_last = cue_last;
    PyObject *cap = PyCapsule_New(N, "guardwrap.pii._cscan.names", namescfg_free);
    if (cap == NULL) {
        jcfg_release(&N->J);
        Py_DECREF(cfg);
        Py_DECREF(parts);
        Py_DECREF(no_single);
        Py_DECREF(cue_last);
        PyMem_Free(N);
    }
    return cap;
}

PyDoc_STRVAR(names_scan_doc,
"names_scan(text, doc, ncfg, off=0, tilde=None) -> list\n\n"
"``seq_spans(text, parts, no_single, cue_last)`` and ``judge(text, s, e, doc, cfg, off, tilde)``\n"
"of each span, in one call (``ncfg``: ``names_config(cfg, parts, no_single, cue_last)``): the hits\n"
"in order, each ``(start, end, 'PERSON', score)``, or ``(start, end)`` (document positions) where\n"
"``judge`` gives NotImplemented (judge it in Python).");

static PyObject *names_scan(PyObject *self, PyObject *args) {
    PyObject *text, *doc, *cap;
    Py_ssize_t off = 0;
    PyObject *tilde = Py_None;
    if (!PyArg_ParseTuple(args, "UOO|nO:names_scan", &text, &doc, &cap, &off, &tilde)) return NULL;
    NamesCfg *N = (NamesCfg *)PyCapsule_GetPointer(cap, "guardwrap.pii._cscan.names");
    if (N == NULL) return NULL;
    if (off < 0) {
        PyErr_SetString(PyExc_ValueError, "names_scan: a negative offset");
        return NULL;
    }
    if (!PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_ValueError, "names_scan needs an ASCII text");
        return NULL;
    }
    const Py_UCS1 *t = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const JCfg *J = &N->J;
    Ctx C = J->C;
    C.off = off;
    C.tilde = tilde;
    Spans S = {NULL, 0, 0};
    PyObject *out = PyList_New(0);
    if (out == NULL || seq_scan(t, n, N->parts, N->no_single, N->cue_last, &S) < 0) goto fail;
    for (Py_ssize_t i = 0; i < S.n; i++) {
        Py_ssize_t s = S.v[2 * i], e = S.v[2 * i + 1];
        PyObject *hit = judge_impl(J, &C, text, t, n, s, e, doc);
        if (hit == NULL) goto fail;
        if (hit == Py_None) {
            Py_DECREF(hit);
            continue;
        }
        if (hit == Py_NotImplemented) {
            Py_DECREF(hit);
            hit = Py_BuildValue("(nn)", s + off, e + off);
            if (hit == NULL) goto fail;
        }
        int rc = PyList_Append(out, hit);
        Py_DECREF(hit);
        if (rc < 0) goto fail;
    }
    PyMem_Free(S.v);
    return out;
fail:
    Py_XDECREF(out);
    PyMem_Free(S.v);
    return NULL;
}


/* ---------------------------------------------------------------------------------------------
 * cue_starts, label_ends: where `Names._lower_intros` and `Names._lower_labels` may find a name
 * typed in lower case, for ASCII text (`_names.intro_starts` and the label loop of
 * `Names._lower_labels` are the reference).
 * ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(cue_starts_doc,
"cue_starts(text, cues) -> list of int\n\n"
"``_names.intro_starts(text)`` for ASCII ``text``: every index where one of ``cues`` (a tuple of\n"
"lower-case ASCII strs) starts in ``text.lower()``, ascending.");

static PyObject *cue_starts(PyObject *self, PyObject *args) {
    PyObject *text, *cues;
    if (!PyArg_ParseTuple(args, "UO!:cue_starts", &text, &PyTuple_Type, &cues)) return NULL;
    if (!PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_ValueError, "cue_starts needs an ASCII text");
        return NULL;
    }
    Py_ssize_t nc = PyTuple_GET_SIZE(cues);
    if (nc > 16) {
        PyErr_SetString(PyExc_ValueError, "cue_starts: at most 16 cues");
        return NULL;
    }
    const Py_UCS1 *cv[16];
    Py_ssize_t cl[16];
    for (Py_ssize_t c = 0; c < nc; c++) {
        PyObject *w = PyTuple_GET_ITEM(cues, c);
        if (!PyUnicode_Check(w) || !PyUnicode_IS_ASCII(w) || PyUnicode_GET_LENGTH(w) == 0) {
            PyErr_SetString(PyExc_TypeError, "cue_starts: the cues must be non-empty ASCII strs");
            return NULL;
        }
        cv[c] = PyUnicode_1BYTE_DATA(w);
        cl[c] = PyUnicode_GET_LENGTH(w);
        for (Py_ssize_t q = 0; q < cl[c]; q++)
            if (is_upper(cv[c][q])) {
                PyErr_SetString(PyExc_ValueError, "cue_starts: the cues must be lower case");
                return NULL;
            }
    }
    const Py_UCS1 *t = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    unsigned char starts[128] = {0}; /* the first characters of the cues, both cases */
    for (Py_ssize_t c = 0; c < nc; c++) {
        starts[cv[c][0] & 127] = 1;
        if (is_lower(cv[c][0])) starts[cv[c][0] - 32] = 1;
    }
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!starts[t[i] & 127]) continue;
        Py_UCS1 first = is_upper(t[i]) ? (Py_UCS1)(t[i] + 32) : t[i];
        for (Py_ssize_t c = 0; c < nc; c++) {
            if (cv[c][0] != first || i + cl[c] > n) continue;
            Py_ssize_t q = 1;
            while (q < cl[c]) {
                Py_UCS1 x = t[i + q];
                if ((is_upper(x) ? (Py_UCS1)(x + 32) : x) != cv[c][q]) break;
                q++;
            }
            if (q == cl[c]) {
                PyObject *v = PyLong_FromSsize_t(i);
                if (v == NULL || PyList_Append(out, v) < 0) {
                    Py_XDECREF(v);
                    Py_DECREF(out);
                    return NULL;
                }
                Py_DECREF(v);
                break;
            }
        }
    }
    return out;
}

/* `_names._label_word_ok(low, i, e)` on ASCII t (read lower-cased): 1, 0, -1 */
static int label_word_ok(const Py_UCS1 *t, Py_ssize_t n, Py_ssize_t i, Py_ssize_t e, PyObject *prefixes,
                         PyObject *label_not) {
#define LOW(x) (is_upper(x) ? (Py_UCS1)((x) + 32) : (x))
    if (e < n && (is_alnum(t[e]) || t[e] == '_')) return 0; /* "names", "named", "holders" */
    Py_ssize_t j = i;
    while (j > 0 && (is_alpha(t[j - 1]) || t[j - 1] == '_' || t[j - 1] == '-')) j--;
    /* glued = low[j:i].strip("_-").replace("_", " ").replace("-", " ") */
    Py_ssize_t a = j, b = i;
    while (a < b && (t[a] == '_' || t[a] == '-')) a++;
    while (b > a && (t[b - 1] == '_' || t[b - 1] == '-')) b--;
    PyObject *glued = PyUnicode_New(b - a, 127);
    if (glued == NULL) return -1;
    Py_UCS1 *d = PyUnicode_1BYTE_DATA(glued);
    for (Py_ssize_t q = a; q < b; q++) d[q - a] = (t[q] == '_' || t[q] == '-') ? ' ' : LOW(t[q]);
    int in = PySet_Contains(prefixes, glued);
    Py_DECREF(glued);
    if (in <= 0) return in;
    if (j > 0 && is_digit(t[j - 1])) return 0;
    Py_ssize_t k = j;
    while (k > 0 && (t[k - 1] == ' ' || t[k - 1] == '\t' || t[k - 1] == '"' || t[k - 1] == '\'' ||
                     t[k - 1] == '{' || t[k - 1] == ','))
        k--;
    Py_ssize_t m = k;
    while (m > 0 && is_alpha(t[m - 1])) m--;
    PyObject *w = lower_ascii(t, m, k);
    if (w == NULL) return -1;
    in = PySet_Contains(label_not, w);
    Py_DECREF(w);
    return in < 0 ? -1 : !in;
#undef LOW
}

/* the first character of `_AFTER_LABEL`'s words at e (ASCII): -1 when the pattern cannot match
 * ("["']?[ \t]*[:=][ \t]*["']?" then a letter: each step is forced, no other way to match) */
static int after_label_first(const Py_UCS1 *t, Py_ssize_t n, Py_ssize_t e) {
    Py_ssize_t p = e;
    if (p < n && (t[p] == '"' || t[p] == '\'')) p++;
    while (p < n && is_blank(t[p])) p++;
    if (p >= n || (t[p] != ':' && t[p] != '=')) return -1;
    p++;
    while (p < n && is_blank(t[p])) p++;
    if (p < n && (t[p] == '"' || t[p] == '\'')) p++;
    return p < n ? t[p] : -1;
}

PyDoc_STRVAR(label_ends_doc,
"label_ends(text, cores, party, prefixes, label_not) -> list of (end, is_party)\n\n"
"For ASCII ``text``: the label loop of ``Names._lower_labels`` (each core of ``cores`` in order,\n"
"its occurrences in ``text.lower()`` in order, those where ``_label_word_ok`` holds with\n"
"``prefixes`` and ``label_not``), less the labels whose value does not start with a lower-case\n"
"letter (``_lower_value`` gives None for them): where each label ends, and whether its core is in\n"
"``party``.");

static PyObject *label_ends(PyObject *self, PyObject *args) {
    PyObject *text, *cores, *party, *prefixes, *label_not;
    if (!PyArg_ParseTuple(args, "UO!O!O!O!:label_ends", &text, &PyTuple_Type, &cores, &PyFrozenSet_Type, &party,
                          &PyFrozenSet_Type, &prefixes, &PyFrozenSet_Type, &label_not))
        return NULL;
    if (!PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_ValueError, "label_ends needs an ASCII text");
        return NULL;
    }
    const Py_UCS1 *t = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    char *low = PyMem_Malloc(n > 0 ? (size_t)n : 1); /* text.lower() */
    if (low == NULL) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n; i++) low[i] = (char)(is_upper(t[i]) ? t[i] + 32 : t[i]);
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        PyMem_Free(low);
        return NULL;
    }
    for (Py_ssize_t c = 0; c < PyTuple_GET_SIZE(cores); c++) {
        PyObject *core = PyTuple_GET_ITEM(cores, c);
        if (!PyUnicode_Check(core) || !PyUnicode_IS_ASCII(core) || PyUnicode_GET_LENGTH(core) == 0) {
            PyErr_SetString(PyExc_TypeError, "label_ends: the cores must be non-empty ASCII strs");
            goto fail;
        }
        const Py_UCS1 *cv = PyUnicode_1BYTE_DATA(core);
        Py_ssize_t cl = PyUnicode_GET_LENGTH(core);
        int is_party = PySet_Contains(party, core);
        if (is_party < 0) goto fail;
        Py_ssize_t i = 0;
        while (i + cl <= n) {
            /* low.find(core, i) */
            const char *f = memchr(low + i, cv[0], (size_t)(n - cl + 1 - i));
            if (f == NULL) break;
            i = f - low;
            if (memcmp(low + i, cv, (size_t)cl) != 0) {
                i++;
                continue;
            }
            Py_ssize_t e = i + cl;
            int ok = label_word_ok(t, n, i, e, prefixes, label_not);
            if (ok < 0) goto fail;
            int first = ok ? after_label_first(t, n, e) : -1;
            if (first >= 0 && is_lower((Py_UCS1)first)) {
                PyObject *item = Py_BuildValue("(nO)", e, is_party ? Py_True : Py_False);
                if (item == NULL) goto fail;
                int rc = PyList_Append(out, item);
                Py_DECREF(item);
                if (rc < 0) goto fail;
            }
            i = e; /* low.find(core, e) */
        }
    }
    PyMem_Free(low);
    return out;
fail:
    PyMem_Free(low);
    Py_DECREF(out);
    return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * run_tail: `Detector._run` from the classification of the whole run on (its `_classify` and the
 * sub-run windows), with `Detector._classify` and the family checks it asks (cards, ISBN, SSN,
 * ITIN, ABA, TFN, NHS, numeric dates, dotted quads) done here. Phone numbers (`phonenumbers`
 * metadata), the `_idnums` proposals, amounts and units, and the final choice (`Detector._pick`)
 * are Python callbacks. `Detector._run_tail_py` and `Detector._classify` are the reference.
 * ------------------------------------------------------------------------------------------- */

enum {
    W_CARD = 1, W_IP = 2, W_DATE = 4, W_SSN = 8, W_ITIN = 16, W_ABA = 32, W_TFN = 64, W_USPASS = 128,
    W_NHS = 256, W_BANK = 512, W_USDL = 1024, W_IDNUMS = 2048, W_ADDR = 4096, W_CRYPTO = 8192, W_LP = 16384,
    W_GLUED = 32768, W_LP_IBAN = 65536,
};

typedef struct {
    long flags;
    /* callbacks (None: absent) */
    PyObject *phone_intl, *phone_nat, *propose, *pick, *unit_after, *currency_before;
    /* shape sets */
    PyObject *card_shapes, *ssn_shapes, *tfn_shapes, *aba_shapes, *nhs_shapes, *spaced_shapes, *dl_shapes;
    double full, shrt;
    /* the run's prelude (`runs`): `at_number_plan`'s sets, the month prefixes, GLUED_LENS as bits,
     * and the Detector methods asked back (called with the Detector first) */
    PyObject *at_keys, *fr_start, *ordinals, *po_words, *month_prefixes;
    long glued_lens;
    PyObject *addr_cb, *lp_cb, *crypto_cb, *date_cb, *glued_cb;
    /* `_letter_prefixed`'s gate: bit k (k < 16) set when ids with k letters are wanted, bit 16 for
     * the spaced NINO, the prefix limit from bit 20; the NINO's first and second letters (bit 0: A) */
    long lp_gate, nino_first, nino_second;
    /* the characters a unit after a number may start with (`_negatives._UNIT`, lower case, ASCII) */
    PyObject *unit_firsts;
    /* IBAN_LENGTHS, for the IBAN-only letter-prefixed step (W_LP_IBAN) */
    PyObject *iban_lengths;
    /* `Detector._glued_card` and `Detector._loose_card` (None unless cards are wanted) */
    PyObject *glued_card_cb, *loose_card_cb;
    /* `_addresses._AFTER_TRIES` (capsules, held) and their tries: `after_maybe` before the address
     * callback (NULL: the callback asks it) */
    PyObject *after_a, *after_b;
    const Trie *ta, *tb;
    /* `Detector._pick` done here (NULL pk_tries: the `pick` callback does it): its context tries
     * (dict), the negative and label tries (capsules), the weak entities, `_prev_context`,
     * `Detector._birth_after` (asked when nothing stands and dates are wanted), a [::-1] slice */
    PyObject *pk_tries, *pk_neg, *pk_lab, *pk_weak, *pk_prev_context, *pk_birth_after, *pk_rev;
    const Trie *pk_neg_t, *pk_lab_t;
    double pk_threshold, pk_negative, pk_boost, pk_weak_boost;
    Py_ssize_t pk_neg_window, pk_window, pk_line_prefix, pk_max_line;
    int pk_dates;
} RunCfg;

static PyObject *E_CARD, *E_IP, *E_DATE, *E_SSN, *E_ITIN, *E_ABA, *E_TFN, *E_USPASS, *E_NHS, *E_BANK,
    *E_USDL, *E_PHONE, *E_EMPTY;

static void runcfg_free(PyObject *capsule) {
    RunCfg *C = (RunCfg *)PyCapsule_GetPointer(capsule, "guardwrap.pii._cscan.runs");
    if (C == NULL) return;
    PyObject **objs[] = {&C->phone_intl, &C->phone_nat, &C->propose, &C->pick, &C->unit_after,
                         &C->currency_before, &C->card_shapes, &C->ssn_shapes, &C->tfn_shapes,
                         &C->aba_shapes, &C->nhs_shapes, &C->spaced_shapes, &C->dl_shapes, &C->at_keys,
                         &C->fr_start, &C->ordinals, &C->po_words, &C->month_prefixes, &C->addr_cb, &C->lp_cb,
                         &C->crypto_cb, &C->date_cb, &C->glued_cb, &C->unit_firsts, &C->iban_lengths,
                         &C->glued_card_cb, &C->loose_card_cb, &C->after_a, &C->after_b, &C->pk_tries,
                         &C->pk_neg, &C->pk_lab,
                         &C->pk_weak, &C->pk_prev_context, &C->pk_birth_after, &C->pk_rev};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) Py_CLEAR(*objs[i]);
    PyMem_Free(C);
}

PyDoc_STRVAR(runs_config_doc,
"runs_config(flags, phone_intl, phone_nat, propose, pick, unit_after, currency_before,\n"
"            card, ssn, tfn, aba, nhs, spaced, dl, full, short,\n"
"            (at_keys, fr_start, ordinals, po_words, month_prefixes, glued_lens_bits,\n"
"             addr, letter_prefixed, crypto, date, glued, lp_gate, nino_first, nino_second,\n"
"             after_street_trie, after_compound_trie),\n"
"            unit_firsts, iban_lengths, glued_card, loose_card,\n"
"            (tries, neg_trie, labels_trie, weak, threshold, (negative, boost, weak_boost, neg_window),\n"
"             prev_context, ctx_window, line_prefix, max_line, dates, birth_after) or None) -> capsule\n\n"
"What ``run_tail`` reads, built once per Detector: the wanted-entity bits, the callbacks\n"
"(None when absent), the shape sets and the two date scores.");

static PyObject *runs_config(PyObject *self, PyObject *args) {
    PyObject *pk;
    RunCfg *C = PyMem_Calloc(1, sizeof(RunCfg));
    if (C == NULL) return PyErr_NoMemory();
    if (!PyArg_ParseTuple(args, "lOOOOOOOOOOOOOdd(OOOOOlOOOOOlllOO)UOOOO:runs_config", &C->flags, &C->phone_intl,
                          &C->phone_nat, &C->propose, &C->pick, &C->unit_after, &C->currency_before,
                          &C->card_shapes, &C->ssn_shapes, &C->tfn_shapes, &C->aba_shapes, &C->nhs_shapes,
                          &C->spaced_shapes, &C->dl_shapes, &C->full, &C->shrt, &C->at_keys, &C->fr_start,
                          &C->ordinals, &C->po_words, &C->month_prefixes, &C->glued_lens, &C->addr_cb, &C->lp_cb,
                          &C->crypto_cb, &C->date_cb, &C->glued_cb, &C->lp_gate, &C->nino_first,
                          &C->nino_second, &C->after_a, &C->after_b, &C->unit_firsts, &C->iban_lengths,
                          &C->glued_card_cb, &C->loose_card_cb, &pk)) {
        PyMem_Free(C);
        return NULL;
    }
    if (pk != Py_None &&
        !PyArg_ParseTuple(pk, "O!OOO!d(dddn)OnnnpO:runs_config pick", &PyDict_Type, &C->pk_tries, &C->pk_neg,
                          &C->pk_lab, &PyFrozenSet_Type, &C->pk_weak, &C->pk_threshold, &C->pk_negative, &C->pk_boost,
                          &C->pk_weak_boost, &C->pk_neg_window, &C->pk_prev_context, &C->pk_window,
                          &C->pk_line_prefix, &C->pk_max_line, &C->pk_dates, &C->pk_birth_after)) {
        PyMem_Free(C);
        return NULL;
    }
    PyObject **objs[] = {&C->phone_intl, &C->phone_nat, &C->propose, &C->pick, &C->unit_after,
                         &C->currency_before, &C->card_shapes, &C->ssn_shapes, &C->tfn_shapes,
                         &C->aba_shapes, &C->nhs_shapes, &C->spaced_shapes, &C->dl_shapes, &C->at_keys,
                         &C->fr_start, &C->ordinals, &C->po_words, &C->month_prefixes, &C->addr_cb, &C->lp_cb,
                         &C->crypto_cb, &C->date_cb, &C->glued_cb, &C->unit_firsts, &C->iban_lengths,
                         &C->glued_card_cb, &C->loose_card_cb, &C->after_a, &C->after_b, &C->pk_tries,
                         &C->pk_neg, &C->pk_lab,
                         &C->pk_weak, &C->pk_prev_context, &C->pk_birth_after, &C->pk_rev};
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) {
        if (*objs[i] == Py_None) *objs[i] = NULL;
        Py_XINCREF(*objs[i]);
    }
    if ((C->after_a == NULL) != (C->after_b == NULL)) {
        PyErr_SetString(PyExc_TypeError, "runs_config: both after-number tries, or neither");
        goto fail;
    }
    if (C->after_a != NULL) {
        C->ta = (const Trie *)PyCapsule_GetPointer(C->after_a, TRIE_CAPSULE);
        if (C->ta == NULL) goto fail;
        C->tb = (const Trie *)PyCapsule_GetPointer(C->after_b, TRIE_CAPSULE);
        if (C->tb == NULL) goto fail;
    }
    if (C->pk_tries != NULL) {
        if (C->pk_window < 0 || C->pk_window > 256 || C->pk_neg_window < 0 || C->pk_neg == NULL ||
            C->pk_prev_context == NULL || C->pk_birth_after == NULL || C->pick == NULL) {
            PyErr_SetString(PyExc_ValueError, "runs_config: bad pick settings");
            goto fail;
        }
        C->pk_neg_t = (const Trie *)PyCapsule_GetPointer(C->pk_neg, TRIE_CAPSULE);
        if (C->pk_neg_t == NULL) goto fail;
        if (C->pk_lab != NULL) {
            C->pk_lab_t = (const Trie *)PyCapsule_GetPointer(C->pk_lab, TRIE_CAPSULE);
            if (C->pk_lab_t == NULL) goto fail;
        }
        PyObject *minus_one = PyLong_FromLong(-1);
        if (minus_one == NULL) goto fail;
        C->pk_rev = PySlice_New(NULL, NULL, minus_one);
        Py_DECREF(minus_one);
        if (C->pk_rev == NULL) goto fail;
    }
    {
        PyObject *cap = PyCapsule_New(C, "guardwrap.pii._cscan.runs", runcfg_free);
        if (cap != NULL) return cap;
    }
fail:
    for (size_t i = 0; i < sizeof objs / sizeof objs[0]; i++) Py_CLEAR(*objs[i]);
    PyMem_Free(C);
    return NULL;
}

static int dig_all_same(const char *d, int n) {
    for (int i = 1; i < n; i++)
        if (d[i] != d[0]) return 0;
    return 1;
}

static int num(const char *d, int a, int b) { /* int(d[a:b]) of a few digits */
    int v = 0;
    for (int i = a; i < b; i++) v = v * 10 + (d[i] - '0');
    return v;
}

static int c_luhn(const char *d, int n) {
    int total = 0;
    for (int k = 0; k < n; k++) {
        int v = d[n - 1 - k] - '0';
        if (k & 1) {
            v *= 2;
            if (v > 9) v -= 9;
        }
        total += v;
    }
    return total % 10 == 0;
}

static int c_issuer_ok(const char *d, int n) {
    int d2 = num(d, 0, 2), d3 = num(d, 0, 3), d4 = num(d, 0, 4);
    if (d[0] == '4') return n == 13 || n == 16 || n == 19;
    if ((d2 >= 51 && d2 <= 55) || (d4 >= 2221 && d4 <= 2720)) return n == 16;
    if (d2 == 34 || d2 == 37) return n == 15;
    if (d2 == 36 || d2 == 38 || d2 == 39 || (d3 >= 300 && d3 <= 305)) return n >= 14 && n <= 19;
    if (d4 == 6011 || d2 == 65 || (d3 >= 644 && d3 <= 649)) return n >= 16 && n <= 19;
    if (d2 == 35) return n >= 16 && n <= 19;
    if (d4 == 2131 || d4 == 1800) return n == 15;
    if (d2 == 62) return n >= 16 && n <= 19;
    if (d2 == 50 || d2 == 56 || d2 == 57 || d2 == 58 || d2 == 63 || d2 == 67) return n >= 12 && n <= 19;
    return 0;
}

static int c_maestro12(const char *d) {
    int d2 = num(d, 0, 2), d4 = num(d, 0, 4);
    return d2 == 50 || d2 == 56 || d2 == 57 || d2 == 58 || d2 == 63 || d2 == 67 || d4 == 604 || d4 == 6390;
}

/* `_negatives.isbn`: ``dash3`` = the segment has exactly three separators, all "-", its second
 * last character one of them */
static int c_isbn(const char *d, int n, int dash3) {
    if (n == 13 && d[0] == '9' && d[1] == '7' && (d[2] == '8' || d[2] == '9')) {
        int total = 0;
        for (int i = 0; i < 13; i++) total += ((i & 1) ? 3 : 1) * (d[i] - '0');
        return total % 10 == 0;
    }
    if (n == 10 && dash3) {
        int total = 0;
        for (int i = 0; i < 10; i++) total += (10 - i) * (d[i] - '0');
        return total % 11 == 0;
    }
    return 0;
}

static int c_us_ssn(const char *d) {
    static const char *samples[] = {"078051120", "219099999", "457555462", "123456789"};
    for (int i = 0; i < 4; i++)
        if (memcmp(d, samples[i], 9) == 0) return 0;
    if (dig_all_same(d, 9)) return 0;
    if (memcmp(d, "000", 3) == 0 || memcmp(d, "666", 3) == 0 || d[0] == '9') return 0;
    return memcmp(d + 3, "00", 2) != 0 && memcmp(d + 5, "0000", 4) != 0;
}

static int c_us_itin(const char *d) {
    if (d[0] != '9') return 0;
    int g = num(d, 3, 5);
    return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) || (g >= 94 && g <= 99);
}

static int c_aba(const char *d) {
    int p = num(d, 0, 2);
    if (!(p <= 12 || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p == 80)) return 0;
    int v[9];
    for (int i = 0; i < 9; i++) v[i] = d[i] - '0';
    int total = 3 * (v[0] + v[3] + v[6]) + 7 * (v[1] + v[4] + v[7]) + (v[2] + v[5] + v[8]);
    return total % 10 == 0 && memcmp(d, "000000000", 9) != 0;
}

static int c_au_tfn(const char *d) {
    static const int w[9] = {1, 4, 3, 7, 5, 8, 6, 9, 10};
    if (dig_all_same(d, 9)) return 0;
    int total = 0;
    for (int i = 0; i < 9; i++) total += w[i] * (d[i] - '0');
    return total % 11 == 0;
}

static int c_uk_nhs(const char *d) {
    if (dig_all_same(d, 10)) return 0;
    int total = 0;
    for (int i = 0; i < 9; i++) total += (10 - i) * (d[i] - '0');
    int check = 11 - total % 11;
    if (check == 11) check = 0;
    return check != 10 && check == d[9] - '0';
}

static int plausible(long y, long m, long d) {
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1];
}

/* `_dates.numeric_date` of three digit groups given by their digits and lengths: the score, or -1 */
static double c_numeric_date(const RunCfg *C, const char *pa, int la, const char *pb, int lb, const char *pc, int lc) {
    if (la == 4 && lb <= 2 && lc <= 2)
        return plausible(num(pa, 0, la), num(pb, 0, lb), num(pc, 0, lc)) ? C->full : -1;
    if (lb > 2 || la > 2) return -1;
    long a = num(pa, 0, la), b = num(pb, 0, lb);
    if (lc == 4) {
        long c = num(pc, 0, lc);
        return plausible(c, b, a) || plausible(c, a, b) ? C->full : -1;
    }
    if (lc == 2) {
        long y = 1900 + num(pc, 0, lc);
        return plausible(y, b, a) || plausible(y, a, b) ? C->shrt : -1;
    }
    return -1;
}

static double c_compact_date(const RunCfg *C, const char *d) {
    if (plausible(num(d, 0, 4), num(d, 4, 6), num(d, 6, 8))) return C->shrt;
    long a = num(d, 0, 2), b = num(d, 2, 4), y = num(d, 4, 8);
    return plausible(y, b, a) || plausible(y, a, b) ? C->shrt : -1;
}

static int add_cand(PyObject *cands, PyObject *etype, double score) {
    PyObject *t = Py_BuildValue("(Od)", etype, score);
    if (t == NULL) return -1;
    int r = PyList_Append(cands, t);
    Py_DECREF(t);
    return r;
}

/* 1 when ``shape`` (may be NULL: plain) is in ``set``, 0 if not, -1 on error */
static int shape_in(PyObject *shape, PyObject *set) {
    if (shape == NULL) return 0;
    return PySet_Contains(set, shape);
}

static int is_sepchar(Py_UCS4 c) {
    return c == ' ' || c == '-' || c == '.' || c == '/' || c == '_' || c == '(' || c == ')' || c == 0xa0;
}

/* 0 when `_negatives.unit_after(text, end)` surely fails (the character after the number, past one
 * space, is ASCII and starts no unit), else 1 */
static int unit_may(const RunCfg *C, const Txt *T, Py_ssize_t end) {
    Py_ssize_t n = T->n;
    for (Py_ssize_t i = end; i < n && i <= end + 1; i++) {
        Py_UCS4 c = ch(T, i);
        if (c >= 128) return 1;
        if (is_upper((Py_UCS1)c)) c += 32;
        if (PyUnicode_FindChar(C->unit_firsts, c, 0, PyUnicode_GET_LENGTH(C->unit_firsts), 1) >= 0) return 1;
        if (!(i == end && c == ' ')) return 0;
    }
    return 0;
}

/* `_negatives.currency_before(text, start)` when the five characters before ``start`` are ASCII,
 * or the pound or euro sign: 1, 0; 2 when the Python must decide */
static int currency_ascii(const Txt *T, Py_ssize_t start) {
    Py_ssize_t a = start - 5 > 0 ? start - 5 : 0, b = start;
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS4 c = ch(T, i);
        if (c >= 128 && c != 0xa3 && c != 0x20ac) return 2;
    }
    while (b > a && py_space((Py_UCS1)ch(T, b - 1)) && ch(T, b - 1) < 128) b--;
    if (b == a) return 0;
    Py_UCS4 last = ch(T, b - 1);
    if (last == '$' || last == 0xa3 || last == 0x20ac) return 1;
    if (b - a < 3) return 0;
    char w[4];
    for (int k = 0; k < 3; k++) {
        Py_UCS4 c = ch(T, b - 3 + k);
        if (c >= 128) return 0;
        w[k] = (char)(is_upper((Py_UCS1)c) ? c + 32 : c);
    }
    w[3] = 0;
    static const char *codes[] = {"eur", "usd", "gbp", "chf", "pln"};
    for (int k = 0; k < 5; k++)
        if (memcmp(w, codes[k], 3) == 0) return 1;
    return 0;
}

/* `Detector._classify(doc, gs, ge, outer, coded=..., card_ok=...)`; ``outer_l``/``outer_r``: the
 * separator joining the window to its neighbour when it is one character, else 0. */
/* `Detector._pick(cands, doc, ws, we)` for two or more candidates, or one below 0.9 (``cands`` a
 * list): its `_pre` (`pre_core`, or the Python where that declines) and `pick_core` here */
static PyObject *pick_c(const RunCfg *C, PyObject *det, PyObject *doc, const Txt *T, PyObject *cands,
                        Py_ssize_t ws, Py_ssize_t we) {
    if (ws < 0 || ws > T->n) {
        PyErr_SetString(PyExc_IndexError, "pick: position out of range");
        return NULL;
    }
    PyObject *before = PyObject_GetAttrString(doc, "before");
    if (before == NULL) return NULL;
    PyObject *pre = NULL;
    if (PyUnicode_Check(before)) {
        PyObject *ml = PyObject_GetAttrString(doc, "multiline");
        int multiline = ml == NULL ? -1 : PyObject_IsTrue(ml);
        Py_XDECREF(ml);
        if (multiline < 0) {
            Py_DECREF(before);
            return NULL;
        }
        pre = pre_core(T, ws, before, multiline, doc, C->pk_prev_context, C->pk_window, C->pk_line_prefix,
                       C->pk_max_line);
        Py_DECREF(before);
        if (pre == NULL) return NULL;
    } else {
        Py_DECREF(before);
    }
    if (pre == NULL || !PyUnicode_Check(pre)) {
        /* declined (a non-ASCII window, text from before the scan): the Python decides it all */
        Py_XDECREF(pre);
        return PyObject_CallFunction(C->pick, "OOOnn", det, cands, doc, ws, we);
    }
    PyObject *rev = PyObject_GetItem(pre, C->pk_rev);
    Py_DECREF(pre);
    if (rev == NULL) return NULL;
    if (!PyUnicode_Check(rev)) {
        Py_DECREF(rev);
        PyErr_SetString(PyExc_TypeError, "pick: the context window is not a str");
        return NULL;
    }
    PyObject *got = pick_core(cands, rev, C->pk_tries, C->pk_neg_t, C->pk_lab_t, C->pk_weak, C->pk_threshold,
                              C->pk_negative, C->pk_boost, C->pk_weak_boost, C->pk_neg_window);
    Py_DECREF(rev);
    if (got == NULL) return NULL;
    if (got == Py_None) {
        Py_DECREF(got);
        if (C->pk_dates) return PyObject_CallFunction(C->pk_birth_after, "OOOnn", det, cands, T->obj, ws, we);
        Py_RETURN_NONE;
    }
    PyObject *r = Py_BuildValue("(nnOO)", ws, we, PyTuple_GET_ITEM(got, 0), PyTuple_GET_ITEM(got, 1));
    Py_DECREF(got);
    return r;
}

static PyObject *classify_c(const RunCfg *C, PyObject *det, PyObject *doc, const Txt *T, Py_ssize_t gs,
                            Py_ssize_t ge, Py_UCS4 outer_l, Py_UCS4 outer_r, int coded, int card_ok) {
    char d[20];
    int n = 0;
    Py_ssize_t len = ge - gs;
    Py_ssize_t nseps = 0, nopen = 0, nclose = 0;
    Py_UCS4 sep0 = 0;
    int uniform = 1, fmt_seps = 1, dashes_only = 1;
    for (Py_ssize_t i = gs; i < ge; i++) {
        Py_UCS4 c = ch(T, i);
        if (c >= '0' && c <= '9') {
            if (n >= 19) { n = 20; break; }
            d[n++] = (char)c;
        } else {
            if (nseps == 0) sep0 = c;
            else if (c != sep0) uniform = 0;
            nseps++;
            if (c == '(') nopen++;
            else if (c == ')') nclose++;
            if (!(c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/')) fmt_seps = 0;
            if (c != '-') dashes_only = 0;
        }
    }
    if (n > 19 || n < 4) Py_RETURN_NONE;
    int plain = nseps == 0;
    Py_ssize_t ws = gs, tn = T->n;
    int paren = gs > 0 && ch(T, gs - 1) == '(' && (gs == 1 || !Py_UNICODE_ISALNUM(ch(T, gs - 2)));
    if (paren) ws = gs - 1;
    int plus = ws > 0 && ch(T, ws - 1) == '+';
    if (plus) ws -= 1;
    if (ws > 0 && Py_UNICODE_ISALNUM(ch(T, ws - 1))) Py_RETURN_NONE;
    Py_ssize_t we = ge;
    if (we < tn && ch(T, we) == ')' && nopen + paren > nclose) we += 1;

    PyObject *result = NULL, *cands = NULL, *digits = NULL, *shape = NULL, *seg = NULL;
#define FAIL_IF(x) do { if (x) goto done; } while (0)
#define DIGITS() (digits != NULL ? digits : (digits = PyUnicode_FromStringAndSize(d, n)))
    cands = PyList_New(0);
    FAIL_IF(cands == NULL);
    /* 1. a "+" prefix */
    if (plus) {
        if (C->phone_intl != NULL && n >= 8 && n <= 15) {
            FAIL_IF(DIGITS() == NULL);
            int ok = call_bool(C->phone_intl, digits);
            FAIL_IF(ok < 0);
            if (ok) {
                FAIL_IF(add_cand(cands, E_PHONE, 0.75) < 0);
                goto pick;
            }
        }
        result = Py_NewRef(Py_None);
        goto done;
    }
    /* 2. "0044..." */
    if (n >= 10 && d[0] == '0' && d[1] == '0' && C->phone_intl != NULL && !coded) {
        PyObject *rest = PyUnicode_FromStringAndSize(d + 2, n - 2);
        FAIL_IF(rest == NULL);
        int ok = call_bool(C->phone_intl, rest);
        Py_DECREF(rest);
        FAIL_IF(ok < 0);
        if (ok) FAIL_IF(add_cand(cands, E_PHONE, 0.5) < 0);
    }
    Py_UCS4 sep = (!plain && uniform) ? sep0 : 0;
    if (!plain) {
        Py_UCS4 buf[64];
        Py_UCS4 *sb = len <= 64 ? buf : PyMem_Malloc(len * sizeof(Py_UCS4));
        FAIL_IF(sb == NULL && (PyErr_NoMemory(), 1));
        for (Py_ssize_t i = 0; i < len; i++) {
            Py_UCS4 c = ch(T, gs + i);
            sb[i] = (c >= '0' && c <= '9') ? '9' : c;
        }
        shape = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, sb, len);
        if (sb != buf) PyMem_Free(sb);
        FAIL_IF(shape == NULL);
    }
    int sliced = sep != 0 && (sep == outer_l || sep == outer_r);
    int r;
    /* 3. dotted quads and dates */
    if ((sep == '.' || sep == '-' || sep == '/') && (nseps == 2 || nseps == 3)) {
        /* the groups: digits between separators */
        int gl[4], go[4], k = 0, cur = 0;
        go[0] = 0;
        for (Py_ssize_t i = gs; i < ge; i++) {
            if (ch(T, i) == sep) {
                gl[k] = cur;
                k++;
                go[k] = go[k - 1] + cur;
                cur = 0;
            } else cur++;
        }
        gl[k] = cur;
        int nparts = k + 1;
        if (sep == '.' && (C->flags & W_IP) && nparts == 4) {
            int ok = 1;
            for (int p = 0; p < 4 && ok; p++) {
                const char *pp = d + go[p];
                if (gl[p] > 3 || num(pp, 0, gl[p]) > 255) ok = 0;
                else if (!(gl[p] == 1 && pp[0] == '0') && pp[0] == '0') ok = 0;
            }
            if (ok && (ws == 0 || (ch(T, ws - 1) != 'v' && ch(T, ws - 1) != 'V'))) {
                FAIL_IF(PyList_SetSlice(cands, 0, PyList_GET_SIZE(cands), NULL) < 0);
                FAIL_IF(add_cand(cands, E_IP, 0.6) < 0);
                goto pick;
            }
        }
        if (nparts == 3) {
            double base = c_numeric_date(C, d + go[0], gl[0], d + go[1], gl[1], d + go[2], gl[2]);
            if (base >= 0) {
                if ((C->flags & W_DATE) && !coded) FAIL_IF(add_cand(cands, E_DATE, base) < 0);
                goto pick;
            }
        }
        if (nparts == 4 && sep == '.') {
            r = (C->flags & W_CARD) ? shape_in(shape, C->card_shapes) : 0;
            FAIL_IF(r < 0);
            if (!r) {
                result = Py_NewRef(Py_None);
                goto done;
            }
        }
    }
    if (n < 5) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    /* 4. a validated card number */
    if (n >= 13 && (C->flags & W_CARD)) {
        int card_shape = shape_in(shape, C->card_shapes);
        FAIL_IF(card_shape < 0);
        if (!sliced || (card_ok && card_shape)) {
            if ((plain || sep == ' ' || sep == '-' || card_shape) && c_issuer_ok(d, n) && c_luhn(d, n)) {
                FAIL_IF(PyList_SetSlice(cands, 0, PyList_GET_SIZE(cands), NULL) < 0);
                FAIL_IF(add_cand(cands, E_CARD, (plain || card_shape) ? 1.0 : 0.8) < 0);
                goto pick;
            }
        }
    }
    if (coded || ((n == 10 || n == 13) && c_isbn(d, n, dashes_only && nseps == 3 && ch(T, ge - 2) == '-'))) {
        Py_CLEAR(cands);
        result = Py_NewRef(Py_None);
        goto done;
    }
    /* 5. everything else proposes */
    if (n == 12 && plain && (C->flags & W_CARD) && c_maestro12(d) && c_luhn(d, n))
        FAIL_IF(add_cand(cands, E_CARD, 0.4) < 0);
    if (sliced) {
        if (sep == '.') {
            result = Py_NewRef(Py_None);
            goto done;
        }
    } else if (n == 9) {
        if (plain) {
            if ((C->flags & W_SSN) && c_us_ssn(d)) FAIL_IF(add_cand(cands, E_SSN, 0.3) < 0);
            if ((C->flags & W_ITIN) && c_us_itin(d)) FAIL_IF(add_cand(cands, E_ITIN, 0.3) < 0);
            if ((C->flags & W_ABA) && c_aba(d)) FAIL_IF(add_cand(cands, E_ABA, 0.3) < 0);
            if ((C->flags & W_TFN) && c_au_tfn(d)) FAIL_IF(add_cand(cands, E_TFN, 0.3) < 0);
            if (C->flags & W_USPASS) FAIL_IF(add_cand(cands, E_USPASS, 0.1) < 0);
        } else if ((r = shape_in(shape, C->ssn_shapes)) != 0) {
            FAIL_IF(r < 0);
            if (d[0] == '9') {
                if ((C->flags & W_ITIN) && c_us_itin(d)) FAIL_IF(add_cand(cands, E_ITIN, 0.85) < 0);
            } else if ((C->flags & W_SSN) && c_us_ssn(d)) {
                FAIL_IF(add_cand(cands, E_SSN, 0.85) < 0);
            }
        } else if ((r = shape_in(shape, C->tfn_shapes)) != 0) {
            FAIL_IF(r < 0);
            if ((C->flags & W_TFN) && c_au_tfn(d)) FAIL_IF(add_cand(cands, E_TFN, 0.45) < 0);
        } else if ((r = shape_in(shape, C->aba_shapes)) != 0) {
            FAIL_IF(r < 0);
            if ((C->flags & W_ABA) && c_aba(d)) FAIL_IF(add_cand(cands, E_ABA, 0.6) < 0);
        }
    } else if (n == 10 && (C->flags & W_NHS)) {
        r = plain ? 1 : shape_in(shape, C->nhs_shapes);
        FAIL_IF(r < 0);
        if (r && c_uk_nhs(d)) FAIL_IF(add_cand(cands, E_NHS, plain ? 0.3 : 0.5) < 0);
    }
    if ((C->flags & W_IDNUMS) && C->propose != NULL && !sliced && n >= 9 && n <= 12) {  /* propose's lengths */
        FAIL_IF(DIGITS() == NULL);
        seg = PyUnicode_Substring(T->obj, gs, ge);
        FAIL_IF(seg == NULL);
        PyObject *got = PyObject_CallFunction(C->propose, "OOOOO", digits, seg, shape != NULL ? shape : E_EMPTY,
                                              plain ? Py_True : Py_False, cands);
        FAIL_IF(got == NULL);
        Py_DECREF(got);
    }
    if (n == 8 && (C->flags & W_DATE) && !sliced) {
        r = plain ? 1 : shape_in(shape, C->spaced_shapes);
        FAIL_IF(r < 0);
        if (r) {
            double base = c_compact_date(C, d);
            if (base >= 0) FAIL_IF(add_cand(cands, E_DATE, base) < 0);
        }
    }
    if (plain) {
        if (n >= 8 && n <= 17 && (C->flags & W_BANK)) FAIL_IF(add_cand(cands, E_BANK, 0.05) < 0);
        if (n >= 7 && n <= 9 && (C->flags & W_USDL)) FAIL_IF(add_cand(cands, E_USDL, 0.05) < 0);
    } else if (!sliced && (sep == ' ' || sep == '-')) {
        if (n >= 8 && n <= 17 && (C->flags & W_BANK)) FAIL_IF(add_cand(cands, E_BANK, 0.05) < 0);
        if (n >= 8 && n <= 9 && (C->flags & W_USDL)) {
            r = shape_in(shape, C->dl_shapes);
            FAIL_IF(r < 0);
            if (r) FAIL_IF(add_cand(cands, E_USDL, 0.05) < 0);
        }
    }
    if (C->phone_nat != NULL && n >= 7 && n <= 13) {
        int strong = 0;
        if (PyList_GET_SIZE(cands) > 0) {
            double s0 = PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(PyList_GET_ITEM(cands, 0), 1));
            strong = s0 >= 0.85;
        }
        r = strong ? 0 : shape_in(shape, C->ssn_shapes);
        FAIL_IF(r < 0);
        if (!strong && !r) {
            int formatted = paren || (!plain && fmt_seps);
            int ok = 0;
            if (formatted || n == 10 || n == 11) {
                FAIL_IF(DIGITS() == NULL);
                PyObject *got = PyObject_CallFunctionObjArgs(C->phone_nat, digits, formatted ? Py_True : Py_False, NULL);
                FAIL_IF(got == NULL);
                ok = PyObject_IsTrue(got);
                Py_DECREF(got);
                FAIL_IF(ok < 0);
                if (ok) FAIL_IF(add_cand(cands, E_PHONE, formatted ? 0.6 : 0.4) < 0);
            }
            if (!ok && plain && n == 9) {
                FAIL_IF(DIGITS() == NULL);
                PyObject *got = PyObject_CallFunctionObjArgs(C->phone_nat, digits, Py_True, NULL);
                FAIL_IF(got == NULL);
                int ok2 = PyObject_IsTrue(got);
                Py_DECREF(got);
                FAIL_IF(ok2 < 0);
                if (ok2) FAIL_IF(add_cand(cands, E_PHONE, 0.15) < 0);
            }
        }
    }
    if (PyList_GET_SIZE(cands) > 0) {
        int amount = unit_may(C, T, we);
        if (amount) {
            PyObject *got = PyObject_CallFunction(C->unit_after, "On", T->obj, we);
            FAIL_IF(got == NULL);
            amount = PyObject_IsTrue(got);
            Py_DECREF(got);
            FAIL_IF(amount < 0);
        }
        if (!amount) {
            amount = currency_ascii(T, ws);
            if (amount == 2) {
                PyObject *got = PyObject_CallFunction(C->currency_before, "On", T->obj, ws);
                FAIL_IF(got == NULL);
                amount = PyObject_IsTrue(got);
                Py_DECREF(got);
                FAIL_IF(amount < 0);
            }
        }
        if (amount) {
            PyObject *kept = PyList_New(0);
            FAIL_IF(kept == NULL);
            for (Py_ssize_t i = 0; i < PyList_GET_SIZE(cands); i++) {
                PyObject *c = PyList_GET_ITEM(cands, i);
                if (PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(c, 1)) >= 0.8 && PyList_Append(kept, c) < 0) {
                    Py_DECREF(kept);
                    goto done;
                }
            }
            Py_SETREF(cands, kept);
        }
    }
pick:
    if (PyList_GET_SIZE(cands) == 0) {
        result = Py_NewRef(Py_None);
    } else if (PyList_GET_SIZE(cands) == 1 && PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(PyList_GET_ITEM(cands, 0), 1)) >= 0.9) {
        /* validated and unambiguous: `_pick` takes it as it is */
        PyObject *c0 = PyList_GET_ITEM(cands, 0);
        result = Py_BuildValue("(nnOO)", ws, we, PyTuple_GET_ITEM(c0, 0), PyTuple_GET_ITEM(c0, 1));
    } else if (C->pk_tries != NULL) {
        result = pick_c(C, det, doc, T, cands, ws, we);
    } else {
        result = PyObject_CallFunction(C->pick, "OOOnn", det, cands, doc, ws, we);
    }
done:
    Py_XDECREF(cands);
    Py_XDECREF(digits);
    Py_XDECREF(shape);
    Py_XDECREF(seg);
    return result;
#undef FAIL_IF
#undef DIGITS
}

/* `Detector._run_tail_py`: 0, -1 on error */
static int tail_impl(const RunCfg *C, PyObject *det, PyObject *doc, const Txt *Tp, Py_ssize_t s, Py_ssize_t ge,
                     int coded, PyObject *out) {
    const Txt T = *Tp;
    PyObject *hit = classify_c(C, det, doc, &T, s, ge, 0, 0, coded, 0);
    if (hit == NULL) return -1;
    if (hit != Py_None) {
        int r = PyList_Append(out, hit);
        Py_DECREF(hit);
        if (r < 0) return -1;
        return 0;
    }
    Py_DECREF(hit);
    /* ge - s < 7 or all digits: nothing more */
    if (ge - s < 7) return 0;
    char dg[20];
    int nd = 0, ndash = 0, nsep = 0, only_dash = 1;
    for (Py_ssize_t i = s; i < ge; i++) {
        Py_UCS4 c = ch(&T, i);
        if (c >= '0' && c <= '9') {
            if (nd < 20) dg[nd] = (char)c;
            nd++;
        } else {
            nsep++;
            if (c == '-') ndash++;
            else only_dash = 0;
        }
    }
    if (nsep == 0) return 0;
    if ((nd == 10 || nd == 13) && c_isbn(dg, nd, only_dash && ndash == 3 && ch(&T, ge - 2) == '-'))
        return 0;
    /* the digit groups */
    Py_ssize_t cap_g = 16, ng = 0;
    Py_ssize_t *gsv = PyMem_Malloc(2 * cap_g * sizeof(Py_ssize_t));
    if (gsv == NULL) return PyErr_NoMemory(), -1;
    for (Py_ssize_t i = s; i < ge;) {
        Py_UCS4 c = ch(&T, i);
        if (c >= '0' && c <= '9') {
            Py_ssize_t a = i;
            while (i < ge && ch(&T, i) >= '0' && ch(&T, i) <= '9') i++;
            if (ng == cap_g) {
                cap_g *= 2;
                Py_ssize_t *g2 = PyMem_Realloc(gsv, 2 * cap_g * sizeof(Py_ssize_t));
                if (g2 == NULL) {
                    PyMem_Free(gsv);
                    return PyErr_NoMemory(), -1;
                }
                gsv = g2;
            }
            gsv[2 * ng] = a;
            gsv[2 * ng + 1] = i;
            ng++;
        } else i++;
    }
#define GS(k) gsv[2 * (k)]
#define GE(k) gsv[2 * (k) + 1]
#define GL(k) (GE(k) - GS(k))
    int ret = -1;
    if (ng > 8) {
        Py_UCS4 first = 0;
        int same = 1, seen = 0;
        for (Py_ssize_t i = s; i < ge && same; i++) {
            Py_UCS4 c = ch(&T, i);
            if (c >= '0' && c <= '9') continue;
            if (!seen) { first = c; seen = 1; }
            else if (c != first) same = 0;
        }
        if (same) {
            ret = 0;
            goto out;
        }
    }
    Py_ssize_t i = 0;
    while (i < ng) {
        Py_ssize_t j = i, digits = GL(i);
        while (j + 1 < ng && digits + GL(j + 1) <= 19) {
            j++;
            digits += GL(j);
        }
        if (i == 0 && j == ng - 1) {
            digits -= GL(j);
            j--;
        }
        PyObject *h = NULL;
        while (j >= i && digits >= 5) {
            Py_UCS4 ol = 0, orr = 0;
            if (i && GS(i) - GE(i - 1) == 1) ol = ch(&T, GE(i - 1));
            if (j < ng - 1 && GS(j + 1) - GE(j) == 1) orr = ch(&T, GE(j));
            Py_ssize_t tail = j < ng - 1 ? GL(j + 1) : 0;
            Py_ssize_t lead = i ? GL(i - 1) : 0;
            h = classify_c(C, det, doc, &T, GS(i), GE(j), ol, orr, coded, tail != 4 && lead != 4);
            if (h == NULL) goto out;
            if (h != Py_None) break;
            Py_CLEAR(h);
            digits -= GL(j);
            j--;
        }
        if (h != NULL) {
            int r = PyList_Append(out, h);
            Py_DECREF(h);
            if (r < 0) goto out;
            i = j + 1;
        } else {
            i++;
        }
    }
    ret = 0;
out:
    PyMem_Free(gsv);
    return ret;
#undef GS
#undef GE
#undef GL
}


PyDoc_STRVAR(run_tail_doc,
"run_tail(cfg, det, doc, text, s, ge, coded, out) -> None\n\n"
"``Detector._run_tail_py(doc, s, ge, coded, out)``: the run ``text[s:ge]`` classified whole, else\n"
"its windows of digit groups, longest first; hits appended to ``out``. ``cfg``: `runs_config`.");

static PyObject *run_tail(PyObject *self, PyObject *args) {
    PyObject *cap, *det, *doc, *text, *out;
    Py_ssize_t s, ge;
    int coded;
    if (!PyArg_ParseTuple(args, "OOOUnnpO!:run_tail", &cap, &det, &doc, &text, &s, &ge, &coded, &PyList_Type, &out))
        return NULL;
    RunCfg *C = (RunCfg *)PyCapsule_GetPointer(cap, "guardwrap.pii._cscan.runs");
    if (C == NULL) return NULL;
    Txt T;
    txt_init(&T, text);
    if (s < 0 || ge > T.n || s > ge) {
        PyErr_SetString(PyExc_IndexError, "run_tail: bounds");
        return NULL;
    }
    if (tail_impl(C, det, doc, &T, s, ge, coded, out) < 0) return NULL;
    Py_RETURN_NONE;
}

/* the end of the `_engine._RUN` match that starts at the digit ``s`` (the pattern
 * ``[0-9]+(?:(?:[ \-./_\u00a0]|\)[ .\-]?| ?\()[0-9]+)*\)?``, its alternatives in their order) */
static Py_ssize_t run_end(const Txt *T, Py_ssize_t s) {
    Py_ssize_t n = T->n, p = s;
#define DIG(i) ((i) < n && ch(T, i) >= '0' && ch(T, i) <= '9')
    while (DIG(p)) p++;
    for (;;) {
        Py_UCS4 c = p < n ? ch(T, p) : 0;
        Py_ssize_t q = -1;
        if ((c == ' ' || c == '-' || c == '.' || c == '/' || c == '_' || c == 0xa0) && DIG(p + 1)) q = p + 1;
        else if (c == ')') {
            Py_UCS4 c2 = p + 1 < n ? ch(T, p + 1) : 0;
            if ((c2 == ' ' || c2 == '.' || c2 == '-') && DIG(p + 2)) q = p + 2;
            else if (DIG(p + 1)) q = p + 1;
        } else if (c == ' ' && p + 1 < n && ch(T, p + 1) == '(' && DIG(p + 2)) q = p + 2;
        else if (c == '(' && DIG(p + 1)) q = p + 1;
        if (q < 0) break;
        p = q;
        while (DIG(p)) p++;
    }
    if (p < n && ch(T, p) == ')') p++;
    return p;
#undef DIG
}

/* a callback returning an index (-1 or 0: nothing); -2 on error */
static Py_ssize_t call_index(PyObject *r) {
    if (r == NULL) return -2;
    Py_ssize_t v = PyLong_AsSsize_t(r);
    Py_DECREF(r);
    if (v == -1 && PyErr_Occurred()) return -2;
    return v;
}

static int in_chars(Py_UCS4 c, const char *set) { return c != 0 && c < 128 && strchr(set, (int)c) != NULL; }

/* at least 25 base58 characters after ``s`` (what `_crypto.BASE58` needs before its end test) */
static int b58_long(const Txt *T, Py_ssize_t s) {
    Py_ssize_t k = 0;
    for (Py_ssize_t i = s + 1; i < T->n && k < 25; i++, k++) {
        Py_UCS4 c = ch(T, i);
        if (!((c >= '1' && c <= '9') || (c >= 'A' && c <= 'H') || (c >= 'J' && c <= 'N') || (c >= 'P' && c <= 'Z') ||
              (c >= 'a' && c <= 'k') || (c >= 'm' && c <= 'z')))
            return 0;
    }
    return k >= 25;
}

/* 0 when `Detector._letter_prefixed(doc, s, out)` surely finds nothing (no wanted id has as many
 * letters as precede the run, or the spaced NINO's letters cannot start one), else 1 */
static int is_digit_at(const Txt *T, Py_ssize_t i) {
    Py_UCS4 c = ch(T, i);
    return c >= '0' && c <= '9';
}

static int lp_may(const RunCfg *C, const Txt *T, Py_ssize_t s) {
    Py_ssize_t lo = s - (C->lp_gate >> 20), p = s;
    if (lo < 0) lo = 0;
    while (p > lo && Py_UNICODE_ISALPHA(ch(T, p - 1))) p--;
    if (p == s && s >= 3 && ch(T, s - 1) == ' ' && Py_UNICODE_ISALPHA(ch(T, s - 2)) &&
        Py_UNICODE_ISALPHA(ch(T, s - 3))) {
        if (!(C->lp_gate >> 16 & 1)) return 0;  /* only a NINO is written so */
        Py_UCS4 a = ch(T, s - 3), b = ch(T, s - 2);
        if (a < 128 && b < 128) {
            a = is_lower((Py_UCS1)a) ? a - 32 : a;
            b = is_lower((Py_UCS1)b) ? b - 32 : b;
            if (!(C->nino_first >> (a - 'A') & 1) || !(C->nino_second >> (b - 'A') & 1)) return 0;
            /* `_national.NINO`'s digits after "AB ": 2, 2 and 2 digits (a blank after each taken when
             * there), then the suffix letter; the Python reads the window upper-cased, where a
             * non-ASCII character may turn into one ("\u1e9a" -> "A\u02be"): let it ask */
            Py_ssize_t i = s, n = T->n;
            for (int k = 0; k < 3; k++) {
                if (i + 1 >= n || !is_digit_at(T, i) || !is_digit_at(T, i + 1)) return 0;
                i += 2;
                if (i < n && ch(T, i) == ' ') i++;
            }
            if (i >= n) return 0;
            Py_UCS4 d = ch(T, i);
            if (d < 128 && !((d >= 'A' && d <= 'D') || (d >= 'a' && d <= 'd'))) return 0;
        }
        return 1;
    }
    if (p > 0 && Py_UNICODE_ISALNUM(ch(T, p - 1))) return 0;
    Py_ssize_t letters = s - p;
    return letters < 16 && (C->lp_gate >> letters & 1);
}

static Py_ssize_t iban_end_at(const Txt *Tp, Py_ssize_t p, Py_ssize_t e, PyObject *lengths);
static PyObject *E_IBAN;

static int iban_alnum_up(Py_UCS4 c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* the end of a `_banking.IBAN` match at ``p`` (``[A-Z]{2}[0-9]{2}(?:[ \-./_]?[A-Z0-9]){8,32}``), -1 */
static Py_ssize_t iban_match(const Txt *T, Py_ssize_t p) {
    Py_ssize_t n = T->n, q = p;
    if (q + 4 > n) return -1;
    for (int k = 0; k < 4; k++) {
        Py_UCS4 c = ch(T, q + k);
        if (k < 2 ? !(c >= 'A' && c <= 'Z') : !(c >= '0' && c <= '9')) return -1;
    }
    q += 4;
    int count = 0;
    while (count < 32) {
        Py_UCS4 c = q < n ? ch(T, q) : 0;
        if ((c == ' ' || c == '-' || c == '.' || c == '/' || c == '_') && q + 1 < n && iban_alnum_up(ch(T, q + 1))) q += 2;
        else if (q < n && iban_alnum_up(c)) q += 1;
        else break;
        count++;
    }
    return count >= 8 ? q : -1;
}

/* `Detector._letter_prefixed(doc, s, out)` when the only letter-prefixed id wanted is the IBAN
 * (W_LP_IBAN): the hit's end (appended to ``out``), 0 none, -2 error, -3 when the Python must
 * decide (non-ASCII letters or window) */
static Py_ssize_t lp_iban(const RunCfg *C, const Txt *T, Py_ssize_t s, PyObject *out) {
    Py_ssize_t lo = s - (C->lp_gate >> 20), p = s;
    if (lo < 0) lo = 0;
    while (p > lo && Py_UNICODE_ISALPHA(ch(T, p - 1))) p--;
    if (p == s) return 0;  /* the spaced form is a NINO's, and no letters is no id */
    if (p > 0 && Py_UNICODE_ISALNUM(ch(T, p - 1))) return 0;
    if (s - p != 2) return 0;
    Py_UCS4 a = ch(T, p), b = ch(T, p + 1);
    if (a >= 128 || b >= 128) return -3;
    Py_ssize_t end;
    if (is_upper((Py_UCS1)a) && is_upper((Py_UCS1)b)) {
        Py_ssize_t m = iban_match(T, p);
        if (m < 0) return 0;
        end = iban_end_at(T, p, m, C->iban_lengths);
        if (end == -2) return -2;
        if (end < 0) return 0;
    } else {
        /* the upper-cased window text[p:p + 52], read as its own text */
        Py_ssize_t wn = T->n - p < 52 ? T->n - p : 52;
        Py_UCS1 buf[52];
        for (Py_ssize_t i = 0; i < wn; i++) {
            Py_UCS4 c = ch(T, p + i);
            if (c >= 128) return -3;
            buf[i] = is_lower((Py_UCS1)c) ? (Py_UCS1)(c - 32) : (Py_UCS1)c;
        }
        PyObject *w = PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, buf, wn);
        if (w == NULL) return -2;
        Txt W;
        txt_init(&W, w);
        Py_ssize_t m = iban_match(&W, 0);
        end = m < 0 ? -1 : iban_end_at(&W, 0, m, C->iban_lengths);
        Py_DECREF(w);
        if (end == -2) return -2;
        if (end < 0) return 0;
        end += p;
    }
    PyObject *hit = Py_BuildValue("(nnOd)", p, end, E_IBAN, 1.0);
    if (hit == NULL) return -2;
    int r = PyList_Append(out, hit);
    Py_DECREF(hit);
    return r < 0 ? -2 : end;
}

/* `_engine._glued_card_len`, and more: the run text[s:e] holds 13 to 19 digits that pass the issuer
 * and Luhn checks (the callback validates again; most digit runs glued to words stop here) */
static int glued_card_len(const Txt *T, Py_ssize_t s, Py_ssize_t e) {
    if (e - s < 13) return 0;
    char d[20];
    int k = 0;
    for (Py_ssize_t i = s; i < e; i++) {
        Py_UCS4 c = ch(T, i);
        if (c >= '0' && c <= '9') {
            if (k == 19) return 0;
            d[k++] = (char)c;
        }
    }
    return k >= 13 && c_issuer_ok(d, k) && c_luhn(d, k);
}

/* A run glued to letters: `Detector._glued_card` when it could hold a card, else the run's end */
static Py_ssize_t glued_run(const RunCfg *C, PyObject *det, PyObject *doc, const Txt *T, Py_ssize_t s,
                            Py_ssize_t e, PyObject *out) {
    if (C->glued_card_cb == NULL || !glued_card_len(T, s, e)) return e;
    return call_index(PyObject_CallFunction(C->glued_card_cb, "OOnnO", det, doc, s, e, out));
}

/* `_loose_sep`: what follows a run of four digits may join card groups `_RUN` does not join ("*",
 * " - ", "][", '" "'): no letter, digit or line break, and not a space before a letter, a digit
 * or another space */
static int loose_sep(const Txt *T, Py_ssize_t e) {
    Py_UCS4 c = ch(T, e);
    if (Py_UNICODE_ISALNUM(c) || c == '\n') return 0;
    if (c != ' ') return 1;
    Py_UCS4 d = ch(T, e + 1);
    return !Py_UNICODE_ISALNUM(d) && !Py_UNICODE_ISSPACE(d);
}

/* `Detector._run(doc, s, e, out)`: the index up to which later runs are covered; -2 on error */
static Py_ssize_t run_one(const RunCfg *C, PyObject *det, PyObject *doc, const Txt *T, Py_ssize_t s, Py_ssize_t e,
                          PyObject *out) {
    Py_ssize_t n = T->n;
    Py_UCS4 c = s ? ch(T, s - 1) : ' ';
    Py_ssize_t g = s;
    while (g < e && ch(T, g) >= '0' && ch(T, g) <= '9') g++;
    int c_alnum = Py_UNICODE_ISALNUM(c), c_alpha = Py_UNICODE_ISALPHA(c);
    if (C->loose_card_cb != NULL && g == e && e - s == 4 && !c_alnum && e < n - 1 && loose_sep(T, e)) {
        Py_ssize_t r = call_index(PyObject_CallFunction(C->loose_card_cb, "OOnO", det, doc, s, out));
        if (r == -2) return -2;
        if (r > 0) return r;
    }
    if ((C->flags & W_ADDR) && (g - s <= 6 || (e - s == 10 && ch(T, s + 5) == '-')) && !c_alnum) {
        Py_ssize_t ae = e - s == 10 ? e : g;
        long plan = plan_at(T, s, ae, C->at_keys, C->fr_start, C->ordinals, C->po_words);
        if (plan < 0) return -2;
        if ((plan & 2) && C->ta != NULL) {
            /* `_planned`'s `after_maybe` on its window text[s - 48:s], here: most capitalised words
             * before a number are no street, and need no call back (bit 16: asked, and it may be) */
            plan = after_maybe_at(T, s - 48 > 0 ? s - 48 : 0, s, C->ta, C->tb) ? plan | 16 : plan & ~2L;
        }
        if (plan & 15) {
            Py_ssize_t r = call_index(PyObject_CallFunction(C->addr_cb, "OOnnlO", det, doc, s, ae, plan, out));
            if (r == -2) return -2;
            if (r > 0) return r;
        }
    }
    if ((C->flags & W_LP) && (c_alpha || (c == ' ' && s >= 3 && Py_UNICODE_ISALPHA(ch(T, s - 2)))) &&
        lp_may(C, T, s)) {
        Py_ssize_t r = (C->flags & W_LP_IBAN) ? lp_iban(C, T, s, out) : -3;
        if (r == -3) r = call_index(PyObject_CallFunction(C->lp_cb, "OOnO", det, doc, s, out));
        if (r == -2) return -2;
        if (r) return r;
    }
    if (c_alpha || c == '_') return glued_run(C, det, doc, T, s, e, out);
    if ((C->flags & W_CRYPTO) && (ch(T, s) == '1' || ch(T, s) == '3') && !c_alnum && b58_long(T, s)) {
        Py_ssize_t r = call_index(PyObject_CallFunction(C->crypto_cb, "OnO", T->obj, s, out));
        if (r == -2) return -2;
        if (r > 0) return r;
    }
    if (e < n - 1 && ch(T, e) == ':' && Py_UNICODE_ISDIGIT(ch(T, e + 1))) {
        Py_ssize_t k = e - 1;
        while (k > s && Py_UNICODE_ISDIGIT(ch(T, k))) k--;
        if (k <= s) return e;
        e = k;
    }
    Py_ssize_t ge = ch(T, e - 1) == ')' ? e - 1 : e;
    if ((C->flags & W_DATE) && g - s <= 4 && g < n - 1) {
        int go = in_chars(ch(T, g), " -./,") || (s && in_chars(ch(T, s - 1), " -./"));
        if (!go) {
            Py_UCS4 a = ch(T, g), b = ch(T, g + 1);
            a = (a >= 'A' && a <= 'Z') ? a + 32 : a;
            b = (b >= 'A' && b <= 'Z') ? b + 32 : b;
            go = (a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') || (a == 't' && b == 'h');
        }
        if (go) {
            int near = near_month(T, s, g, C->month_prefixes);
            if (near < 0) return -2;
            if (near) {
                Py_ssize_t r = call_index(PyObject_CallFunction(C->date_cb, "OOnnO", det, doc, s, g, out));
                if (r == -2) return -2;
                if (r >= 0) return r;
            }
        }
    }
    if (e - s < 4) return e;
    if ((C->flags & W_GLUED) && ge < n && ge - s < 63 && (C->glued_lens >> (ge - s) & 1) &&
        (Py_UNICODE_ISUPPER(ch(T, ge)) || ch(T, ge) == '-')) {
        Py_ssize_t r = call_index(PyObject_CallFunction(C->glued_cb, "OOnO", det, doc, s, out));
        if (r == -2) return -2;
        if (r > 0) return r;
    }
    if (ge < n && Py_UNICODE_ISALNUM(ch(T, ge)) &&
        !(ch(T, ge) == 'x' && ge + 1 < n && Py_UNICODE_ISDIGIT(ch(T, ge + 1))))
        return glued_run(C, det, doc, T, s, e, out);
    if (e < n - 1 && in_chars(ch(T, e), ".-/") && Py_UNICODE_ISDIGIT(ch(T, e + 1))) return e;
    int coded = s >= 2 && in_chars(ch(T, s - 1), "-/_") && Py_UNICODE_ISALNUM(ch(T, s - 2));
    if (tail_impl(C, det, doc, T, s, ge, coded, out) < 0) return -2;
    return e;
}

PyDoc_STRVAR(runs_doc,
"runs(cfg, det, doc, text, out) -> None\n\n"
"The digit-run loop of ``Detector.scan``: every `_engine._RUN` match not covered by the one\n"
"before, through ``Detector._run`` (whose address, letter-prefixed, base58, written-date and\n"
"glued-id steps are called back when their cheap tests pass); hits appended to ``out``.");

static PyObject *runs(PyObject *self, PyObject *args) {
    PyObject *cap, *det, *doc, *text, *out;
    if (!PyArg_ParseTuple(args, "OOOUO!:runs", &cap, &det, &doc, &text, &PyList_Type, &out)) return NULL;
    RunCfg *C = (RunCfg *)PyCapsule_GetPointer(cap, "guardwrap.pii._cscan.runs");
    if (C == NULL) return NULL;
    Txt T;
    txt_init(&T, text);
    Py_ssize_t pos = 0, skip = 0, n = T.n;
    while (pos < n) {
        if (T.kind == PyUnicode_1BYTE_KIND) {  /* to the next digit in a tight loop (most text has none) */
            const Py_UCS1 *d = (const Py_UCS1 *)T.data;
            while (pos < n && (unsigned)(d[pos] - '0') > 9u)
                pos++;
            if (pos >= n)
                break;
        }
        else {
            Py_UCS4 c = ch(&T, pos);
            if (c < '0' || c > '9') {
                pos++;
                continue;
            }
        }
        Py_ssize_t e = run_end(&T, pos);
        if (pos >= skip) {
            skip = run_one(C, det, doc, &T, pos, e, out);
            if (skip == -2) return NULL;
        }
        pos = e;
    }
    Py_RETURN_NONE;
}


PyDoc_STRVAR(iban_end_doc,
"iban_end(text, p, e, lengths) -> int | None\n\n"
"``_banking.iban_end_py(text, p, e)`` (``text[p:e]`` matched ``_banking.IBAN``; ``lengths``:\n"
"``IBAN_LENGTHS``): the end of a valid IBAN starting at ``p``, or None.");

static int iban_alnum(Py_UCS4 c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* `iban_end` once its arguments are checked: the end, -1 none, -2 error */
static Py_ssize_t iban_end_at(const Txt *Tp, Py_ssize_t p, Py_ssize_t e, PyObject *lengths) {
    Txt T = *Tp;
    PyObject *text = T.obj;
    PyObject *country = PyUnicode_Substring(text, p, p + 2);
    if (country == NULL) return -2;
    PyObject *lo = PyDict_GetItemWithError(lengths, country);
    Py_DECREF(country);
    if (lo == NULL) {
        if (PyErr_Occurred()) return -2;
        return -1;
    }
    Py_ssize_t length = PyLong_AsSsize_t(lo);
    if (length == -1 && PyErr_Occurred()) return -2;
    /* one kind of separator per IBAN: the match ends where another kind starts */
    Py_UCS4 sep = 0;
    for (Py_ssize_t i = p + 4; i < e; i++) {
        Py_UCS4 c = ch(&T, i);
        if (iban_alnum(c)) continue;
        if (sep == 0) sep = c;
        else if (c != sep) {
            e = i;
            break;
        }
    }
    Py_ssize_t i = p + length;
    if (sep) {
        Py_ssize_t j = p, count = 0;
        i = -1;
        while (j < e) {
            Py_ssize_t k = j;
            while (k < e && ch(&T, k) != sep) k++;
            if (count + k - j >= length) {
                i = j + length - count;
                break;
            }
            count += k - j;
            j = k + 1;
        }
        if (i < 0) return -1;
    }
    if (i > e || (i < T.n && Py_UNICODE_ISALNUM(ch(&T, i)))) return -1;
    /* the value without separators: its length, then mod 97 over it rearranged */
    Py_UCS4 v[64];
    Py_ssize_t nv = 0;
    for (Py_ssize_t k = p; k < i; k++) {
        Py_UCS4 c = ch(&T, k);
        if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '_') continue;
        if (nv == 64) return -1;  /* longer than any country's length */
        v[nv++] = c;
    }
    if (nv != length || nv < 4) return -1;
    unsigned rem = 0;
    for (Py_ssize_t k = 0; k < nv; k++) {
        Py_UCS4 c = v[(k + 4) % nv];
        if (c >= '0' && c <= '9') rem = (rem * 10 + (c - '0')) % 97;
        else rem = (rem * 100 + (c - 'A' + 10)) % 97;
    }
    if (rem != 1) return -1;
    return i;
}

static PyObject *iban_end(PyObject *self, PyObject *args) {
    PyObject *text, *lengths;
    Py_ssize_t p, e;
    if (!PyArg_ParseTuple(args, "UnnO!:iban_end", &text, &p, &e, &PyDict_Type, &lengths)) return NULL;
    Txt T;
    txt_init(&T, text);
    if (p < 0 || e < p + 4 || e > T.n) {
        PyErr_SetString(PyExc_IndexError, "iban_end: match out of range");
        return NULL;
    }
    for (Py_ssize_t i = p; i < e; i++) {
        Py_UCS4 c = ch(&T, i);
        if (!(iban_alnum(c) || c == ' ' || c == '-' || c == '.' || c == '/' || c == '_')) {
            PyErr_SetString(PyExc_ValueError, "iban_end: not an IBAN pattern match");
            return NULL;
        }
    }
    Py_ssize_t end = iban_end_at(&T, p, e, lengths);
    if (end == -2) return NULL;
    if (end == -1) Py_RETURN_NONE;
    return PyLong_FromSsize_t(end);
}

/* ---------------------------------------------------------------------------------------------
 * email_locals: where the local part before each '@' starts (`_web.emails`)
 * ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(email_locals_doc,
"email_locals(text) -> [(start, at), ...]\n\nFor every ``@`` of text (at ``at``), the start of the run "
"of local-part characters just before it, at most 64 of them, when that run is not empty: as "
"``_web._local_starts_py``.");

#ifndef STR_READY
#if PY_VERSION_HEX >= 0x030C0000
#define STR_READY(o) 0
#else
#define STR_READY(o) PyUnicode_READY(o)
#endif
#endif

/* RFC 5322 local-part characters less & = ? / (`_web._LOCAL_CHARS`) */
static int email_local_char(Py_UCS4 c) {
    return c < 128 && c != 0 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                                 || strchr("!#$%'*+^_`{|}~.-", (int)c) != NULL);
}

static PyObject *email_locals(PyObject *self, PyObject *text) {
    Txt T;
    PyObject *out;
    Py_ssize_t at = 0;
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "email_locals takes a str");
        return NULL;
    }
    if (STR_READY(text) < 0)
        return NULL;
    txt_init(&T, text);
    out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (;;) {
        Py_ssize_t s, lo;
        if (T.kind == PyUnicode_1BYTE_KIND) {  /* memchr for the next '@' */
            const Py_UCS1 *d = (const Py_UCS1 *)T.data, *hit;
            hit = at < T.n ? memchr(d + at, '@', (size_t)(T.n - at)) : NULL;
            if (hit == NULL)
                break;
            at = hit - d;
        }
        else {
            while (at < T.n && ch(&T, at) != '@')
                at++;
            if (at >= T.n)
                break;
        }
        s = at;
        lo = at - 64 > 0 ? at - 64 : 0;
        while (s > lo && email_local_char(ch(&T, s - 1)))
            s--;
        if (s < at) {
            PyObject *pair = Py_BuildValue("(nn)", s, at);
            if (pair == NULL || PyList_Append(out, pair) < 0) {
                Py_XDECREF(pair);
                Py_DECREF(out);
                return NULL;
            }
            Py_DECREF(pair);
        }
        at++;
    }
    return out;
}

static PyMethodDef methods[] = {
    {"iban_end", iban_end, METH_VARARGS, iban_end_doc},
    {"runs_config", runs_config, METH_VARARGS, runs_config_doc},
    {"run_tail", run_tail, METH_VARARGS, run_tail_doc},
    {"runs", runs, METH_VARARGS, runs_doc},
    {"pre_window", pre_window, METH_VARARGS, pre_window_doc},
    {"pick", pick, METH_VARARGS, pick_doc},
    {"judge", judge, METH_VARARGS, judge_doc},
    {"names_scan", names_scan, METH_VARARGS, names_scan_doc},
    {"names_config", names_config, METH_VARARGS, names_config_doc},
    {"cue_starts", cue_starts, METH_VARARGS, cue_starts_doc},
    {"label_ends", label_ends, METH_VARARGS, label_ends_doc},
    {"is_last", is_last, METH_VARARGS, is_last_doc},
    {"after_maybe", after_maybe, METH_VARARGS, after_maybe_doc},
    {"trie", trie, METH_O, trie_doc},
    {"last", last, METH_VARARGS, last_doc},
    {"at_number_plan", at_number_plan, METH_VARARGS, at_number_plan_doc},
    {"month_near", month_near, METH_VARARGS, month_near_doc},
    {"street_maybe", street_maybe, METH_VARARGS, street_maybe_doc},
    {"keccak256", keccak256, METH_O, keccak256_doc},
    {"seq_spans", seq_spans, METH_VARARGS, seq_spans_doc},
    {"email_locals", email_locals, METH_O, email_locals_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "guardwrap.pii._cscan",
    "C kernels for the PII fast engine (pure-Python reference: guardwrap.pii).", -1, methods,
};

PyMODINIT_FUNC PyInit__cscan(void) {
    crc_init();
    struct { PyObject **slot; const char *name; } names[] = {
        {&E_CARD, "CREDIT_CARD"}, {&E_IP, "IP_ADDRESS"}, {&E_DATE, "DATE_TIME"}, {&E_SSN, "US_SSN"},
        {&E_ITIN, "US_ITIN"}, {&E_ABA, "ABA_ROUTING_NUMBER"}, {&E_TFN, "AU_TFN"}, {&E_USPASS, "US_PASSPORT"},
        {&E_NHS, "UK_NHS"}, {&E_BANK, "US_BANK_NUMBER"}, {&E_USDL, "US_DRIVER_LICENSE"},
        {&E_PHONE, "PHONE_NUMBER"}, {&E_EMPTY, ""}, {&E_IBAN, "IBAN_CODE"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (*names[i].slot == NULL && (*names[i].slot = PyUnicode_InternFromString(names[i].name)) == NULL)
            return NULL;
    }
    return PyModule_Create(&module);
}
