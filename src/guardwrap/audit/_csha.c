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
 *   accelerated: bool                      the CPU's SHA extensions are used
 *
 * SHA-256 is computed with the x86 SHA extensions when the CPU has them (checked once at import),
 * else by portable C. No global mutable state besides that flag, set at module init.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
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
 * to get it back, so releasing it for microseconds of hashing would starve the writer. */
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

static PyMethodDef methods[] = {
    {"hmac_key", csha_hmac_key, METH_O, "hmac_key(key) -> the HMAC-SHA256 key schedule (bytes)"},
    {"hmac_hex", (PyCFunction)(void (*)(void))csha_hmac_hex, METH_FASTCALL,
     "hmac_hex(state, text) -> HMAC-SHA256 of text (UTF-8, surrogatepass), hex"},
    {"sha256_hex", csha_sha256_hex, METH_O, "sha256_hex(data) -> SHA-256 of data, hex"},
    {"seal", (PyCFunction)(void (*)(void))csha_seal, METH_FASTCALL,
     "seal(bodies, prev, placeholder) -> (lines, last hash): chain serialised records"},
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
