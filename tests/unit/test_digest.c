/*
 * test_digest.c - lad_digest64 is XXH64: the expected values come from the reference implementation
 * (Debian's xxhsum -H1, xxHash 0.8.1), for inputs that take every path (under 32 bytes; whole 32-byte
 * stripes; tails of 8, 4 and 1 bytes). Seeds change the value.
 */
#include <string.h>

#include "lad_digest.h"
#include "lad_test.h"

static void test_reference_values(void)
{
    static const struct {
        const char *text;
        uint64_t want;
    } cases[] = {
        {"", 0xef46db3751d8e999ULL},
        {"a", 0xd24ec4f1a98c6e5bULL},
        {"abc", 0x44bc2cf5ad770999ULL},
        {"0123456789abc", 0xba453e84431e55e5ULL},
        {"Nobody inspects the spammish repetition", 0xfbcea83c8a378bf1ULL},
        {"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHI", 0x35e383e3c2406cf2ULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CU_ASSERT_EQUAL(lad_digest64(cases[i].text, strlen(cases[i].text), 0), cases[i].want);
    char xs[1000];
    memset(xs, 'x', sizeof xs);
    CU_ASSERT_EQUAL(lad_digest64(xs, sizeof xs, 0), 0x4cb9a3b69cb700e1ULL);
    char zeros[100] = {0};
    CU_ASSERT_EQUAL(lad_digest64(zeros, sizeof zeros, 0), 0x17bb1103c92c502fULL);
}

static void test_sensitivity(void)
{
    char buf[4096];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (char)(i * 131 + 7);
    uint64_t base = lad_digest64(buf, sizeof buf, 1);
    CU_ASSERT_NOT_EQUAL(base, lad_digest64(buf, sizeof buf, 2));
    CU_ASSERT_NOT_EQUAL(base, lad_digest64(buf, sizeof buf - 1, 1));
    /* Every single-bit flip anywhere changes the digest. */
    int unchanged = 0;
    for (size_t i = 0; i < sizeof buf; i += 7)
        for (int b = 0; b < 8; b += 3) {
            buf[i] ^= (char)(1 << b);
            unchanged += lad_digest64(buf, sizeof buf, 1) == base;
            buf[i] ^= (char)(1 << b);
        }
    CU_ASSERT_EQUAL(unchanged, 0);
}

static CU_TestInfo tests[] = {
    {"XXH64 reference values", test_reference_values},
    {"seed, length and bit flips change it", test_sensitivity},
    CU_TEST_INFO_NULL,
};
static CU_SuiteInfo suites[] = {{"digest", NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};

int main(int argc, char **argv)
{
    return lad_test_main(argc, argv, suites);
}
