/*
 * blockid.c - finding HDFS block ids on a line without a regex engine.
 *
 * One pass: memchr jumps to each '_', a 3-byte compare behind it confirms "blk_", the digits are read
 * once, eight at a time.
 * Distinct ids are kept in order of first appearance. A line names one or two blocks almost always, so
 * repeats are found by comparing with the few ids already stored; past SMALL ids a hash set takes over
 * (a line naming 90,000 blocks took seconds with pairwise comparison).
 */
#include "lad_blockid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_hash.h"
#include "parse_internal.h"

#define SMALL 16 /* ids compared pairwise; more go through the hash set */

#if LAD__SWAR
/* Local. Whether the eight bytes of x are all ASCII digits: each byte's high nibble is 3, and still 3
 * after adding 6 (a carry out of a byte above 0xf9 only comes from a byte that already fails). */
static inline bool all_digits(uint64_t x)
{
    const uint64_t highs = 0xf0f0f0f0f0f0f0f0ULL;
    return ((x & highs) | (((x + 0x0606060606060606ULL) & highs) >> 4)) == 0x3333333333333333ULL;
}

/* Local. The value of eight ASCII digits, the first the most significant: pairs, quadruples and the
 * octet combined by multiplications. */
static inline uint32_t octet_value(uint64_t x)
{
    x -= 0x3030303030303030ULL;
    x = x * 10 + (x >> 8); /* bytes 0, 2, 4, 6: two-digit values */
    return (uint32_t)(((x & 0x000000ff000000ffULL) * (100 + (1000000ULL << 32)) +
                       ((x >> 16) & 0x000000ff000000ffULL) * (1 + (10000ULL << 32))) >> 32);
}
#endif

/*
 * Parses -?[0-9]+ at s[0, n); returns the digits' end or 0 if none; *ok is false when the value does
 * not fit a signed 64-bit integer. Up to 19 significant digits fit a uint64_t, so the value is
 * accumulated without a check per digit and compared with the int64 range once.
 */
static size_t parse_id(const char *s, size_t n, int64_t *id, bool *ok)
{
    size_t begin = n > 0 && s[0] == '-';
#if LAD__SWAR
    /* The usual id (up to 19 digits): checked and converted eight digits at a time in one pass. Up to 19
     * digits, leading zeros included, fit a uint64_t, so the value is compared with the int64 range
     * once; longer runs go the careful way below. */
    {
        size_t i = begin;
        uint64_t v = 0, x;
        while (n - i >= 8 && (memcpy(&x, s + i, 8), all_digits(x))) {
            v = v * 100000000u + octet_value(x);
            i += 8;
        }
        while (i < n && (unsigned char)(s[i] - '0') <= 9 && i - begin < 20)
            v = v * 10 + (uint64_t)(s[i++] - '0');
        if (i - begin <= 19) {
            if (i == begin)
                return 0;
            bool neg = begin == 1;
            *ok = v <= (uint64_t)INT64_MAX + (neg ? 1u : 0u);
            if (*ok)
                *id = !neg ? (int64_t)v : v == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)v;
            return i;
        }
    }
#endif
    size_t end = lad__digits_end(s, begin, n);
    if (end == begin)
        return 0;
    size_t i = begin;
    while (i < end && s[i] == '0') /* leading zeros do not count against the range */
        i++;
    *ok = end - i <= 19;
    if (!*ok)
        return end;
    uint64_t v = 0;
#if LAD__SWAR
    /* Eight digits at a time (HDFS ids have 19), combined in pairs, quadruples and octets by
     * multiplications. */
    for (; end - i >= 8; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        v = v * 100000000u + octet_value(x);
    }
#endif
    for (; i < end; i++)
        v = v * 10 + (uint64_t)(s[i] - '0');
    bool neg = begin == 1;
    const uint64_t max_magnitude = (uint64_t)INT64_MAX + (neg ? 1u : 0u);
    *ok = v <= max_magnitude;
    if (*ok)
        *id = !neg ? (int64_t)v : v == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)v;
    return end;
}

/* The distinct ids of a line beyond SMALL: open addressing over int64 keys; used[] marks full slots. */
struct id_set {
    int64_t *keys;
    unsigned char *used;
    size_t mask, n;
};

static bool set_init(struct id_set *set, int n)
{
    size_t slots = 64;
    while (slots < 4 * (size_t)n)
        slots *= 2;
    set->keys = malloc(slots * sizeof *set->keys);
    set->used = calloc(slots, 1);
    set->mask = slots - 1;
    set->n = 0;
    return set->keys && set->used;
}

static void set_free(struct id_set *set)
{
    if (set->keys == NULL && set->used == NULL)
        return;
    free(set->keys);
    free(set->used);
    set->keys = NULL;
    set->used = NULL;
}

/* Adds id; returns 1 if new, 0 if present, -1 when growing the set failed. */
static int set_add(struct id_set *set, int64_t id)
{
    size_t i = lad_hash_u64((uint64_t)id) & set->mask;
    for (; set->used[i]; i = (i + 1) & set->mask)
        if (set->keys[i] == id)
            return 0;
    set->keys[i] = id;
    set->used[i] = 1;
    if (++set->n * 2 <= set->mask + 1)
        return 1;
    struct id_set bigger = {malloc(2 * (set->mask + 1) * sizeof *set->keys), calloc(2 * (set->mask + 1), 1),
                            2 * set->mask + 1, set->n};
    if (bigger.keys == NULL || bigger.used == NULL) {
        set_free(&bigger);
        return -1;
    }
    for (size_t k = 0; k <= set->mask; k++) {
        if (!set->used[k])
            continue;
        size_t j = lad_hash_u64((uint64_t)set->keys[k]) & bigger.mask;
        while (bigger.used[j])
            j = (j + 1) & bigger.mask;
        bigger.keys[j] = set->keys[k];
        bigger.used[j] = 1;
    }
    set_free(set);
    *set = bigger;
    return 1;
}

int lad_blockid_extract(const char *s, size_t n, int64_t *ids, int max, int *overflow, int *dropped)
{
    int count = 0, over = 0, drop = 0;
    struct id_set set = {NULL, NULL, 0, 0};
    bool use_set = false, set_failed = false; /* the set is used after SMALL distinct ids, if memory allows */
    const char *p = s, *end = s + n;
    while (end - p >= 5) {
        /* Find the '_' (rarer in logs than 'b'), then look back for "blk". memchr's wide loads beat
         * an inline scan here: the first '_' of an HDFS line is some 70 bytes in. */
        const char *under = memchr(p + 3, '_', (size_t)(end - p) - 4);
        if (under == NULL)
            break;
        const char *hit = under - 3;
        if (memcmp(hit, "blk", 3) != 0) {
            p = hit + 1;
            continue;
        }
        int64_t id;
        bool ok;
        size_t used = parse_id(hit + 4, (size_t)(end - hit - 4), &id, &ok);
        if (used == 0) { /* "blk_" with no digits is not a block id */
            p = hit + 4;
            continue;
        }
        p = hit + 4 + used;
        if (!ok) {
            over++;
            continue;
        }
        int is_new = 1;
        if (use_set && (is_new = set_add(&set, id)) < 0) { /* no memory to grow: pairwise from here on */
            set_free(&set);
            use_set = false;
            set_failed = true;
        }
        if (!use_set) {
            is_new = 1;
            for (int i = 0; i < count && is_new; i++)
                is_new = ids[i] != id;
            if (is_new && count >= SMALL && !set_failed) {
                set_failed = !set_init(&set, count);
                use_set = !set_failed;
                for (int i = 0; use_set && i < count; i++)
                    (void)set_add(&set, ids[i]); /* no growth: the set starts with room for them */
                if (!use_set || set_add(&set, id) < 0) { /* id is new either way: pairwise said so */
                    set_free(&set);
                    use_set = false;
                    set_failed = true;
                }
            }
        }
        if (is_new <= 0)
            continue;
        if (count == max) {
            /* Beyond the caller's room: counted so that it can grow and call again (exactly the distinct
             * extra ids once the set is in use; a repeated extra is counted again below SMALL ids). */
            drop++;
            continue;
        }
        ids[count++] = id;
    }
    set_free(&set);
    if (overflow)
        *overflow = over;
    if (dropped)
        *dropped = drop;
    return count;
}

bool lad_blockid_parse(const char *s, size_t n, int64_t *id)
{
    if (n < 5 || memcmp(s, "blk_", 4) != 0)
        return false;
    bool ok;
    size_t used = parse_id(s + 4, n - 4, id, &ok);
    return used > 0 && ok && used == n - 4;
}

int lad_blockid_format(int64_t id, char *buf, size_t cap)
{
    return snprintf(buf, cap, "blk_%lld", (long long)id);
}
