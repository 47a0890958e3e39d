/*
 * lad_shuffle.h - moving every session's counts to one rank, in session order.
 *
 * A session's lines can be anywhere in the input, so every rank (and every thread's table in it)
 * holds partial counts of many sessions. The shuffle sends each session to the rank that owns its key
 * range: the ranges come from splitters chosen on samples of every rank's sorted keys, so each rank
 * receives a similar share whatever the id distribution. Each rank sends its sessions in key order,
 * so what a rank receives is one sorted run per sender, merged into sorted rows without a sort.
 * After the exchange every session's counts are complete on exactly one rank, and the rows of rank r
 * precede those of rank r + 1: lad_order_rows then only moves rows across rank boundaries.
 */
#ifndef LAD_SHUFFLE_H
#define LAD_SHUFFLE_H

#include <stddef.h>
#include <stdint.h>

#include "lad_counts.h"
#include "lad_status.h"

struct lad_ctx;

/* Rows of complete counts, keys ascending, compressed as in lad_features (row_start has n + 1). */
struct lad_rowset {
    int64_t n;
    int64_t *keys;
    int64_t *row_start;
    int32_t *cols;
    int64_t *vals;
};

/*
 * Collective. Merges the count tables[0, n_tables) of this rank (columns mapped through col_maps[t],
 * NULL to keep them; pairs mapped below 0 dropped, sessions left without pairs dropped) with every
 * other rank's into *out: the complete rows of this rank's key range, keys ascending, columns
 * ascending within a row. Every column must be below n_events (LAD_ERR_INTERNAL otherwise). The
 * tables are emptied (lad_counts_free) once read, before the exchange: memory peaks there.
 */
enum lad_status lad_shuffle_rows(struct lad_ctx *ctx, struct lad_counts *tables, const int32_t *const *col_maps,
                                 int n_tables, int n_events, struct lad_rowset *out);

/* Local. Frees; safe on a zeroed struct. */
void lad_rowset_free(struct lad_rowset *r);

#endif
