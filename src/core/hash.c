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

/* 8 bytes as a little-endian number: the same value on every platform. */
static inline uint64_t load_le64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* The 128-bit product of a and b, folded to 64 bits: one multiplication mixes 16 input bytes. */
static inline uint64_t fold_mul(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
    unsigned __int128 r = (unsigned __int128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t m = a1 * b0 + ((a0 * b0) >> 32), n = a0 * b1 + (uint32_t)m;
    return a * b ^ (a1 * b1 + (m >> 32) + (n >> 32));
#endif
}

uint64_t lad_hash_bytes(const void *data, size_t n, uint64_t seed)
{
    /* A multiply-fold per 16 bytes (the construction of wyhash), so that keys of a hundred bytes cost a
     * few nanoseconds; the final splitmix step spreads every input bit over the low bits tables use. */
    const uint64_t k0 = 0xa0761d6478bd642fULL, k1 = 0xe7037ed1a0b428dbULL, k2 = 0x8ebc6af09c88c6e3ULL;
    const unsigned char *p = data;
    uint64_t h = lad_hash_u64(seed ^ (0x9e3779b97f4a7c15ULL * (n + 1)));
    size_t left = n;
    while (left > 16) {
        h = fold_mul(load_le64(p) ^ k1, load_le64(p + 8) ^ h);
        p += 16;
        left -= 16;
    }
    uint64_t a = 0, b = 0;
    if (left >= 8) { /* the last 16 bytes, overlapping what came before when shorter */
        a = load_le64(p);
        b = load_le64(p + left - 8);
    } else
        for (size_t i = 0; i < left; i++)
            a |= (uint64_t)p[i] << (8 * i);
    h = fold_mul(a ^ k2, b ^ h ^ k0);
    return lad_hash_u64(h ^ ((uint64_t)n << 56) ^ n);
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
