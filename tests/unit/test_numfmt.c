/*
 * test_numfmt.c - lad_numfmt_g12 against glibc's printf("%.12g") on about three million doubles: random
 * bit patterns over the whole range (subnormals, huge, tiny), random values where the integer path
 * runs, exact decimal ties (which must round to even), the neighbours of every power of ten and of the
 * values that round up to the next decade, and the special values; lad_numfmt_i64 against "%lld".
 */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_numfmt.h"
#include "lad_test.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

/* splitmix64: a fixed sequence, so a failure is repeatable. */
static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static long n_checked, n_bad;

static void check(double v)
{
    char want[64], got[LAD_NUMFMT_MAX + 8];
    int wn = snprintf(want, sizeof want, "%.12g", v);
    int gn = lad_numfmt_g12(v, got);
    n_checked++;
    if (gn != wn || strcmp(got, want) != 0) {
        if (n_bad++ < 10) {
            uint64_t bits;
            memcpy(&bits, &v, sizeof bits);
            fprintf(stderr, "g12(%a = 0x%016" PRIx64 "): '%s', printf: '%s'\n", v, bits, got, want);
        }
    }
}

static double from_bits(uint64_t bits)
{
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

static void test_random_bits(void)
{
    n_bad = 0;
    for (int i = 0; i < 600000; i++)
        check(from_bits(next_u64()));
    CU_ASSERT_EQUAL(n_bad, 0);
}

/* Random mantissas with binary exponents from 2^-160 to 2^100: the integer path and its edges. */
static void test_random_fast_range(void)
{
    n_bad = 0;
    for (int i = 0; i < 1500000; i++) {
        uint64_t r = next_u64();
        uint64_t biased = 1023 - 160 + r % 261;
        double v = from_bits((biased << 52) | (next_u64() & ((UINT64_C(1) << 52) - 1)));
        check(r & (UINT64_C(1) << 63) ? -v : v);
    }
    CU_ASSERT_EQUAL(n_bad, 0);
}

/* Exact ties: the 13th significant digit is a 5 with nothing after it. v = r / 2^(q+1) with r odd has
 * the 12-digit prefix N and the tail .5 when r 5^q = 2N + 1 has 13 digits; likewise 13- to 16-digit
 * integers ending in 5. */
static void test_exact_ties_round_to_even(void)
{
    n_bad = 0;
    uint64_t p5 = 1;
    for (int q = 1; q <= 17; q++) {
        p5 *= 5;
        uint64_t lo = (UINT64_C(200000000000) + p5 - 1) / p5, hi = UINT64_C(2000000000000) / p5;
        for (int i = 0; i < 4000 && lo < hi; i++) {
            uint64_t r = lo + next_u64() % (hi - lo);
            r |= 1;
            if (r < hi)
                check(ldexp((double)r, -(q + 1)));
        }
    }
    for (int digits = 13; digits <= 16; digits++) {
        uint64_t base = 1;
        for (int d = 1; d < digits; d++)
            base *= 10;
        for (int i = 0; i < 20000; i++) {
            uint64_t n = base + next_u64() % (9 * base);
            n = n - n % 10 + 5;
            check((double)n);
            check(-(double)n);
        }
    }
    /* The textbook cases, each a tie in the 13th digit. */
    check(12345678901.25);
    check(12345678901.75);
    check(1234567890125.0);
    check(1234567890135.0);
    CU_ASSERT_EQUAL(n_bad, 0);
}

/* Powers of ten and the values that round up into the next decade, with 40 neighbours on each side. */
static void test_decade_edges(void)
{
    n_bad = 0;
    for (int k = -330; k <= 310; k++) {
        char text[64];
        const char *forms[] = {"1e%d", "9.999999999995e%d", "9.9999999999949999e%d", "1.00000000000005e%d"};
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            snprintf(text, sizeof text, forms[f], k);
            double v = strtod(text, NULL), up = v, down = v;
            check(v);
            for (int i = 0; i < 40; i++) {
                up = nextafter(up, INFINITY);
                down = nextafter(down, 0.0);
                check(up);
                check(down);
            }
        }
    }
    CU_ASSERT_EQUAL(n_bad, 0);
}

static void test_special_values(void)
{
    n_bad = 0;
    const double v[] = {0.0,     -0.0,    1.0,       -1.0,     0.5,         1e-5,       1e-4,   0.0001234,
                        1e11,    1e12,    123456789012.0, 999999999999.0, 9999999999995.0, 0.1,  1.0 / 3.0,
                        DBL_MIN, -DBL_MIN, DBL_MAX, -DBL_MAX, DBL_TRUE_MIN, 4.9406564584124654e-324,
                        INFINITY, -INFINITY, NAN, -NAN, 30.6141096035, 7.27652418331e-06};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        check(v[i]);
    /* Subnormals, which the integer path leaves to snprintf. */
    for (int i = 0; i < 20000; i++)
        check(from_bits(next_u64() & ((UINT64_C(1) << 52) - 1)));
    CU_ASSERT_EQUAL(n_bad, 0);
    CU_ASSERT_TRUE(n_checked > 2500000);
}

static void test_i64(void)
{
    const int64_t v[] = {0, 1, -1, 9, 10, -10, 1234567890123456789, INT64_MAX, INT64_MIN, INT64_MIN + 1};
    char want[32], got[LAD_NUMFMT_MAX];
    int bad = 0;
    for (size_t i = 0; i < sizeof v / sizeof v[0] + 200000; i++) {
        int64_t x = i < sizeof v / sizeof v[0] ? v[i] : (int64_t)(next_u64() >> (next_u64() % 64));
        if (i >= sizeof v / sizeof v[0] && (i & 1))
            x = -x;
        snprintf(want, sizeof want, "%lld", (long long)x);
        int n = lad_numfmt_i64(x, got);
        if (strcmp(want, got) != 0 || n != (int)strlen(want))
            bad++;
    }
    CU_ASSERT_EQUAL(bad, 0);
}

static CU_TestInfo tests[] = {
    {"random bit patterns (all exponents)", test_random_bits},
    {"random values in the integer path's range", test_random_fast_range},
    {"exact ties round to even", test_exact_ties_round_to_even},
    {"powers of ten and decade carries", test_decade_edges},
    {"special values and subnormals", test_special_values},
    {"int64", test_i64},
    CU_TEST_INFO_NULL,
};

static CU_SuiteInfo suites[] = {{"numfmt", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
