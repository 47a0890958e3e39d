/*
 * lad_shuffle.h - moving per-session counts to the rank that owns the session.
 *
 * A session's lines can be anywhere in the input, so every rank holds partial counts of many sessions.
 * The owner of session s is lad_hash_owner(s, size): hashing spreads sessions evenly whatever their id
 * distribution, and needs no coordination to decide. After the exchange every session's counts are
 * complete on exactly one rank.
 */
#ifndef LAD_SHUFFLE_H
#define LAD_SHUFFLE_H

#include <mpi.h>
#include <stddef.h>

#include "lad_counts.h"
#include "lad_status.h"

struct lad_ctx;

/*
 * Collective. Sends each triplet of in[0, n_in) to the owner of its session (lad_comm_alltoallv) and
 * returns the received triplets, sorted by (session, column) with duplicates summed, in *out
 * (malloc'd; *n_out elements). `in` is reordered.
 */
enum lad_status lad_shuffle_to_owners(struct lad_ctx *ctx, struct lad_triplet *in, size_t n_in,
                                      struct lad_triplet **out, size_t *n_out);

#endif
