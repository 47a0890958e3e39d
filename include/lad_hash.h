/*
 * lad_hash.h - deterministic 64-bit hashing (same value on every rank, thread and run).
 *
 * Block ownership, hash tables and the training-data fingerprint all depend on these functions, so
 * they must never depend on pointer values, the rank count or a random seed.
 */
#ifndef LAD_HASH_H
#define LAD_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Local. Bijective 64-bit mixer (the splitmix64 finalizer): spreads nearby integers over all bits. */
uint64_t lad_hash_u64(uint64_t x);

/* Local. Hash of n bytes, seeded; reads 8 bytes at a time, little-endian order. */
uint64_t lad_hash_bytes(const void *data, size_t n, uint64_t seed);

/* Local. Owner rank of a session key (HDFS block id or window number): hash modulo size. */
int lad_hash_owner(int64_t key, int size);

/*
 * Local. A reproducible stream of pseudo-random numbers keyed by (seed, stream id): the same numbers
 * whatever rank or thread draws them (CoMD's mkSeed). Never rand().
 */
struct lad_rng {
    uint64_t state;
};
void lad_rng_init(struct lad_rng *rng, uint64_t seed, uint64_t stream);
uint64_t lad_rng_next(struct lad_rng *rng);
/* Uniform in [0, 1). */
double lad_rng_uniform(struct lad_rng *rng);
/* Uniform integer in [0, n); n > 0. */
uint64_t lad_rng_below(struct lad_rng *rng, uint64_t n);

/*
 * Local. A keyed pseudo-random permutation of [0, n): element i's image, computed alone in O(1)
 * memory (a 4-round Feistel network on the next even power of two, cycle-walking back into range).
 * Lets every rank place item i without any rank holding the whole permutation.
 */
uint64_t lad_permute(uint64_t i, uint64_t n, uint64_t seed);

#endif
