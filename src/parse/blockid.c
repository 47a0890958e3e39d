/* blockid.c - finding HDFS block ids on a line without a regex engine. */
#include "lad_blockid.h"

#include <stdio.h>
#include <string.h>

/* Parses -?[0-9]+ at s[0, n); returns the digits' end or 0 if none; *ok is false on int64 overflow. */
static size_t parse_id(const char *s, size_t n, int64_t *id, bool *ok)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && s[i] == '-') {
        neg = true;
        i++;
    }
    size_t digits_begin = i;
    /* Accumulate as a negative number: its range includes INT64_MIN. */
    int64_t v = 0;
    *ok = true;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        int d = s[i] - '0';
        if (v < (INT64_MIN + d) / 10)
            *ok = false;
        else
            v = v * 10 - d;
        i++;
    }
    if (i == digits_begin)
        return 0;
    if (!neg) {
        if (v == INT64_MIN)
            *ok = false;
        else
            v = -v;
    }
    *id = v;
    return i;
}

int lad_blockid_extract(const char *s, size_t n, int64_t *ids, int max, int *overflow, int *dropped)
{
    int count = 0, over = 0, drop = 0;
    const char *p = s, *end = s + n;
    while (end - p >= 5) {
        const char *hit = memchr(p, 'b', (size_t)(end - p - 4));
        if (hit == NULL)
            break;
        if (hit[1] != 'l' || hit[2] != 'k' || hit[3] != '_') {
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
        bool seen = false;
        for (int i = 0; i < count && !seen; i++)
            seen = ids[i] == id;
        if (seen)
            continue;
        if (count == max) {
            /* Beyond the caller's room: count distinct extra ids only (checked against each other
             * would need room too; a repeated extra id is counted again, which only grows the
             * caller's next buffer a little more than needed). */
            drop++;
            continue;
        }
        ids[count++] = id;
    }
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
