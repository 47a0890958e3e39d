/* test_radix.c - the radix sort of (key, value) records against qsort, stability included. */
#include <stdlib.h>
#include <string.h>

#include "lad_radix.h"
#include "lad_test.h"

/* By key, then by value: the original index rides in the value, so this is the stable order. */
static int by_key_then_value(const void *a, const void *b)
{
    const struct lad_keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->val > y->val) - (x->val < y->val);
}

static uint64_t next(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return *x;
}

/* Keys of one kind: full 64-bit (negative half the time), small window numbers, a few repeated
 * values, all equal, the extremes. */
static int64_t make_key(int kind, uint64_t *x)
{
    uint64_t r = next(x);
    switch (kind) {
    case 0: return (int64_t)r;
    case 1: return (int64_t)(r % 100000);
    case 2: return (int64_t)(r % 7) - 3;
    case 3: return -42;
    default: return r % 3 == 0 ? INT64_MIN : r % 3 == 1 ? INT64_MAX : 0;
    }
}

static void test_matches_qsort(void)
{
    static const size_t sizes[] = {0, 1, 2, 3, 255, 256, 1000, 70000};
    uint64_t x = 0x2545f4914f6cdd1dULL;
    for (int kind = 0; kind < 5; kind++)
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            size_t n = sizes[s];
            struct lad_keyed *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b),
                             *tmp = malloc((n + 1) * sizeof *tmp);
            CU_ASSERT_FATAL(a && b && tmp);
            for (size_t i = 0; i < n; i++)
                a[i] = b[i] = (struct lad_keyed){make_key(kind, &x), i};
            lad_radix_sort(a, n, tmp);
            qsort(b, n, sizeof *b, by_key_then_value);
            CU_ASSERT_EQUAL(memcmp(a, b, n * sizeof *a), 0);
            free(a);
            free(b);
            free(tmp);
        }
}

static CU_TestInfo tests[] = {
    {"radix sort equals a stable qsort", test_matches_qsort},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"radix", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
