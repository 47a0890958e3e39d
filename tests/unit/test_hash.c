/* test_hash.c - hashing: deterministic, well spread, owners balanced; keyed random streams. */
#include <string.h>

#include "lad_hash.h"
#include "lad_test.h"

static void test_mixer(void)
{
    /* the finalizer fixes 0 and separates neighbours */
    CU_ASSERT_EQUAL(lad_hash_u64(0), 0);
    CU_ASSERT_NOT_EQUAL(lad_hash_u64(1), lad_hash_u64(2));
    /* bijective on a sample: no collisions among 10000 consecutive ids */
    static uint64_t seen[10000];
    for (uint64_t i = 0; i < 10000; i++)
        seen[i] = lad_hash_u64(i);
    int collisions = 0;
    for (int i = 0; i < 10000; i++)
        for (int j = i + 1; j < i + 50 && j < 10000; j++)
            collisions += seen[i] == seen[j];
    CU_ASSERT_EQUAL(collisions, 0);
}

static void test_bytes(void)
{
    const char *a = "Receiving block blk_1 src: /10.0.0.1";
    uint64_t h = lad_hash_bytes(a, strlen(a), 7);
    CU_ASSERT_EQUAL(h, lad_hash_bytes(a, strlen(a), 7));
    CU_ASSERT_NOT_EQUAL(h, lad_hash_bytes(a, strlen(a), 8));
    CU_ASSERT_NOT_EQUAL(h, lad_hash_bytes(a, strlen(a) - 1, 7));
    /* every length up to 17 gives a different value for prefixes of the same text */
    for (size_t n = 0; n < 17; n++)
        CU_ASSERT_NOT_EQUAL(lad_hash_bytes(a, n, 1), lad_hash_bytes(a, n + 1, 1));
}

static void test_owner_balance(void)
{
    /* HDFS block ids: large, signed, clustered. Owners must still be balanced. */
    for (int size = 1; size <= 7; size++) {
        int count[7] = {0};
        for (int64_t i = 0; i < 70000; i++) {
            int o = lad_hash_owner(-1608999687919862906LL + i * 2, size);
            CU_ASSERT_TRUE_FATAL(o >= 0 && o < size);
            count[o]++;
        }
        for (int r = 0; r < size; r++)
            CU_ASSERT_TRUE(count[r] > 70000 / size * 9 / 10 && count[r] < 70000 / size * 11 / 10);
    }
}

static void test_rng_streams(void)
{
    struct lad_rng a, b, c;
    lad_rng_init(&a, 42, 5);
    lad_rng_init(&b, 42, 5);
    lad_rng_init(&c, 42, 6);
    int same_c = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x = lad_rng_next(&a);
        CU_ASSERT_EQUAL(x, lad_rng_next(&b));
        same_c += x == lad_rng_next(&c);
    }
    CU_ASSERT_EQUAL(same_c, 0);
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        double u = lad_rng_uniform(&a);
        CU_ASSERT_TRUE_FATAL(u >= 0 && u < 1);
        sum += u;
    }
    CU_ASSERT_DOUBLE_EQUAL(sum / 100000, 0.5, 0.01);
    int hits[3] = {0};
    for (int i = 0; i < 30000; i++)
        hits[lad_rng_below(&a, 3)]++;
    for (int k = 0; k < 3; k++)
        CU_ASSERT_TRUE(hits[k] > 9000 && hits[k] < 11000);
}

static CU_TestInfo tests[] = {
    {"64-bit mixer", test_mixer},
    {"byte hashing", test_bytes},
    {"owner ranks are balanced", test_owner_balance},
    {"keyed random streams", test_rng_streams},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"hash", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
