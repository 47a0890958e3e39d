/* hash.c - deterministic hashing and keyed pseudo-random streams. */
#include "lad_hash.h"

#include <string.h>

uint64_t lad_hash_u64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static inline uint64_t load_le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

uint64_t lad_hash_bytes(const void *data, size_t n, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = lad_hash_u64(seed ^ (0x9e3779b97f4a7c15ULL * (n + 1)));
    /* Byte-order independent loads keep the value identical on every platform. */
    while (n >= 8) {
        h = lad_hash_u64(h ^ load_le64(p)) * 0x9e3779b97f4a7c15ULL;
        p += 8;
        n -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < n; i++)
        tail |= (uint64_t)p[i] << (8 * i);
    return lad_hash_u64(h ^ tail ^ ((uint64_t)n << 56));
}

int lad_hash_owner(int64_t key, int size)
{
    return (int)(lad_hash_u64((uint64_t)key) % (uint64_t)size);
}

void lad_rng_init(struct lad_rng *rng, uint64_t seed, uint64_t stream)
{
    /* Mixing seed and stream id gives independent streams for every (seed, id) pair. */
    rng->state = lad_hash_u64(lad_hash_u64(seed) ^ (stream * 0xd1b54a32d192ed03ULL));
}

uint64_t lad_rng_next(struct lad_rng *rng)
{
    rng->state += 0x9e3779b97f4a7c15ULL; /* splitmix64 */
    return lad_hash_u64(rng->state);
}

double lad_rng_uniform(struct lad_rng *rng)
{
    return (double)(lad_rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

uint64_t lad_rng_below(struct lad_rng *rng, uint64_t n)
{
    /* Rejection keeps the result exactly uniform. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do
        x = lad_rng_next(rng);
    while (x >= limit);
    return x % n;
}

uint64_t lad_permute(uint64_t i, uint64_t n, uint64_t seed)
{
    if (n <= 1)
        return 0;
    int bits = 2;
    while (bits < 64 && (1ULL << bits) < n)
        bits += 2;
    int half = bits / 2;
    uint64_t mask = (1ULL << half) - 1;
    uint64_t x = i;
    /* A Feistel network is a bijection on [0, 2^bits); applying it again until the value falls in
     * [0, n) (cycle walking) keeps it a bijection on [0, n). */
    do {
        uint64_t l = x >> half, r = x & mask;
        for (int round = 0; round < 4; round++) {
            uint64_t f = lad_hash_u64(r ^ lad_hash_u64(seed + (uint64_t)round * 0x9e3779b97f4a7c15ULL)) & mask;
            uint64_t t = r;
            r = l ^ f;
            l = t;
        }
        x = (l << half) | r;
    } while (x >= n);
    return x;
}
