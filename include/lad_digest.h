/*
 * lad_digest.h - a fast 64-bit digest of a byte string, for integrity checks of logad's own files.
 *
 * The algorithm is XXH64 (Yann Collet's xxHash, 64-bit variant; written here from its published
 * description): four independent lanes of multiply-rotate rounds over 32-byte stripes, several GB/s
 * per core. It detects corruption (any change of a random kind passes with probability 2^-64); it is
 * not cryptographic and does not stop someone who edits a file on purpose and recomputes it.
 */
#ifndef LAD_DIGEST_H
#define LAD_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/* Local. XXH64 of data[0, n) with seed: the same value on every platform (little-endian reads). */
uint64_t lad_digest64(const void *data, size_t n, uint64_t seed);

#endif
