/*
 * numfmt.c - printf("%.12g") and printf("%lld") without printf, for the verdict rows.
 *
 * A finite double is v = m 2^e with an integer m < 2^53. Its 12 significant digits are the integer
 * N = round(v 10^s) with s = 11 - E, E = floor(log10 |v|), rounded to nearest with ties to even, as
 * glibc rounds. With 10^s = 5^s 2^s, v 10^s = m 5^s 2^(e+s): for s >= 0 that is the 192-bit product
 * m 5^s shifted by e + s, for s < 0 the quotient m 2^(e-t) / 5^t (t = -s) of 128-bit integers. Both are
 * exact, so N is the correctly rounded value, and the tie test sees the exact remainder. E comes from
 * the binary exponent and may be one too small; a rounding that carries to 10^12 moves to the next
 * decade. Values whose s falls outside what 128 bits hold, subnormals, inf and nan go to snprintf.
 */
#include "lad_numfmt.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

#define P10_11 UINT64_C(100000000000)
#define P10_12 UINT64_C(1000000000000)
#define MAX_POS_S 54 /* 5^54 is a product of two 5^27, each below 2^63 */
#define MAX_NEG_S 27

static const uint64_t pow5[MAX_NEG_S + 1] = {
    UINT64_C(1),
    UINT64_C(5),
    UINT64_C(25),
    UINT64_C(125),
    UINT64_C(625),
    UINT64_C(3125),
    UINT64_C(15625),
    UINT64_C(78125),
    UINT64_C(390625),
    UINT64_C(1953125),
    UINT64_C(9765625),
    UINT64_C(48828125),
    UINT64_C(244140625),
    UINT64_C(1220703125),
    UINT64_C(6103515625),
    UINT64_C(30517578125),
    UINT64_C(152587890625),
    UINT64_C(762939453125),
    UINT64_C(3814697265625),
    UINT64_C(19073486328125),
    UINT64_C(95367431640625),
    UINT64_C(476837158203125),
    UINT64_C(2384185791015625),
    UINT64_C(11920928955078125),
    UINT64_C(59604644775390625),
    UINT64_C(298023223876953125),
    UINT64_C(1490116119384765625),
    UINT64_C(7450580596923828125),
};

static int fallback(double v, char *buf)
{
    return snprintf(buf, LAD_NUMFMT_MAX, "%.12g", v);
}

/* floor(b log10(2)) for |b| < 1700 (78913 / 2^18 is log10(2) to 1e-7). */
static int floor_log10_pow2(int b)
{
    return b >= 0 ? (b * 78913) >> 18 : -((-b * 78913 + (1 << 18) - 1) >> 18);
}

/* W / 2^k rounded to nearest, ties to even, for W = w[0] + w[1] 2^64 + w[2] 2^128 and 1 <= k <= 191.
 * False when the quotient does not fit 64 bits. */
static bool shift_round(const uint64_t w[3], int k, uint64_t *out)
{
    int word = k / 64, bit = k % 64;
    uint64_t x0 = w[word], x1 = word + 1 < 3 ? w[word + 1] : 0, x2 = word + 2 < 3 ? w[word + 2] : 0;
    uint64_t q = bit ? (x0 >> bit) | (x1 << (64 - bit)) : x0;
    uint64_t above = bit ? (x1 >> bit) | (x2 << (64 - bit)) | (x2 >> bit) : x1 | x2;
    if (above != 0)
        return false;
    /* The remainder against half the divisor: its top bit, and whether anything lies below it. */
    int rw = (k - 1) / 64, rb = (k - 1) % 64;
    bool half = (w[rw] >> rb) & 1;
    bool sticky = (w[rw] & ((UINT64_C(1) << rb) - 1)) != 0;
    for (int i = 0; i < rw; i++)
        sticky |= w[i] != 0;
    if (half && (sticky || (q & 1)))
        q++;
    *out = q;
    return q != 0;
}

/* N = round(m 2^e 10^s), ties to even; false when the integers of this method cannot hold it. */
static bool scaled(uint64_t m, int e, int s, uint64_t *out)
{
    if (s >= 0) {
        if (s > MAX_POS_S)
            return false;
        u128 p = s <= MAX_NEG_S ? pow5[s] : (u128)pow5[MAX_NEG_S] * pow5[s - MAX_NEG_S];
        u128 lo = (u128)m * (uint64_t)p, hi = (u128)m * (uint64_t)(p >> 64);
        u128 mid = (lo >> 64) + hi;
        const uint64_t w[3] = {(uint64_t)lo, (uint64_t)mid, (uint64_t)(mid >> 64)};
        int k = e + s;
        if (k < 0)
            return -k <= 191 && shift_round(w, -k, out);
        if (w[1] != 0 || w[2] != 0 || k >= 64 || (k > 0 && (w[0] >> (64 - k)) != 0))
            return false;
        *out = w[0] << k;
        return true;
    }
    int t = -s, a = e - t;
    if (t > MAX_NEG_S)
        return false;
    u128 num = m, den = pow5[t];
    if (a >= 0) {
        if (a > 74) /* m < 2^53: num stays below 2^127 */
            return false;
        num <<= a;
    } else {
        if (-a > 62) /* 5^t < 2^63: 2 den stays below 2^127 */
            return false;
        den <<= -a;
    }
    u128 q = num / den, r = num % den;
    if (2 * r > den || (2 * r == den && (q & 1)))
        q++;
    if (q >> 64)
        return false;
    *out = (uint64_t)q;
    return true;
}

/* "00" "01" ... "99": two digits per division. */
static const char digit_pairs[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                     "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                     "8081828384858687888990919293949596979899";

/* The last n digits of v (n even, v < 10^n) into d[0, n), most significant first. */
static void put_digits(char *d, uint64_t v, int n)
{
    for (int i = n - 2; i >= 0; i -= 2) {
        memcpy(d + i, digit_pairs + 2 * (v % 100), 2);
        v /= 100;
    }
}

/* %g's layout of the 12 digits of N (10^11 <= N < 10^12) with decimal exponent x. */
static int emit(char *buf, bool neg, uint64_t n, int x)
{
    char d[12];
    put_digits(d, n, 12);
    int nd = 12; /* digits kept: %g drops trailing zeros and a point with nothing after it */
    while (nd > 1 && d[nd - 1] == '0')
        nd--;
    char *p = buf;
    if (neg)
        *p++ = '-';
    if (x < -4 || x >= 12) {
        *p++ = d[0];
        if (nd > 1) {
            *p++ = '.';
            memcpy(p, d + 1, (size_t)nd - 1);
            p += nd - 1;
        }
        *p++ = 'e';
        *p++ = x < 0 ? '-' : '+';
        int ax = x < 0 ? -x : x;
        if (ax >= 100)
            *p++ = (char)('0' + ax / 100);
        *p++ = (char)('0' + ax / 10 % 10);
        *p++ = (char)('0' + ax % 10);
    } else if (x >= 0) {
        memcpy(p, d, (size_t)x + 1);
        p += x + 1;
        if (nd > x + 1) {
            *p++ = '.';
            memcpy(p, d + x + 1, (size_t)(nd - x - 1));
            p += nd - x - 1;
        }
    } else {
        *p++ = '0';
        *p++ = '.';
        for (int z = 0; z < -x - 1; z++)
            *p++ = '0';
        memcpy(p, d, (size_t)nd);
        p += nd;
    }
    *p = '\0';
    return (int)(p - buf);
}

int lad_numfmt_g12(double v, char *buf)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    const bool neg = bits >> 63;
    const int biased = (int)((bits >> 52) & 0x7ff);
    const uint64_t frac = bits & ((UINT64_C(1) << 52) - 1);
    if (biased == 0 && frac == 0) {
        strcpy(buf, neg ? "-0" : "0");
        return neg ? 2 : 1;
    }
    if (biased == 0 || biased == 0x7ff)
        return fallback(v, buf); /* subnormal, inf, nan */
    const uint64_t m = frac | (UINT64_C(1) << 52);
    const int e = biased - 1075;
    /* |v| lies in [2^b, 2^(b+1)), so E is floor(b log10 2) or one more. */
    int x = floor_log10_pow2(biased - 1023);
    for (int tries = 0; tries < 3; tries++) {
        uint64_t n;
        if (!scaled(m, e, 11 - x, &n))
            break;
        if (n < P10_11)
            x--;
        else if (n >= P10_12)
            x++; /* one decade up, or a rounding that carried to 10^12 */
        else
            return emit(buf, neg, n, x);
    }
    return fallback(v, buf);
}

int lad_numfmt_i64(int64_t v, char *buf)
{
    char tmp[20];
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    /* Digits from the bit length (bits * log10 2, one too few at most), then one comparison. */
    static const uint64_t pow10[20] = {1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u,
                                       1000000000u, 10000000000u, 100000000000u, 1000000000000u,
                                       10000000000000u, 100000000000000u, 1000000000000000u,
                                       10000000000000000u, 100000000000000000u, 1000000000000000000u,
                                       10000000000000000000u};
    int bits = u ? 64 - __builtin_clzll(u) : 1;
    int n = (bits * 1233) >> 12; /* floor(bits log10 2) */
    n += n < 20 && u >= pow10[n];
    n = n < 1 ? 1 : n;
    /* Digits right-aligned in tmp, two at a time; an odd count leaves one leading pad digit. */
    int even = n + (n & 1);
    put_digits(tmp + 20 - even, u % 10000000000000000000u, even);
    if (n == 20)
        tmp[0] = (char)('0' + u / 10000000000000000000u);
    char *p = buf;
    if (v < 0)
        *p++ = '-';
    memcpy(p, tmp + 20 - n, (size_t)n);
    p[n] = '\0';
    return (int)(p - buf) + n;
}
