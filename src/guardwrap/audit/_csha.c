/* guardwrap.audit._csha: the audit writer's hashing, without OpenSSL's per-call overhead.
 *
 * The pure-Python reference is hashlib/hmac (guardwrap.audit._keys.hasher, _chain.Chainer.seal):
 * a differential test holds these functions to it, digest for digest and byte for byte.
 *
 *   hmac_key(key: bytes) -> bytes          the HMAC-SHA256 key schedule (inner and outer states)
 *   hmac_hex(state: bytes, text: str) -> str
 *                                          HMAC-SHA256 of text's UTF-8 (lone surrogates encoded
 *                                          as "surrogatepass" does), lower-case hex
 *   sha256_hex(data: bytes) -> str         SHA-256, lower-case hex
 *   seal(bodies: list[bytes], prev: str, placeholder: str) -> (bytes, str)
 *                                          chains serialised records: in each body the value of
 *                                          its "prev_hash" key, `placeholder` (64 hex digits, random
 *                                          per process, so no content can hold it), becomes the
 *                                          previous record's hash; the line is the
 *                                          body with ,"hash":"<sha256 of the body>" spliced in
 *                                          before its closing brace, and a newline. Returns the
 *                                          lines joined and the last hash.
 *   steps_json(decisions, finding_type) -> bytes | None
 *                                          the "steps" of a call record (see below)
 *   call_bodies(items, start, stop, seq, chain_json, prev_json, layout_call, memo, segments,
 *               finding_type, out) -> int  the canonical bytes of a run of plain call records
 *                                          (`_record.call_body`, the reference), a run at a time
 *   seal_calls(items, start, stop, seq, chain_json, prev, layout_call, memo, segments,
 *              finding_type, max_bytes, gil_free_bytes) -> (lines, last hash, index)
 *                                          call_bodies and seal in one pass, the hashing of a
 *                                          large run without the GIL (see below)
 *   float_json(v) -> bytes | None          a float as the writer writes it (for tests)
 *   accelerated: bool                      the CPU's SHA extensions are used
 *
 * SHA-256 is computed with the x86 SHA extensions when the CPU has them (checked once at import),
 * else by portable C. No global mutable state besides that flag, set at module init.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define GW_SHANI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

static int use_shani = 0; /* set once at module init */

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
blocks_portable(uint32_t st[8], const unsigned char *p, size_t nblocks)
{
    uint32_t w[64];
    while (nblocks--) {
        int i;
        uint32_t a, b, c, d, e, f, g, h;
        for (i = 0; i < 16; i++) {
            w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) |
                   ((uint32_t)p[4 * i + 2] << 8) | (uint32_t)p[4 * i + 3];
        }
        for (i = 16; i < 64; i++) {
            uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        a = st[0]; b = st[1]; c = st[2]; d = st[3];
        e = st[4]; f = st[5]; g = st[6]; h = st[7];
        for (i = 0; i < 64; i++) {
            uint32_t S1 = ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25);
            uint32_t ch = (e & f) ^ (~e & g);
            uint32_t t1 = h + S1 + ch + K256[i] + w[i];
            uint32_t S0 = ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22);
            uint32_t mj = (a & b) ^ (a & c) ^ (b & c);
            uint32_t t2 = S0 + mj;
            h = g; g = f; f = e; e = d + t1;
            d = c; c = b; b = a; a = t1 + t2;
        }
        st[0] += a; st[1] += b; st[2] += c; st[3] += d;
        st[4] += e; st[5] += f; st[6] += g; st[7] += h;
        p += 64;
    }
}

#ifdef GW_SHANI
__attribute__((target("sha,sse4.1,ssse3"))) static void
blocks_shani(uint32_t st[8], const unsigned char *p, size_t nblocks)
{
    const __m128i MASK = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&st[0]);
    __m128i s1 = _mm_loadu_si128((const __m128i *)&st[4]);
    __m128i s0;
    tmp = _mm_shuffle_epi32(tmp, 0xB1);      /* CDAB */
    s1 = _mm_shuffle_epi32(s1, 0x1B);        /* EFGH */
    s0 = _mm_alignr_epi8(tmp, s1, 8);        /* ABEF */
    s1 = _mm_blend_epi16(s1, tmp, 0xF0);     /* CDGH */
    while (nblocks--) {
        __m128i m[4], msg, abef = s0, cdgh = s1;
        int i;
#if defined(__clang__)
#pragma clang loop unroll(full)
#elif defined(__GNUC__) && __GNUC__ >= 8
#pragma GCC unroll 16
#endif
        for (i = 0; i < 16; i++) {
            __m128i w;
            if (i < 4) {
                w = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), MASK);
            } else {
                w = _mm_sha256msg1_epu32(m[i & 3], m[(i + 1) & 3]);
                w = _mm_add_epi32(w, _mm_alignr_epi8(m[(i + 3) & 3], m[(i + 2) & 3], 4));
                w = _mm_sha256msg2_epu32(w, m[(i + 3) & 3]);
            }
            m[i & 3] = w;
            msg = _mm_add_epi32(w, _mm_loadu_si128((const __m128i *)&K256[4 * i]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
            msg = _mm_shuffle_epi32(msg, 0x0E);
            s0 = _mm_sha256rnds2_epu32(s0, s1, msg);
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
        p += 64;
    }
    tmp = _mm_shuffle_epi32(s0, 0x1B);       /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);        /* DCHG */
    s0 = _mm_blend_epi16(tmp, s1, 0xF0);     /* DCBA */
    s1 = _mm_alignr_epi8(s1, tmp, 8);        /* ABEF */
    _mm_storeu_si128((__m128i *)&st[0], s0);
    _mm_storeu_si128((__m128i *)&st[4], s1);
}
#endif

static void
blocks(uint32_t st[8], const unsigned char *p, size_t nblocks)
{
#ifdef GW_SHANI
    if (use_shani) {
        blocks_shani(st, p, nblocks);
        return;
    }
#endif
    blocks_portable(st, p, nblocks);
}

/* Finish a hash whose state `st` has absorbed `done` bytes (a multiple of 64) and continues with
 * `len` bytes at `p`. Writes the 32-byte digest to `out`. */
static void
finish(const uint32_t start[8], uint64_t done, const unsigned char *p, size_t len, unsigned char out[32])
{
    uint32_t st[8];
    unsigned char tail[128];
    size_t full = len / 64, rest = len % 64, padlen;
    uint64_t bits = (done + (uint64_t)len) * 8;
    int i;
    memcpy(st, start, sizeof st);
    if (full)
        blocks(st, p, full);
    memset(tail, 0, sizeof tail);
    if (rest)
        memcpy(tail, p + full * 64, rest);
    tail[rest] = 0x80;
    padlen = rest < 56 ? 64 : 128;
    for (i = 0; i < 8; i++)
        tail[padlen - 1 - i] = (unsigned char)(bits >> (8 * i));
    blocks(st, tail, padlen / 64);
    for (i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(st[i] >> 24);
        out[4 * i + 1] = (unsigned char)(st[i] >> 16);
        out[4 * i + 2] = (unsigned char)(st[i] >> 8);
        out[4 * i + 3] = (unsigned char)st[i];
    }
}

static const char HEX[] = "0123456789abcdef";

static void
to_hex(const unsigned char d[32], char *out)
{
    int i;
    for (i = 0; i < 32; i++) {
        out[2 * i] = HEX[d[i] >> 4];
        out[2 * i + 1] = HEX[d[i] & 15];
    }
}

static PyObject *
hex_str(const unsigned char d[32])
{
    char buf[64];
    to_hex(d, buf);
    return PyUnicode_FromStringAndSize(buf, 64);
}

/* -- HMAC -------------------------------------------------------------------------------------- */

/* The key schedule: 8 words of the inner state, then 8 of the outer, after their pad blocks. */
typedef struct {
    uint32_t inner[8];
    uint32_t outer[8];
} hmac_state;

static PyObject *
csha_hmac_key(PyObject *self, PyObject *arg)
{
    Py_buffer key;
    unsigned char k[64], pad[64];
    hmac_state hs;
    int i;
    (void)self;
    if (PyObject_GetBuffer(arg, &key, PyBUF_SIMPLE) < 0)
        return NULL;
    memset(k, 0, sizeof k);
    if (key.len > 64)
        finish(H0, 0, (const unsigned char *)key.buf, (size_t)key.len, k);
    else if (key.len > 0)
        memcpy(k, key.buf, (size_t)key.len);
    PyBuffer_Release(&key);
    for (i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x36;
    memcpy(hs.inner, H0, sizeof H0);
    blocks(hs.inner, pad, 1);
    for (i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x5c;
    memcpy(hs.outer, H0, sizeof H0);
    blocks(hs.outer, pad, 1);
    return PyBytes_FromStringAndSize((const char *)&hs, sizeof hs);
}

static int
get_state(PyObject *obj, hmac_state *hs)
{
    if (!PyBytes_Check(obj) || PyBytes_GET_SIZE(obj) != (Py_ssize_t)sizeof(hmac_state)) {
        PyErr_SetString(PyExc_TypeError, "state must be the bytes hmac_key() returned");
        return -1;
    }
    memcpy(hs, PyBytes_AS_STRING(obj), sizeof *hs);
    return 0;
}

static void
hmac_digest(const hmac_state *hs, const unsigned char *p, size_t len, unsigned char out[32])
{
    unsigned char inner[32];
    finish(hs->inner, 64, p, len, inner);
    finish(hs->outer, 64, inner, 32, out);
}

/* Hashed holding the GIL, on purpose: the writer thread that calls this shares the GIL with
 * busy callers, and a thread that lets go of it mid-batch waits up to the switch interval (5 ms)
 * to get it back, so releasing it for microseconds of hashing would starve the writer. (seal_calls
 * lets go of it once for a whole run's hashing, when the run is large enough to be worth it.) */
static void
hmac_run(const hmac_state *hs, const unsigned char *p, size_t len, unsigned char out[32])
{
    hmac_digest(hs, p, len, out);
}

static PyObject *
csha_hmac_hex(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    hmac_state hs;
    unsigned char d[32];
    PyObject *text;
    (void)self;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "hmac_hex(state, text) takes 2 arguments");
        return NULL;
    }
    if (get_state(args[0], &hs) < 0)
        return NULL;
    text = args[1];
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "hmac_hex() text must be str, not %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    if (PyUnicode_READY(text) < 0)
        return NULL;
    if (PyUnicode_IS_COMPACT_ASCII(text)) {
        hmac_run(&hs, (const unsigned char *)PyUnicode_DATA(text), (size_t)PyUnicode_GET_LENGTH(text), d);
    } else {
        /* A new bytes object (not the str's cached UTF-8, which would stay with the text). */
        PyObject *b = PyUnicode_AsEncodedString(text, "utf-8", "surrogatepass");
        if (b == NULL)
            return NULL;
        hmac_run(&hs, (const unsigned char *)PyBytes_AS_STRING(b), (size_t)PyBytes_GET_SIZE(b), d);
        Py_DECREF(b);
    }
    return hex_str(d);
}

static PyObject *
csha_sha256_hex(PyObject *self, PyObject *arg)
{
    Py_buffer data;
    unsigned char d[32];
    (void)self;
    if (PyObject_GetBuffer(arg, &data, PyBUF_SIMPLE) < 0)
        return NULL;
    finish(H0, 0, (const unsigned char *)data.buf, (size_t)data.len, d);
    PyBuffer_Release(&data);
    return hex_str(d);
}

/* -- the chain --------------------------------------------------------------------------------- */

static const char PREV_KEY[] = "\"prev_hash\":\"";
#define PREV_KEY_LEN 13
static const char HASH_KEY[] = ",\"hash\":\"";
#define HASH_KEY_LEN 9

/* Where `needle` first occurs in `hay`, or NULL. */
static const char *
find_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
#if defined(__GLIBC__) || defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__)
    return (const char *)memmem(hay, n, needle, m);
#else
    const char *p = hay, *end = hay + n;
    if (m == 0)
        return hay;
    while ((size_t)(end - p) >= m) {
        p = memchr(p, needle[0], (size_t)(end - p) - m + 1);
        if (p == NULL)
            return NULL;
        if (memcmp(p, needle, m) == 0)
            return p;
        p++;
    }
    return NULL;
#endif
}

/* Where the placeholder value of the record's "prev_hash" key starts, or -1. The placeholder is a
 * random per-process value that no record content can hold, so its first occurrence, after the
 * key and with its closing quote, is the record's own. */
static Py_ssize_t
find_prev(const char *s, Py_ssize_t n, const char *needle)
{
    const char *p = find_bytes(s, (size_t)n, needle, PREV_KEY_LEN + 65);
    return p == NULL ? -1 : (Py_ssize_t)(p - s) + PREV_KEY_LEN;
}

static int
is_hex64(const char *s, Py_ssize_t n)
{
    Py_ssize_t i;
    if (n != 64)
        return 0;
    for (i = 0; i < 64; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return 0;
    }
    return 1;
}

typedef struct {
    const char *p;
    Py_ssize_t len;
} span;

static PyObject *
csha_seal(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *bodies, *prev_obj, *out = NULL, *last, *result, **held = NULL;
    Py_ssize_t n, i, total = 0, plen, bad = -1;
    const char *prev_s, *ph;
    char prev[64], needle[PREV_KEY_LEN + 65];
    span *sp = NULL;
    char *w;
    (void)self;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "seal(bodies, prev, placeholder) takes 3 arguments");
        return NULL;
    }
    bodies = args[0];
    prev_obj = args[1];
    if (!PyList_Check(bodies)) {
        PyErr_SetString(PyExc_TypeError, "seal() bodies must be a list of bytes");
        return NULL;
    }
    if (!PyUnicode_Check(prev_obj) || !PyUnicode_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "seal() prev and placeholder must be str");
        return NULL;
    }
    prev_s = PyUnicode_AsUTF8AndSize(prev_obj, &plen);
    if (prev_s == NULL)
        return NULL;
    if (!is_hex64(prev_s, plen)) {
        PyErr_SetString(PyExc_ValueError, "seal() prev must be 64 lower-case hex digits");
        return NULL;
    }
    memcpy(prev, prev_s, 64);
    ph = PyUnicode_AsUTF8AndSize(args[2], &plen);
    if (ph == NULL)
        return NULL;
    if (!is_hex64(ph, plen)) {
        PyErr_SetString(PyExc_ValueError, "seal() placeholder must be 64 lower-case hex digits");
        return NULL;
    }
    memcpy(needle, PREV_KEY, PREV_KEY_LEN);
    memcpy(needle + PREV_KEY_LEN, ph, 64);
    needle[PREV_KEY_LEN + 64] = '"';
    n = PyList_GET_SIZE(bodies);
    /* Each body is held (a reference of our own) while the batch is hashed. */
    sp = PyMem_Malloc(sizeof(span) * (size_t)(n ? n : 1));
    held = PyMem_Malloc(sizeof(PyObject *) * (size_t)(n ? n : 1));
    if (sp == NULL || held == NULL) {
        PyMem_Free(sp);
        PyMem_Free(held);
        return PyErr_NoMemory();
    }
    for (i = 0; i < n; i++) {
        PyObject *b = PyList_GET_ITEM(bodies, i);
        Py_ssize_t len;
        if (!PyBytes_Check(b)) {
            PyErr_SetString(PyExc_TypeError, "seal() bodies must be a list of bytes");
            goto fail;
        }
        len = PyBytes_GET_SIZE(b);
        if (len < 2 || PyBytes_AS_STRING(b)[len - 1] != '}') {
            PyErr_SetString(PyExc_ValueError, "seal() a body is not a JSON object");
            goto fail;
        }
        if (len > PY_SSIZE_T_MAX - total - (HASH_KEY_LEN + 64 + 3)) {
            PyErr_NoMemory();
            goto fail;
        }
        total += len + HASH_KEY_LEN + 64 + 2; /* body less '}', key, hash, '"}', '\n' */
        Py_INCREF(b);
        held[i] = b;
        sp[i].p = PyBytes_AS_STRING(b);
        sp[i].len = len;
    }
    out = PyBytes_FromStringAndSize(NULL, total);
    if (out == NULL)
        goto fail;
    w = PyBytes_AS_STRING(out);
    /* (With the GIL held: see hmac_run.) */
    for (i = 0; i < n; i++) {
        Py_ssize_t len = sp[i].len, at;
        unsigned char d[32];
        char *start = w;
        memcpy(w, sp[i].p, (size_t)len);
        at = find_prev(w, len, needle);
        if (at < 0) {
            bad = i;
            break;
        }
        memcpy(w + at, prev, 64);
        finish(H0, 0, (const unsigned char *)start, (size_t)len, d);
        to_hex(d, prev);
        w += len - 1;
        memcpy(w, HASH_KEY, HASH_KEY_LEN);
        w += HASH_KEY_LEN;
        memcpy(w, prev, 64);
        w += 64;
        *w++ = '"';
        *w++ = '}';
        *w++ = '\n';
    }
    for (i = 0; i < n; i++)
        Py_DECREF(held[i]);
    PyMem_Free(held);
    PyMem_Free(sp);
    if (bad >= 0) {
        Py_DECREF(out);
        PyErr_Format(PyExc_ValueError, "seal() body %zd has no \"prev_hash\" placeholder", bad);
        return NULL;
    }
    if (w != PyBytes_AS_STRING(out) + total) { /* cannot happen: the sizes were summed above */
        Py_DECREF(out);
        PyErr_SetString(PyExc_SystemError, "seal() size mismatch");
        return NULL;
    }
    last = PyUnicode_FromStringAndSize(prev, 64);
    if (last == NULL) {
        Py_DECREF(out);
        return NULL;
    }
    result = PyTuple_Pack(2, out, last);
    Py_DECREF(out);
    Py_DECREF(last);
    return result;
fail:
    while (i-- > 0)
        Py_DECREF(held[i]);
    PyMem_Free(held);
    PyMem_Free(sp);
    return NULL;
}

/* -- the steps of a call record ------------------------------------------------------------------ */
/*
 * steps_json(decisions, finding_type) -> bytes | None
 *
 * The "steps" array of a call record (layout "call"), exactly as orjson serialises with sorted
 * keys what `_record.DeferredDecision.steps_payload` builds for each decision (that dict path
 * stays the reference: a differential test holds the two together byte for byte). None whenever
 * a value is not one this writes the way orjson does (a type other than str/int/float/None where
 * those are expected, a float orjson would write in exponent form, a string that is not valid
 * UTF-8, a finding that is not exactly `finding_type`, a finding kind that is not ASCII): the
 * caller then takes the dict path, so nothing is ever written differently.
 */

typedef struct {
    char *p;
    Py_ssize_t len, cap;
} wbuf;

static int
wb_reserve(wbuf *b, Py_ssize_t more)
{
    Py_ssize_t need, cap;
    char *np;
    if (more > PY_SSIZE_T_MAX / 4 - b->len) {
        PyErr_NoMemory();
        return -1;
    }
    need = b->len + more;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 512;
    while (cap < need)
        cap *= 2;
    np = PyMem_Realloc(b->p, (size_t)cap);
    if (np == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->p = np;
    b->cap = cap;
    return 0;
}

static int
wb_put(wbuf *b, const char *s, Py_ssize_t n)
{
    if (wb_reserve(b, n) < 0)
        return -1;
    memcpy(b->p + b->len, s, (size_t)n);
    b->len += n;
    return 0;
}

/* Results of the put_* helpers: written, not one this writes (None is returned), an error. */
#define SJ_OK 1
#define SJ_NO 0
#define SJ_ERR -1

#define SJ_TRY(expr)                                                                                   \
    do {                                                                                               \
        int rc_ = (expr);                                                                              \
        if (rc_ != SJ_OK) {                                                                            \
            rc = rc_;                                                                                  \
            goto done;                                                                                 \
        }                                                                                              \
    } while (0)
#define SJ_LIT(b, s) SJ_TRY(wb_put((b), (s), (Py_ssize_t)(sizeof(s) - 1)) < 0 ? SJ_ERR : SJ_OK)

static const char HEXL[] = "0123456789abcdef";

/* A JSON string as orjson writes it: '"' and '\\' escaped, \b \t \n \f \r named, other control
 * characters as \u00XX (lower-case hex), everything else (DEL, non-ASCII) as its UTF-8. */
static int
put_str(wbuf *b, PyObject *s)
{
    const char *u;
    Py_ssize_t n, i;
    char *w;
    if (!PyUnicode_CheckExact(s))
        return SJ_NO;
    if (PyUnicode_READY(s) < 0)
        return SJ_ERR;
    if (PyUnicode_IS_COMPACT_ASCII(s)) {
        u = (const char *)PyUnicode_DATA(s);
        n = PyUnicode_GET_LENGTH(s);
    } else {
        u = PyUnicode_AsUTF8AndSize(s, &n);
        if (u == NULL) { /* lone surrogates: orjson refuses them; the dict path decides */
            PyErr_Clear();
            return SJ_NO;
        }
    }
    if (n > PY_SSIZE_T_MAX / 16) {
        PyErr_NoMemory();
        return SJ_ERR;
    }
    if (wb_reserve(b, n * 6 + 2) < 0)
        return SJ_ERR;
    w = b->p + b->len;
    *w++ = '"';
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)u[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *w++ = (char)c;
            continue;
        }
        *w++ = '\\';
        switch (c) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '\b': *w++ = 'b'; break;
        case '\t': *w++ = 't'; break;
        case '\n': *w++ = 'n'; break;
        case '\f': *w++ = 'f'; break;
        case '\r': *w++ = 'r'; break;
        default:
            *w++ = 'u';
            *w++ = '0';
            *w++ = '0';
            *w++ = HEXL[c >> 4];
            *w++ = HEXL[c & 15];
        }
    }
    *w++ = '"';
    b->len = w - b->p;
    return SJ_OK;
}

#if defined(__SIZEOF_INT128__)
/* Python's repr of a double v in [1e-4, 2**33) (an epoch time, a score) without dtoa, which was
 * a quarter of the writer's own work per call record: the shortest decimal that reads back as v,
 * the nearest one of that length where two would. With v = M * 2**E (M of 53 bits, E < 0), a
 * decimal q / 10**k reads back as v when it lies within half a unit in the last place of v:
 * |q * 2**-E - M * 10**k| < 10**k / 2, or exactly at that distance for an even M (reading rounds
 * half to even). Tried for k = 0, 1, ... with q the two integers around v * 10**k, computed
 * exactly in 128 bits. Returns the length written to out (at most 40), or 0 where this does not
 * decide (dtoa then does): outside the range, at a power of two (the interval below is half as
 * wide), or when both neighbours are equally near. A differential test holds this to repr. */
static int
short_repr(double v, char *out)
{
    int e2, k, i, n;
    double m;
    unsigned long long M, q, ip, fp;
    unsigned __int128 num, half_ulp_num, pow10 = 1;
    unsigned int shift;
    if (!(v >= 1e-4 && v < 8589934592.0)) /* [1e-4, 2**33) */
        return 0;
    m = frexp(v, &e2); /* v = m * 2**e2, m in [0.5, 1) */
    M = (unsigned long long)ldexp(m, 53);
    if ((double)M != ldexp(m, 53) || M == (1ULL << 52))
        return 0;
    e2 -= 53; /* v = M * 2**e2, -67 < e2 <= -20 */
    if (e2 >= 0 || e2 < -70)
        return 0;
    shift = (unsigned int)(-e2);
    for (k = 0; k <= 22; k++) { /* (17 significant digits, after up to 4 zeros below 1) */
        unsigned __int128 r, up, scale;
        int lo_ok, hi_ok;
        if (k)
            pow10 *= 10;
        num = (unsigned __int128)M * pow10;         /* v * 10**k * 2**shift (< 2**53 * 10**22 < 2**127) */
        if ((num >> shift) > (unsigned __int128)1000000000000000000ULL) /* (17 digits come first) */
            return 0;
        q = (unsigned long long)(num >> shift);      /* floor(v * 10**k) */
        r = num - ((unsigned __int128)q << shift);   /* (v * 10**k - q) * 2**shift */
        scale = (unsigned __int128)1 << shift;
        up = scale - r;                              /* (q + 1 - v * 10**k) * 2**shift */
        /* |candidate - v| < half an ulp  <=>  dist * 2**-shift / 10**k < 2**-shift / 2
         *                                <=>  2 * dist < 10**k  (dist in units of 2**-shift) */
        half_ulp_num = pow10;
        lo_ok = 2 * r < half_ulp_num || (2 * r == half_ulp_num && (M & 1) == 0);
        hi_ok = r != 0 && (2 * up < half_ulp_num || (2 * up == half_ulp_num && (M & 1) == 0));
        if (!lo_ok && !hi_ok)
            continue;
        if (lo_ok && hi_ok) {
            if (r == up)
                return 0;
            if (up < r)
                q += 1;
        } else if (hi_ok) {
            q += 1;
        }
        ip = (unsigned long long)(q / pow10);
        fp = (unsigned long long)(q % pow10);
        {
            char tmp[24];
            int t = 0;
            do {
                tmp[t++] = (char)('0' + ip % 10);
                ip /= 10;
            } while (ip);
            n = 0;
            while (t)
                out[n++] = tmp[--t];
        }
        out[n++] = '.';
        if (k == 0) {
            out[n++] = '0';
        } else {
            for (i = k - 1; i >= 0; i--) {
                out[n + i] = (char)('0' + fp % 10);
                fp /= 10;
            }
            n += k;
            while (out[n - 1] == '0' && out[n - 2] != '.') /* (cannot happen: a shorter k would have won) */
                n--;
        }
        return n;
    }
    return 0;
}
#endif

/* A float as orjson writes it, where that is Python's repr: zero, and magnitudes from 1e-4 up to
 * (not including) 1e16; elsewhere orjson's exponent form differs from repr's (SJ_NO). */
static int
put_double(wbuf *b, double v)
{
    double a = fabs(v);
    char *r;
    int rc;
    if (!isfinite(v) || (v != 0.0 && (a < 1e-4 || a >= 1e16)))
        return SJ_NO;
#if defined(__SIZEOF_INT128__)
    {
        char fast[48];
        int n = short_repr(v, fast);
        if (n > 0)
            return wb_put(b, fast, n) < 0 ? SJ_ERR : SJ_OK;
    }
#endif
    r = PyOS_double_to_string(v, 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    if (r == NULL)
        return SJ_ERR;
    rc = wb_put(b, r, (Py_ssize_t)strlen(r));
    PyMem_Free(r);
    return rc < 0 ? SJ_ERR : SJ_OK;
}

static int
put_ll(wbuf *b, long long v)
{
    char buf[24], *w = buf + sizeof buf;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        *--w = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--w = '-';
    return wb_put(b, w, (Py_ssize_t)(buf + sizeof buf - w)) < 0 ? SJ_ERR : SJ_OK;
}

/* ns / 1000 as Python's repr writes the float: for 0 <= ns < 10**15 the quotient has at most 15
 * significant digits, so its shortest round-trip form is the exact decimal, trailing zeros cut
 * (at least one fractional digit). Larger or negative: the general path. */
static int
put_micros(wbuf *b, long long ns)
{
    char buf[32];
    int frac;
    if (ns < 0 || ns >= 1000000000000000LL)
        return put_double(b, (double)ns / 1000.0);
    frac = (int)(ns % 1000);
    {
        char *w = buf;
        unsigned long long ip = (unsigned long long)(ns / 1000);
        char tmp[24], *t = tmp + sizeof tmp;
        do {
            *--t = (char)('0' + ip % 10);
            ip /= 10;
        } while (ip);
        memcpy(w, t, (size_t)(tmp + sizeof tmp - t));
        w += tmp + sizeof tmp - t;
        *w++ = '.';
        if (frac == 0) {
            *w++ = '0';
        } else {
            *w++ = (char)('0' + frac / 100);
            if (frac % 100) {
                *w++ = (char)('0' + frac / 10 % 10);
                if (frac % 10)
                    *w++ = (char)('0' + frac % 10);
            }
        }
        return wb_put(b, buf, (Py_ssize_t)(w - buf)) < 0 ? SJ_ERR : SJ_OK;
    }
}

/* An exact int (not a bool) that fits in 64 bits, or an exact float. */
static int
put_number(wbuf *b, PyObject *o)
{
    if (PyFloat_CheckExact(o))
        return put_double(b, PyFloat_AS_DOUBLE(o));
    if (PyLong_CheckExact(o)) {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (overflow)
            return SJ_NO;
        if (v == -1 && PyErr_Occurred())
            return SJ_ERR;
        return put_ll(b, v);
    }
    return SJ_NO;
}

static int
put_int(wbuf *b, PyObject *o)
{
    return PyLong_CheckExact(o) ? put_number(b, o) : SJ_NO;
}

static PyObject *s_action, *s_findings, *s_error, *s_latency_ns, *s_outcome, *s_reasons, *s_score,
    *s_validator, *s_version, *s_decision, *s_attempt, *s_fallback_from, *s_event_ids, *s_steps, *s_stage,
    *s_entity_type, *s_rule, *s_start, *s_end, *s_digest, *s_part, *s_round, *s_four, *s_finding,
    *s_event_ids_slot, *s_context, *s_call_id, *s_sources, *s_newline;

static int
steps_json_init(void)
{
#define SJ_INTERN(var, text)                                                                           \
    if ((var = PyUnicode_InternFromString(text)) == NULL)                                              \
        return -1;
    SJ_INTERN(s_action, "action");
    SJ_INTERN(s_findings, "findings");
    SJ_INTERN(s_error, "error");
    SJ_INTERN(s_latency_ns, "latency_ns");
    SJ_INTERN(s_outcome, "outcome");
    SJ_INTERN(s_reasons, "reasons");
    SJ_INTERN(s_score, "score");
    SJ_INTERN(s_validator, "validator");
    SJ_INTERN(s_version, "version");
    SJ_INTERN(s_decision, "decision");
    SJ_INTERN(s_attempt, "attempt");
    SJ_INTERN(s_fallback_from, "fallback_from");
    SJ_INTERN(s_event_ids, "event_ids");
    SJ_INTERN(s_steps, "steps");
    SJ_INTERN(s_stage, "stage");
    SJ_INTERN(s_entity_type, "entity_type");
    SJ_INTERN(s_rule, "rule");
    SJ_INTERN(s_start, "start");
    SJ_INTERN(s_end, "end");
    SJ_INTERN(s_digest, "digest");
    SJ_INTERN(s_part, "part");
    SJ_INTERN(s_round, "__round__");
    SJ_INTERN(s_finding, "finding");
    SJ_INTERN(s_event_ids_slot, "_event_ids");
    SJ_INTERN(s_context, "context");
    SJ_INTERN(s_call_id, "call_id");
    SJ_INTERN(s_sources, "sources");
    SJ_INTERN(s_newline, "\n");
#undef SJ_INTERN
    if ((s_four = PyLong_FromLong(4)) == NULL)
        return -1;
    return 0;
}

/* Attributes read straight from their __slots__ where an object is of the type a role last saw
 * (one type per role: the decision wrapper, the decision, the step, the finding), else by
 * getattr. Each role keeps the offsets of its names' member descriptors, looked up once per type. */
enum { R_PENDING, R_DECISION, R_STEP, R_FINDING, R_CALLCTX, R_CONTEXT, R_COUNT };
#define SJ_MAX_NAMES 9

typedef struct {
    PyTypeObject *type; /* a strong reference, or NULL */
    int n;
    PyObject **names[SJ_MAX_NAMES];
    Py_ssize_t off[SJ_MAX_NAMES];
} slot_cache;

static slot_cache caches[R_COUNT] = {
    {NULL, 4, {&s_decision, &s_attempt, &s_fallback_from, &s_event_ids_slot}, {0}},
    {NULL, 2, {&s_steps, &s_stage}, {0}},
    {NULL, 9, {&s_action, &s_findings, &s_error, &s_latency_ns, &s_outcome, &s_reasons, &s_score, &s_validator,
               &s_version}, {0}},
    {NULL, 7, {&s_entity_type, &s_rule, &s_start, &s_end, &s_score, &s_digest, &s_part}, {0}},
    {NULL, 3, {&s_context, &s_call_id, &s_attempt}, {0}},
    {NULL, 1, {&s_sources}, {0}},
};

static int
bind_slots(slot_cache *c, PyTypeObject *type)
{
    Py_ssize_t off[SJ_MAX_NAMES];
    PyTypeObject *old;
    int i;
    /* Offsets first, into the cache after: looking names up could run code that lets another
     * writer thread in, which must never see offsets of one type under another. */
    for (i = 0; i < c->n; i++) {
        PyObject *d = PyObject_GetAttr((PyObject *)type, *c->names[i]);
        off[i] = -1;
        if (d == NULL) {
            PyErr_Clear();
            continue;
        }
        if (Py_IS_TYPE(d, &PyMemberDescr_Type) && ((PyMemberDescrObject *)d)->d_common.d_type == type
            && ((PyMemberDescrObject *)d)->d_member->type == T_OBJECT_EX)
            off[i] = ((PyMemberDescrObject *)d)->d_member->offset;
        Py_DECREF(d);
    }
    old = c->type;
    Py_INCREF(type);
    memcpy(c->off, off, sizeof off);
    c->type = type;
    Py_XDECREF(old);
    return 0;
}

/* Attribute `i` of role `role` of `o`, a new reference (NULL with an exception set). */
static PyObject *
get_attr(int role, PyObject *o, int i)
{
    slot_cache *c = &caches[role];
    if (Py_TYPE(o) != c->type)
        bind_slots(c, Py_TYPE(o));
    if (c->off[i] >= 0) {
        PyObject *v = *(PyObject **)((char *)o + c->off[i]);
        if (v != NULL) {
            Py_INCREF(v);
            return v;
        }
    }
    return PyObject_GetAttr(o, *c->names[i]);
}

/* A finding's score as `findings_payload` records it: 1.0 as it is, another float as
 * round(score, 4), an int as it is (round(int, 4) is that int). */
static int
put_finding_score(wbuf *b, PyObject *score)
{
    PyObject *r;
    int rc;
    if (PyFloat_CheckExact(score)) {
        if (PyFloat_AS_DOUBLE(score) == 1.0)
            return wb_put(b, "1.0", 3) < 0 ? SJ_ERR : SJ_OK;
        r = PyObject_CallMethodOneArg(score, s_round, s_four);
        if (r == NULL)
            return SJ_ERR;
        rc = PyFloat_CheckExact(r) ? put_double(b, PyFloat_AS_DOUBLE(r)) : SJ_NO;
        Py_DECREF(r);
        return rc;
    }
    return put_int(b, score);
}

/* `Finding.kind`: entity_type, else rule, else "finding" (`or`: an empty str passes on), borrowed;
 * NULL when one of them is neither None nor a str. */
static PyObject *
finding_kind(PyObject *et, PyObject *rule)
{
    if (et != Py_None) {
        if (!PyUnicode_CheckExact(et))
            return NULL;
        if (PyUnicode_GET_LENGTH(et) > 0)
            return et;
    }
    if (rule != Py_None) {
        if (!PyUnicode_CheckExact(rule))
            return NULL;
        if (PyUnicode_GET_LENGTH(rule) > 0)
            return rule;
    }
    return s_finding;
}

/* Two ASCII strs, byte order (which is code point order, as orjson sorts keys). */
static int
kind_cmp(PyObject *a, PyObject *b)
{
    Py_ssize_t na = PyUnicode_GET_LENGTH(a), nb = PyUnicode_GET_LENGTH(b);
    int c = memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), (size_t)(na < nb ? na : nb));
    return c ? c : (na < nb ? -1 : na > nb);
}

#define SJ_MAX_KINDS 64

/* A step's findings: `counts` (",\"counts\":{...}") into b, the findings array ("[...]") into fb. */
static int
put_findings(wbuf *b, wbuf *fb, PyObject *seq, PyTypeObject *ftype)
{
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), i, j, nk = 0;
    PyObject **items = PySequence_Fast_ITEMS(seq);
    PyObject *kinds[SJ_MAX_KINDS];
    Py_ssize_t counts[SJ_MAX_KINDS];
    PyObject *et = NULL, *rule = NULL, *start = NULL, *end = NULL, *score = NULL, *digest = NULL, *part = NULL;
    int rc = SJ_OK;
    SJ_LIT(fb, "[");
    for (i = 0; i < n; i++) {
        PyObject *f = items[i], *k;
        if (Py_TYPE(f) != ftype) { /* a subclass may render itself otherwise */
            rc = SJ_NO;
            goto done;
        }
        if ((et = get_attr(R_FINDING, f, 0)) == NULL || (rule = get_attr(R_FINDING, f, 1)) == NULL
            || (start = get_attr(R_FINDING, f, 2)) == NULL || (end = get_attr(R_FINDING, f, 3)) == NULL
            || (score = get_attr(R_FINDING, f, 4)) == NULL || (digest = get_attr(R_FINDING, f, 5)) == NULL
            || (part = get_attr(R_FINDING, f, 6)) == NULL) {
            rc = SJ_ERR;
            goto done;
        }
        k = finding_kind(et, rule);
        if (k == NULL || !PyUnicode_IS_ASCII(k)) {
            rc = SJ_NO;
            goto done;
        }
        for (j = 0; j < nk; j++) {
            if (kind_cmp(kinds[j], k) == 0)
                break;
        }
        if (j == nk) {
            if (nk == SJ_MAX_KINDS) {
                rc = SJ_NO;
                goto done;
            }
            Py_INCREF(k);
            kinds[nk] = k;
            counts[nk++] = 0;
        }
        counts[j]++;
        /* keys: digest, end, entity_type, part, rule, score, start */
        if (i)
            SJ_LIT(fb, ",");
        SJ_LIT(fb, "{");
        if (digest != Py_None) {
            SJ_LIT(fb, "\"digest\":");
            SJ_TRY(put_str(fb, digest));
            SJ_LIT(fb, ",");
        }
        SJ_LIT(fb, "\"end\":");
        SJ_TRY(put_int(fb, end));
        if (et != Py_None) {
            SJ_LIT(fb, ",\"entity_type\":");
            SJ_TRY(put_str(fb, et));
        }
        if (part != Py_None) {
            SJ_LIT(fb, ",\"part\":");
            SJ_TRY(put_int(fb, part));
        }
        if (rule != Py_None) {
            SJ_LIT(fb, ",\"rule\":");
            SJ_TRY(put_str(fb, rule));
        }
        SJ_LIT(fb, ",\"score\":");
        SJ_TRY(put_finding_score(fb, score));
        SJ_LIT(fb, ",\"start\":");
        SJ_TRY(put_int(fb, start));
        SJ_LIT(fb, "}");
        Py_CLEAR(et);
        Py_CLEAR(rule);
        Py_CLEAR(start);
        Py_CLEAR(end);
        Py_CLEAR(score);
        Py_CLEAR(digest);
        Py_CLEAR(part);
    }
    SJ_LIT(fb, "]");
    for (i = 1; i < nk; i++) { /* insertion sort: a step has a handful of kinds */
        PyObject *k = kinds[i];
        Py_ssize_t c = counts[i];
        for (j = i; j > 0 && kind_cmp(kinds[j - 1], k) > 0; j--) {
            kinds[j] = kinds[j - 1];
            counts[j] = counts[j - 1];
        }
        kinds[j] = k;
        counts[j] = c;
    }
    SJ_LIT(b, ",\"counts\":{");
    for (i = 0; i < nk; i++) {
        if (i)
            SJ_LIT(b, ",");
        SJ_TRY(put_str(b, kinds[i]));
        SJ_LIT(b, ":");
        SJ_TRY(put_ll(b, (long long)counts[i]));
    }
    SJ_LIT(b, "}");
done:
    for (i = 0; i < nk; i++)
        Py_DECREF(kinds[i]);
    Py_XDECREF(et);
    Py_XDECREF(rule);
    Py_XDECREF(start);
    Py_XDECREF(end);
    Py_XDECREF(score);
    Py_XDECREF(digest);
    Py_XDECREF(part);
    return rc;
}

/* One step's object (keys: action, attempt, counts, error, event_id, fallback_from, findings,
 * latency_us, outcome, reasons, score, stage, validator, validator_version). */
static int
put_step(wbuf *b, wbuf *fb, PyObject *step, PyObject *event_id, PyObject *stage, PyObject *attempt,
         PyObject *fallback_from, PyTypeObject *ftype)
{
    PyObject *action = NULL, *findings = NULL, *fseq = NULL, *error = NULL, *latency = NULL, *outcome = NULL,
             *reasons = NULL, *rseq = NULL, *score = NULL, *validator = NULL, *version = NULL;
    int rc = SJ_OK, has_findings;
    Py_ssize_t i;
    if ((action = get_attr(R_STEP, step, 0)) == NULL || (findings = get_attr(R_STEP, step, 1)) == NULL
        || (error = get_attr(R_STEP, step, 2)) == NULL || (latency = get_attr(R_STEP, step, 3)) == NULL
        || (outcome = get_attr(R_STEP, step, 4)) == NULL || (reasons = get_attr(R_STEP, step, 5)) == NULL
        || (score = get_attr(R_STEP, step, 6)) == NULL || (validator = get_attr(R_STEP, step, 7)) == NULL
        || (version = get_attr(R_STEP, step, 8)) == NULL) {
        rc = SJ_ERR;
        goto done;
    }
    SJ_LIT(b, "{\"action\":");
    SJ_TRY(put_str(b, action));
    if (attempt != Py_None) {
        int overflow = 0;
        long long a;
        if (!PyLong_CheckExact(attempt)) {
            rc = SJ_NO;
            goto done;
        }
        a = PyLong_AsLongLongAndOverflow(attempt, &overflow);
        if (a == -1 && PyErr_Occurred()) {
            rc = SJ_ERR;
            goto done;
        }
        if (overflow || a != 1) {
            SJ_LIT(b, ",\"attempt\":");
            SJ_TRY(put_int(b, attempt));
        }
    }
    if (PyTuple_CheckExact(findings)) {
        fseq = findings;
        Py_INCREF(fseq);
    } else if (PyList_CheckExact(findings)) { /* a copy: nothing can change it under us */
        if ((fseq = PyList_AsTuple(findings)) == NULL) {
            rc = SJ_ERR;
            goto done;
        }
    } else {
        rc = SJ_NO;
        goto done;
    }
    has_findings = PySequence_Fast_GET_SIZE(fseq) > 0;
    fb->len = 0;
    if (has_findings)
        SJ_TRY(put_findings(b, fb, fseq, ftype));
    if (error != Py_None) {
        if (!PyUnicode_CheckExact(error)) {
            rc = SJ_NO;
            goto done;
        }
        if (PyUnicode_GET_LENGTH(error) > 0) {
            SJ_LIT(b, ",\"error\":");
            SJ_TRY(put_str(b, error));
        }
    }
    SJ_LIT(b, ",\"event_id\":");
    SJ_TRY(put_str(b, event_id));
    if (fallback_from != Py_None) {
        SJ_LIT(b, ",\"fallback_from\":");
        SJ_TRY(put_str(b, fallback_from));
    }
    if (has_findings) {
        SJ_LIT(b, ",\"findings\":");
        SJ_TRY(wb_put(b, fb->p, fb->len) < 0 ? SJ_ERR : SJ_OK);
    }
    /* latency_ns / 1000: an int below 2**53 is exact as a double, and one IEEE division is the
     * correctly rounded quotient Python's int / int gives */
    SJ_LIT(b, ",\"latency_us\":");
    {
        int overflow = 0;
        long long ns;
        if (!PyLong_CheckExact(latency)) {
            rc = SJ_NO;
            goto done;
        }
        ns = PyLong_AsLongLongAndOverflow(latency, &overflow);
        if (ns == -1 && PyErr_Occurred()) {
            rc = SJ_ERR;
            goto done;
        }
        if (overflow || ns > (1LL << 53) || ns < -(1LL << 53)) {
            rc = SJ_NO;
            goto done;
        }
        SJ_TRY(put_micros(b, ns));
    }
    SJ_LIT(b, ",\"outcome\":");
    SJ_TRY(put_str(b, outcome));
    SJ_LIT(b, ",\"reasons\":[");
    if (PyTuple_CheckExact(reasons)) {
        rseq = reasons;
        Py_INCREF(rseq);
    } else if (PyList_CheckExact(reasons)) {
        if ((rseq = PyList_AsTuple(reasons)) == NULL) {
            rc = SJ_ERR;
            goto done;
        }
    } else {
        rc = SJ_NO;
        goto done;
    }
    for (i = 0; i < PySequence_Fast_GET_SIZE(rseq); i++) {
        if (i)
            SJ_LIT(b, ",");
        SJ_TRY(put_str(b, PySequence_Fast_GET_ITEM(rseq, i)));
    }
    SJ_LIT(b, "]");
    if (score != Py_None) {
        SJ_LIT(b, ",\"score\":");
        SJ_TRY(put_number(b, score));
    }
    SJ_LIT(b, ",\"stage\":");
    SJ_TRY(put_str(b, stage));
    SJ_LIT(b, ",\"validator\":");
    SJ_TRY(put_str(b, validator));
    SJ_LIT(b, ",\"validator_version\":");
    SJ_TRY(put_str(b, version));
    SJ_LIT(b, "}");
done:
    Py_XDECREF(fseq);
    Py_XDECREF(rseq);
    Py_XDECREF(action);
    Py_XDECREF(findings);
    Py_XDECREF(error);
    Py_XDECREF(latency);
    Py_XDECREF(outcome);
    Py_XDECREF(reasons);
    Py_XDECREF(score);
    Py_XDECREF(validator);
    Py_XDECREF(version);
    return rc;
}

/* The "steps" array of `decisions` (a list of deferred decisions) into b; fb is scratch space. */
static int
put_steps(wbuf *b, wbuf *fb, PyObject *decisions, PyTypeObject *ftype)
{
    Py_ssize_t i, j, n, first = 1;
    int rc = SJ_OK;
    SJ_LIT(b, "[");
    n = PyList_GET_SIZE(decisions);
    for (i = 0; i < n && rc == SJ_OK; i++) {
        PyObject *pd = PyList_GET_ITEM(decisions, i), *d = NULL, *steps = NULL, *stage = NULL, *attempt = NULL,
                 *fallback_from = NULL, *eids = NULL;
        Py_INCREF(pd);
        /* the event ids (made on first use by the `event_ids` property) */
        if ((eids = get_attr(R_PENDING, pd, 3)) != NULL && eids == Py_None) {
            Py_DECREF(eids);
            eids = PyObject_GetAttr(pd, s_event_ids);
        }
        if (eids == NULL || (d = get_attr(R_PENDING, pd, 0)) == NULL || (steps = get_attr(R_DECISION, d, 0)) == NULL
            || (stage = get_attr(R_DECISION, d, 1)) == NULL || (attempt = get_attr(R_PENDING, pd, 1)) == NULL
            || (fallback_from = get_attr(R_PENDING, pd, 2)) == NULL) {
            rc = SJ_ERR;
        } else if (!PyTuple_CheckExact(steps) || !PyList_CheckExact(eids)
                   || PyTuple_GET_SIZE(steps) != PyList_GET_SIZE(eids)) {
            rc = SJ_NO;
        } else {
            for (j = 0; j < PyTuple_GET_SIZE(steps) && rc == SJ_OK; j++) {
                if (!first && wb_put(b, ",", 1) < 0) {
                    rc = SJ_ERR;
                    break;
                }
                first = 0;
                rc = put_step(b, fb, PyTuple_GET_ITEM(steps, j), PyList_GET_ITEM(eids, j), stage, attempt,
                              fallback_from, ftype);
            }
        }
        Py_XDECREF(d);
        Py_XDECREF(steps);
        Py_XDECREF(stage);
        Py_XDECREF(attempt);
        Py_XDECREF(fallback_from);
        Py_XDECREF(eids);
        Py_DECREF(pd);
        /* (`decisions` may have changed size while attributes were read: re-read it) */
        n = PyList_GET_SIZE(decisions);
    }
    if (rc == SJ_OK)
        SJ_LIT(b, "]");
done:
    return rc;
}

static PyObject *
csha_steps_json(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *out = NULL;
    wbuf b = {NULL, 0, 0}, fb = {NULL, 0, 0};
    int rc;
    (void)self;
    if (nargs != 2 || !PyType_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "steps_json(decisions, finding_type) takes a list and a type");
        return NULL;
    }
    if (!PyList_CheckExact(args[0])) {
        PyErr_SetString(PyExc_TypeError, "steps_json() decisions must be a list");
        return NULL;
    }
    rc = put_steps(&b, &fb, args[0], (PyTypeObject *)args[1]);
    if (rc == SJ_OK)
        out = PyBytes_FromStringAndSize(b.p, b.len);
    else if (rc == SJ_NO) {
        out = Py_None;
        Py_INCREF(out);
    }
    PyMem_Free(b.p);
    PyMem_Free(fb.p);
    return out;
}

/* -- a whole call record --------------------------------------------------------------------------- */
/*
 * call_bodies(items, start, stop, seq, chain_json, prev_json, layout_call, memo, segments,
 *             finding_type, out) -> int
 *
 * The canonical bytes of the call records of `items[start:stop]` (`_record.call_item` tuples),
 * chained at seq, seq + 1, ...: exactly what `_record.call_body` (the reference; a differential
 * test holds the two together) gives for each, appended to the list `out`. Stops at the first
 * item that is not a plain call record or holds a value this does not write the way orjson does
 * (the caller's Python path then takes it) and returns its index (`stop` when all were written).
 * An error (memory) raises, with the bodies written so far in `out`.
 *
 * `memo` (a list of 5, owned by one writer) caches the parts of a record that depend only on the
 * context, the policy and the hasher: [context, policy, hasher, segments, hmac state]. When the
 * item's three are not the memo's (by identity), `segments(policy, context, hasher)` gives
 * `(seg, state)`: seg as `_record._segments` builds it (bytes at 3..9), state the hasher's
 * HMAC key schedule (`hmac_key`) when it is this module's `hmac_hex` with that state, else None
 * (the hasher is then called).
 */

#define CB_NFIELDS 15
#define CB_NSEG 10

/* Keyed hashes left for later (seal_calls): computed after the records are built, without the
 * GIL. Each job holds a reference to the bytes it hashes (the text itself when it is compact
 * ASCII, else its UTF-8 encoding) and the HMAC key schedule it was made with. */
typedef struct {
    hmac_state hs;
    const unsigned char *p;
    size_t len;
    PyObject *keep;   /* owned */
    Py_ssize_t off;   /* where the 64 hex digits go in the body buffer */
} hjob;

typedef struct {
    hjob *v;
    Py_ssize_t n, cap;
} jobq;

static int
jq_push(jobq *q, const hmac_state *hs, const unsigned char *p, size_t len, PyObject *keep, Py_ssize_t off)
{
    if (q->n == q->cap) {
        Py_ssize_t cap = q->cap ? q->cap * 2 : 64;
        hjob *nv = PyMem_Realloc(q->v, sizeof(hjob) * (size_t)cap);
        if (nv == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        q->v = nv;
        q->cap = cap;
    }
    memcpy(&q->v[q->n].hs, hs, sizeof *hs);
    q->v[q->n].p = p;
    q->v[q->n].len = len;
    Py_INCREF(keep);
    q->v[q->n].keep = keep;
    q->v[q->n].off = off;
    q->n++;
    return 0;
}

/* Drop the jobs from `n` on (their references). */
static void
jq_truncate(jobq *q, Py_ssize_t n)
{
    while (q->n > n) {
        q->n--;
        Py_DECREF(q->v[q->n].keep);
    }
}

/* A keyed hash of `text` (an exact str) as a JSON string. With `jq`, the HMAC itself is left to
 * a job: the string's 64 hex digits are written later, at the job's offset. */
static int
put_keyed(wbuf *b, PyObject *h, PyObject *state, PyObject *text, jobq *jq)
{
    PyObject *r;
    int rc;
    if (state != Py_None) {
        hmac_state hs;
        unsigned char d[32];
        char q[66];
        memcpy(&hs, PyBytes_AS_STRING(state), sizeof hs);
        if (PyUnicode_READY(text) < 0)
            return SJ_ERR;
        if (jq != NULL) {
            PyObject *keep = text;
            const unsigned char *p;
            size_t len;
            if (PyUnicode_IS_COMPACT_ASCII(text)) {
                Py_INCREF(keep);
                p = (const unsigned char *)PyUnicode_DATA(text);
                len = (size_t)PyUnicode_GET_LENGTH(text);
            } else {
                if ((keep = PyUnicode_AsEncodedString(text, "utf-8", "surrogatepass")) == NULL)
                    return SJ_ERR;
                p = (const unsigned char *)PyBytes_AS_STRING(keep);
                len = (size_t)PyBytes_GET_SIZE(keep);
            }
            memset(q, '0', sizeof q);
            q[0] = q[65] = '"';
            rc = jq_push(jq, &hs, p, len, keep, b->len + 1) < 0 || wb_put(b, q, 66) < 0 ? SJ_ERR : SJ_OK;
            Py_DECREF(keep);
            return rc;
        }
        if (PyUnicode_IS_COMPACT_ASCII(text)) {
            hmac_run(&hs, (const unsigned char *)PyUnicode_DATA(text), (size_t)PyUnicode_GET_LENGTH(text), d);
        } else {
            PyObject *enc = PyUnicode_AsEncodedString(text, "utf-8", "surrogatepass");
            if (enc == NULL)
                return SJ_ERR;
            hmac_run(&hs, (const unsigned char *)PyBytes_AS_STRING(enc), (size_t)PyBytes_GET_SIZE(enc), d);
            Py_DECREF(enc);
        }
        q[0] = '"';
        to_hex(d, q + 1);
        q[65] = '"';
        return wb_put(b, q, 66) < 0 ? SJ_ERR : SJ_OK;
    }
    r = PyObject_CallOneArg(h, text);
    if (r == NULL)
        return SJ_ERR;
    rc = PyUnicode_CheckExact(r) ? put_str(b, r) : SJ_NO;
    Py_DECREF(r);
    return rc;
}

/* The text of one `(location, text)` pair of a call's inputs, borrowed; NULL: not one. */
static PyObject *
input_text(PyObject *pair)
{
    PyObject *t;
    if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2)
        return NULL;
    t = PyTuple_GET_ITEM(pair, 1);
    return PyUnicode_CheckExact(t) ? t : NULL;
}

/* The input hash: of the one text, or of the texts joined by newlines; null without texts. */
static int
put_input_hash(wbuf *b, PyObject *h, PyObject *state, PyObject *inputs, jobq *jq)
{
    PyObject *seq, *texts, *joined;
    Py_ssize_t n, i;
    int rc;
    if (!PyList_CheckExact(inputs) && !PyTuple_CheckExact(inputs))
        return SJ_NO;
    n = PySequence_Fast_GET_SIZE(inputs);
    if (n == 0)
        return wb_put(b, "null", 4) < 0 ? SJ_ERR : SJ_OK;
    if (n == 1) {
        PyObject *t = input_text(PySequence_Fast_GET_ITEM(inputs, 0));
        if (t == NULL)
            return SJ_NO;
        Py_INCREF(t);
        rc = put_keyed(b, h, state, t, jq);
        Py_DECREF(t);
        return rc;
    }
    /* a copy first: hashing may run Python code (a hasher of its own), which could change a list */
    if ((seq = PySequence_Tuple(inputs)) == NULL)
        return SJ_ERR;
    n = PyTuple_GET_SIZE(seq);
    if ((texts = PyList_New(n)) == NULL) {
        Py_DECREF(seq);
        return SJ_ERR;
    }
    for (i = 0; i < n; i++) {
        PyObject *t = input_text(PyTuple_GET_ITEM(seq, i));
        if (t == NULL) {
            Py_DECREF(texts);
            Py_DECREF(seq);
            return SJ_NO;
        }
        Py_INCREF(t);
        PyList_SET_ITEM(texts, i, t);
    }
    Py_DECREF(seq);
    joined = PyUnicode_Join(s_newline, texts);
    Py_DECREF(texts);
    if (joined == NULL)
        return SJ_ERR;
    rc = put_keyed(b, h, state, joined, jq);
    Py_DECREF(joined);
    return rc;
}

/* ns / 1000 for an exact int, as `put_step` writes a step's latency. */
static int
put_ns_micros(wbuf *b, PyObject *v)
{
    int overflow = 0;
    long long ns;
    if (!PyLong_CheckExact(v))
        return SJ_NO;
    ns = PyLong_AsLongLongAndOverflow(v, &overflow);
    if (ns == -1 && PyErr_Occurred())
        return SJ_ERR;
    if (overflow || ns > (1LL << 53) || ns < -(1LL << 53))
        return SJ_NO;
    return put_micros(b, ns);
}

/* The memo's segments for (c, policy, h), refreshed by calling `segments` when they are not its. */
static int
memo_lookup(PyObject *memo, PyObject *segments, PyObject *policy, PyObject *c, PyObject *h, PyObject **seg,
            PyObject **state)
{
    PyObject *r, *sg, *st;
    Py_ssize_t i;
    if (PyList_GET_ITEM(memo, 0) != c || PyList_GET_ITEM(memo, 1) != policy || PyList_GET_ITEM(memo, 2) != h) {
        r = PyObject_CallFunctionObjArgs(segments, policy, c, h, NULL);
        if (r == NULL)
            return SJ_ERR;
        if (!PyTuple_CheckExact(r) || PyTuple_GET_SIZE(r) != 2) {
            Py_DECREF(r);
            PyErr_SetString(PyExc_TypeError, "call_bodies() segments must return (seg, state)");
            return SJ_ERR;
        }
        sg = PyTuple_GET_ITEM(r, 0);
        st = PyTuple_GET_ITEM(r, 1);
        if (!PyTuple_CheckExact(sg) || PyTuple_GET_SIZE(sg) < CB_NSEG
            || (st != Py_None && (!PyBytes_CheckExact(st) || PyBytes_GET_SIZE(st) != (Py_ssize_t)sizeof(hmac_state)))) {
            Py_DECREF(r);
            PyErr_SetString(PyExc_TypeError, "call_bodies() segments gave a bad (seg, state)");
            return SJ_ERR;
        }
        for (i = 3; i < CB_NSEG; i++) {
            if (!PyBytes_CheckExact(PyTuple_GET_ITEM(sg, i))) {
                Py_DECREF(r);
                PyErr_SetString(PyExc_TypeError, "call_bodies() segments must be bytes");
                return SJ_ERR;
            }
        }
        {
            PyObject *vals[5] = {c, policy, h, sg, st};
            for (i = 0; i < 5; i++) {
                Py_INCREF(vals[i]);
                PyList_SetItem(memo, i, vals[i]); /* steals; drops the old value */
            }
        }
        Py_DECREF(r);
        if (PyList_GET_SIZE(memo) != 5) { /* (the old values' finalizers cannot reach the list) */
            PyErr_SetString(PyExc_SystemError, "call_bodies() memo changed size");
            return SJ_ERR;
        }
    }
    *seg = PyList_GET_ITEM(memo, 3);
    *state = PyList_GET_ITEM(memo, 4);
    Py_INCREF(*seg);
    Py_INCREF(*state);
    return SJ_OK;
}

#define SEG(i) SJ_TRY(wb_put(b, PyBytes_AS_STRING(PyTuple_GET_ITEM(seg, (i))), \
                             PyBytes_GET_SIZE(PyTuple_GET_ITEM(seg, (i)))) < 0 ? SJ_ERR : SJ_OK)

/* One call record's canonical bytes into b (see call_bodies). */
static int
put_call(wbuf *b, wbuf *fb, PyObject *item, long long seq, PyObject *chain_json, PyObject *prev_json,
         int layout_call, PyObject *memo, PyObject *segments, PyTypeObject *ftype, jobq *jq, Py_ssize_t *prev_at)
{
    PyObject *policy, *ctx, *h, *outcome, *enforced, *reasons, *inputs, *output, *latency, *fallback, *error,
        *extra, *decisions, *ts, *model_ns;
    PyObject *c = NULL, *cid = NULL, *attempt = NULL, *sources = NULL, *seg = NULL, *state = NULL;
    int rc = SJ_OK, dec_empty, truth;
    Py_ssize_t i;
    if (!PyTuple_CheckExact(item) || PyTuple_GET_SIZE(item) != CB_NFIELDS)
        return SJ_NO;
    policy = PyTuple_GET_ITEM(item, 0);
    ctx = PyTuple_GET_ITEM(item, 1);
    h = PyTuple_GET_ITEM(item, 2);
    outcome = PyTuple_GET_ITEM(item, 3);
    enforced = PyTuple_GET_ITEM(item, 4);
    reasons = PyTuple_GET_ITEM(item, 5);
    inputs = PyTuple_GET_ITEM(item, 6);
    output = PyTuple_GET_ITEM(item, 7);
    latency = PyTuple_GET_ITEM(item, 8);
    fallback = PyTuple_GET_ITEM(item, 9);
    error = PyTuple_GET_ITEM(item, 10);
    extra = PyTuple_GET_ITEM(item, 11);
    decisions = PyTuple_GET_ITEM(item, 12);
    ts = PyTuple_GET_ITEM(item, 13);
    model_ns = PyTuple_GET_ITEM(item, 14);
    /* not a plain record (an error, extra fields), or values another path writes */
    if (error != Py_None || (extra != Py_None && !(PyDict_CheckExact(extra) && PyDict_GET_SIZE(extra) == 0))
        || (enforced != Py_True && enforced != Py_False) || (fallback != Py_None && !PyUnicode_CheckExact(fallback))
        || !PyUnicode_CheckExact(outcome) || !PyFloat_CheckExact(ts)
        || (output != Py_None && !PyUnicode_CheckExact(output))
        || (reasons != Py_None && !PyTuple_CheckExact(reasons) && !PyList_CheckExact(reasons)))
        return SJ_NO;
    dec_empty = decisions == Py_None || (PyList_CheckExact(decisions) && PyList_GET_SIZE(decisions) == 0);
    if (!dec_empty && (!layout_call || !PyList_CheckExact(decisions)))
        return SJ_NO;
    if ((c = get_attr(R_CALLCTX, ctx, 0)) == NULL || (cid = get_attr(R_CALLCTX, ctx, 1)) == NULL
        || (attempt = get_attr(R_CALLCTX, ctx, 2)) == NULL || (sources = get_attr(R_CONTEXT, c, 0)) == NULL) {
        rc = SJ_ERR;
        goto done;
    }
    truth = sources == Py_None ? 0 : PyObject_IsTrue(sources);
    if (truth != 0) {
        rc = truth < 0 ? SJ_ERR : SJ_NO;
        goto done;
    }
    SJ_TRY(memo_lookup(memo, segments, policy, c, h, &seg, &state));
    SEG(3);
    SJ_TRY(put_int(b, attempt));
    SJ_LIT(b, ",\"call_id\":");
    SJ_TRY(put_str(b, cid));
    SJ_LIT(b, ",\"chain\":");
    SJ_TRY(wb_put(b, PyBytes_AS_STRING(chain_json), PyBytes_GET_SIZE(chain_json)) < 0 ? SJ_ERR : SJ_OK);
    if (enforced == Py_True)
        SJ_LIT(b, ",\"enforced\":true,\"event_id\":");
    else
        SJ_LIT(b, ",\"enforced\":false,\"event_id\":");
    SJ_TRY(put_str(b, cid));
    SJ_LIT(b, ",\"fallback_from\":");
    if (fallback == Py_None)
        SJ_LIT(b, "null");
    else
        SJ_TRY(put_str(b, fallback));
    SJ_LIT(b, ",\"findings\":[],\"input_hash\":");
    if (h == Py_None)
        SJ_LIT(b, "null");
    else
        SJ_TRY(put_input_hash(b, h, state, inputs, jq));
    SJ_LIT(b, ",\"latency_us\":");
    SJ_TRY(put_ns_micros(b, latency));
    SEG(4);
    if (model_ns != Py_None) {
        SJ_LIT(b, ",\"model_us\":");
        SJ_TRY(put_ns_micros(b, model_ns));
    }
    SJ_LIT(b, ",\"outcome\":");
    SJ_TRY(put_str(b, outcome));
    SJ_LIT(b, ",\"output_hash\":");
    if (h == Py_None || output == Py_None)
        SJ_LIT(b, "null");
    else
        SJ_TRY(put_keyed(b, h, state, output, jq));
    SEG(5);
    if (prev_at != NULL)
        *prev_at = b->len + 1;
    SJ_TRY(wb_put(b, PyBytes_AS_STRING(prev_json), PyBytes_GET_SIZE(prev_json)) < 0 ? SJ_ERR : SJ_OK);
    SEG(6);
    SJ_LIT(b, "[");
    if (reasons != Py_None) {
        PyObject *rs = PySequence_Tuple(reasons); /* a copy: hashing above may have run Python code */
        if (rs == NULL) {
            rc = SJ_ERR;
            goto done;
        }
        for (i = 0; i < PyTuple_GET_SIZE(rs) && rc == SJ_OK; i++) {
            if (i && wb_put(b, ",", 1) < 0)
                rc = SJ_ERR;
            else
                rc = put_str(b, PyTuple_GET_ITEM(rs, i));
        }
        Py_DECREF(rs);
        if (rc != SJ_OK)
            goto done;
    }
    SJ_LIT(b, "]");
    SEG(7);
    SJ_TRY(put_ll(b, seq));
    SEG(8);
    if (layout_call) {
        if (dec_empty)
            SJ_LIT(b, "[]");
        else
            SJ_TRY(put_steps(b, fb, decisions, ftype));
    }
    SEG(9);
    SJ_TRY(put_double(b, PyFloat_AS_DOUBLE(ts)));
    SJ_LIT(b, ",\"type\":\"call\",\"validator\":null,\"validator_version\":null}");
done:
    Py_XDECREF(c);
    Py_XDECREF(cid);
    Py_XDECREF(attempt);
    Py_XDECREF(sources);
    Py_XDECREF(seg);
    Py_XDECREF(state);
    return rc;
}

#undef SEG

static PyObject *
csha_call_bodies(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *items, *chain_json, *prev_json, *memo, *segments, *out;
    PyTypeObject *ftype;
    Py_ssize_t start, stop, i;
    long long seq;
    int layout_call, rc = SJ_OK;
    wbuf b = {NULL, 0, 0}, fb = {NULL, 0, 0};
    (void)self;
    if (nargs != 11) {
        PyErr_SetString(PyExc_TypeError, "call_bodies() takes 11 arguments");
        return NULL;
    }
    items = args[0];
    chain_json = args[4];
    prev_json = args[5];
    memo = args[7];
    segments = args[8];
    out = args[10];
    if (!PyList_CheckExact(items) || !PyBytes_CheckExact(chain_json) || !PyBytes_CheckExact(prev_json)
        || !PyList_CheckExact(memo) || PyList_GET_SIZE(memo) != 5 || !PyCallable_Check(segments)
        || !PyType_Check(args[9]) || !PyList_CheckExact(out)) {
        PyErr_SetString(PyExc_TypeError, "call_bodies(items: list, start, stop, seq, chain_json: bytes, "
                                         "prev_json: bytes, layout_call, memo: list of 5, segments, "
                                         "finding_type, out: list)");
        return NULL;
    }
    ftype = (PyTypeObject *)args[9];
    start = PyLong_AsSsize_t(args[1]);
    if (start == -1 && PyErr_Occurred())
        return NULL;
    stop = PyLong_AsSsize_t(args[2]);
    if (stop == -1 && PyErr_Occurred())
        return NULL;
    seq = PyLong_AsLongLong(args[3]);
    if (seq == -1 && PyErr_Occurred())
        return NULL;
    if (start < 0 || seq < 0 || seq > (1LL << 62)) {
        PyErr_SetString(PyExc_ValueError, "call_bodies() start and seq must be >= 0");
        return NULL;
    }
    layout_call = PyObject_IsTrue(args[6]);
    if (layout_call < 0)
        return NULL;
    for (i = start; i < stop && i < PyList_GET_SIZE(items); i++) {
        PyObject *item = PyList_GET_ITEM(items, i), *body;
        Py_INCREF(item);
        b.len = 0;
        rc = put_call(&b, &fb, item, seq + (long long)(i - start), chain_json, prev_json, layout_call, memo,
                      segments, ftype, NULL, NULL);
        Py_DECREF(item);
        if (rc != SJ_OK)
            break;
        body = PyBytes_FromStringAndSize(b.p, b.len);
        if (body == NULL || PyList_Append(out, body) < 0) {
            Py_XDECREF(body);
            rc = SJ_ERR;
            break;
        }
        Py_DECREF(body);
    }
    PyMem_Free(b.p);
    PyMem_Free(fb.p);
    if (rc == SJ_ERR)
        return NULL;
    return PyLong_FromSsize_t(i);
}

/* -- call records built and chained in one pass ---------------------------------------------------- */
/*
 * seal_calls(items, start, stop, seq, chain_json, prev, layout_call, memo, segments, finding_type,
 *            max_bytes, gil_free_bytes) -> (lines, last hash, index)
 *
 * What `call_bodies` and then `seal` give for a run of plain call records, in one pass and without
 * a bytes object or a list entry per record: the records of `items[start:stop]` are built into one
 * buffer (stopping, as call_bodies does, at the first item that is not a plain call record, and
 * after the record that takes the buffer past `max_bytes`), each with its offset and the offset of
 * its "prev_hash" value, which is therefore known and need not be searched for. The keyed hashes of
 * the texts (with this module's HMAC state) and the chain's SHA-256s are then computed with the GIL
 * released when the run holds at least `gil_free_bytes` (-1: never), so a caller thread may run
 * meanwhile (a thread that lets go of the GIL may wait up to the switch interval to get it back:
 * worth it for a large run only), since nothing they read or
 * write is shared: the texts are immutable and held, the buffers are this call's own. Returns the
 * lines joined (b"" for none), the last record's hash (`prev` for none) and the index it stopped at.
 * An error (memory, a hasher of its own that raised) raises; nothing is returned then.
 */

typedef struct {
    Py_ssize_t start, len, prev_at;
} rspan;

static PyObject *
csha_seal_calls(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *items, *chain_json, *memo, *segments, *prev_json = NULL, *out = NULL, *last, *result = NULL;
    PyTypeObject *ftype;
    Py_ssize_t start, stop, i, max_bytes, gil_free, plen, nrec = 0, rcap = 0, total = 0, k;
    long long seq;
    int layout_call, rc = SJ_OK;
    const char *prev_s;
    char prev[64], zeros[66];
    wbuf b = {NULL, 0, 0}, fb = {NULL, 0, 0};
    jobq jq = {NULL, 0, 0};
    rspan *recs = NULL;
    (void)self;
    if (nargs != 12) {
        PyErr_SetString(PyExc_TypeError, "seal_calls() takes 12 arguments");
        return NULL;
    }
    items = args[0];
    chain_json = args[4];
    memo = args[7];
    segments = args[8];
    if (!PyList_CheckExact(items) || !PyBytes_CheckExact(chain_json) || !PyUnicode_Check(args[5])
        || !PyList_CheckExact(memo) || PyList_GET_SIZE(memo) != 5 || !PyCallable_Check(segments)
        || !PyType_Check(args[9])) {
        PyErr_SetString(PyExc_TypeError, "seal_calls(items: list, start, stop, seq, chain_json: bytes, prev: str, "
                                         "layout_call, memo: list of 5, segments, finding_type, max_bytes, "
                                         "gil_free_bytes)");
        return NULL;
    }
    ftype = (PyTypeObject *)args[9];
    prev_s = PyUnicode_AsUTF8AndSize(args[5], &plen);
    if (prev_s == NULL)
        return NULL;
    if (!is_hex64(prev_s, plen)) {
        PyErr_SetString(PyExc_ValueError, "seal_calls() prev must be 64 lower-case hex digits");
        return NULL;
    }
    memcpy(prev, prev_s, 64);
    if ((start = PyLong_AsSsize_t(args[1])) == -1 && PyErr_Occurred())
        return NULL;
    if ((stop = PyLong_AsSsize_t(args[2])) == -1 && PyErr_Occurred())
        return NULL;
    if ((seq = PyLong_AsLongLong(args[3])) == -1 && PyErr_Occurred())
        return NULL;
    if ((max_bytes = PyLong_AsSsize_t(args[10])) == -1 && PyErr_Occurred())
        return NULL;
    if ((gil_free = PyLong_AsSsize_t(args[11])) == -1 && PyErr_Occurred())
        return NULL;
    if (start < 0 || seq < 0 || seq > (1LL << 62)) {
        PyErr_SetString(PyExc_ValueError, "seal_calls() start and seq must be >= 0");
        return NULL;
    }
    if ((layout_call = PyObject_IsTrue(args[6])) < 0)
        return NULL;
    memset(zeros, '0', sizeof zeros);
    zeros[0] = zeros[65] = '"';
    if ((prev_json = PyBytes_FromStringAndSize(zeros, 66)) == NULL)
        return NULL;
    for (i = start; i < stop && i < PyList_GET_SIZE(items); i++) {
        PyObject *item = PyList_GET_ITEM(items, i);
        Py_ssize_t at = b.len, njobs = jq.n, prev_at = -1;
        if (i > start && b.len >= max_bytes)
            break;
        if (nrec == rcap) {
            Py_ssize_t cap = rcap ? rcap * 2 : 256;
            rspan *nr = PyMem_Realloc(recs, sizeof(rspan) * (size_t)cap);
            if (nr == NULL) {
                PyErr_NoMemory();
                rc = SJ_ERR;
                break;
            }
            recs = nr;
            rcap = cap;
        }
        Py_INCREF(item);
        rc = put_call(&b, &fb, item, seq + (long long)(i - start), chain_json, prev_json, layout_call, memo,
                      segments, ftype, &jq, &prev_at);
        Py_DECREF(item);
        if (rc == SJ_OK && (prev_at < at || prev_at + 64 > b.len || b.len - at < 2)) {
            PyErr_SetString(PyExc_SystemError, "seal_calls() lost a record's prev_hash");
            rc = SJ_ERR;
        }
        if (rc != SJ_OK) {
            b.len = at;
            jq_truncate(&jq, njobs);
            break;
        }
        recs[nrec].start = at;
        recs[nrec].len = b.len - at;
        recs[nrec].prev_at = prev_at;
        total += b.len - at + HASH_KEY_LEN + 64 + 2;
        nrec++;
    }
    if (rc == SJ_ERR)
        goto done;
    out = PyBytes_FromStringAndSize(NULL, total);
    if (out == NULL)
        goto done;
    {
        char *w = PyBytes_AS_STRING(out);
        int free_gil = gil_free >= 0 && b.len >= gil_free;
        PyThreadState *ts = free_gil ? PyEval_SaveThread() : NULL;
        for (k = 0; k < jq.n; k++) {
            unsigned char d[32];
            hmac_digest(&jq.v[k].hs, jq.v[k].p, jq.v[k].len, d);
            to_hex(d, b.p + jq.v[k].off);
        }
        for (k = 0; k < nrec; k++) {
            const char *body = b.p + recs[k].start;
            Py_ssize_t len = recs[k].len;
            unsigned char d[32];
            memcpy(b.p + recs[k].prev_at, prev, 64);
            finish(H0, 0, (const unsigned char *)body, (size_t)len, d);
            to_hex(d, prev);
            memcpy(w, body, (size_t)(len - 1));
            w += len - 1;
            memcpy(w, HASH_KEY, HASH_KEY_LEN);
            w += HASH_KEY_LEN;
            memcpy(w, prev, 64);
            w += 64;
            *w++ = '"';
            *w++ = '}';
            *w++ = '\n';
        }
        if (ts != NULL)
            PyEval_RestoreThread(ts);
    }
    last = PyUnicode_FromStringAndSize(prev, 64);
    if (last != NULL) {
        result = Py_BuildValue("(NNn)", out, last, i);
        out = NULL;
    }
done:
    jq_truncate(&jq, 0);
    PyMem_Free(jq.v);
    PyMem_Free(recs);
    PyMem_Free(b.p);
    PyMem_Free(fb.p);
    Py_XDECREF(out);
    Py_XDECREF(prev_json);
    return result;
}

/* float_json(v) -> bytes | None: a float as the writer writes it (put_double), for tests. */
static PyObject *
csha_float_json(PyObject *self, PyObject *arg)
{
    wbuf b = {NULL, 0, 0};
    PyObject *out;
    int rc;
    (void)self;
    if (!PyFloat_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "float_json() takes a float");
        return NULL;
    }
    rc = put_double(&b, PyFloat_AS_DOUBLE(arg));
    if (rc == SJ_OK)
        out = PyBytes_FromStringAndSize(b.p, b.len);
    else if (rc == SJ_NO) {
        out = Py_None;
        Py_INCREF(out);
    } else
        out = NULL;
    PyMem_Free(b.p);
    return out;
}

static PyMethodDef methods[] = {
    {"float_json", csha_float_json, METH_O, "float_json(v) -> a float's JSON as the writer writes it (bytes), or None"},
    {"hmac_key", csha_hmac_key, METH_O, "hmac_key(key) -> the HMAC-SHA256 key schedule (bytes)"},
    {"hmac_hex", (PyCFunction)(void (*)(void))csha_hmac_hex, METH_FASTCALL,
     "hmac_hex(state, text) -> HMAC-SHA256 of text (UTF-8, surrogatepass), hex"},
    {"sha256_hex", csha_sha256_hex, METH_O, "sha256_hex(data) -> SHA-256 of data, hex"},
    {"seal", (PyCFunction)(void (*)(void))csha_seal, METH_FASTCALL,
     "seal(bodies, prev, placeholder) -> (lines, last hash): chain serialised records"},
    {"steps_json", (PyCFunction)(void (*)(void))csha_steps_json, METH_FASTCALL,
     "steps_json(decisions, finding_type) -> the \"steps\" array of a call record (bytes), or None"},
    {"call_bodies", (PyCFunction)(void (*)(void))csha_call_bodies, METH_FASTCALL,
     "call_bodies(items, start, stop, seq, chain_json, prev_json, layout_call, memo, segments, finding_type, "
     "out) -> index: the canonical bytes of plain call records, appended to out"},
    {"seal_calls", (PyCFunction)(void (*)(void))csha_seal_calls, METH_FASTCALL,
     "seal_calls(items, start, stop, seq, chain_json, prev, layout_call, memo, segments, finding_type, "
     "max_bytes, gil_free_bytes) -> (lines, last hash, index): plain call records built and chained in one pass"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "guardwrap.audit._csha", "The audit writer's hashing (SHA-256, HMAC, chain).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__csha(void)
{
    PyObject *m, *flag;
#ifdef GW_SHANI
    {
        unsigned int a = 0, b = 0, c = 0, d = 0;
        int ssse3_sse41 = 0, sha = 0;
        if (__get_cpuid(1, &a, &b, &c, &d))
            ssse3_sse41 = (c & (1u << 9)) && (c & (1u << 19));
        if (__get_cpuid_count(7, 0, &a, &b, &c, &d))
            sha = (b & (1u << 29)) != 0;
        use_shani = ssse3_sse41 && sha && getenv("GUARDWRAP_CSHA_PORTABLE") == NULL;
    }
#endif
    if (steps_json_init() < 0)
        return NULL;
    m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    flag = PyBool_FromLong(use_shani);
    if (PyModule_AddObject(m, "accelerated", flag) < 0) {
        Py_DECREF(flag);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
