/*
 * lad_order.h - from owner-held rows to the sorted row-block layout.
 *
 * After the shuffle each session lives on its hash owner. Outputs and the distributed matrix need the
 * rows in session-key order, cut into contiguous row blocks. The global position of every session is
 * found with a sample sort of the keys (no rank ever holds all keys), then each row is sent to the
 * rank whose block holds its position.
 */
#ifndef LAD_ORDER_H
#define LAD_ORDER_H

#include <stddef.h>

#include "lad_counts.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_features;

/*
 * Collective. t[0, n) are this rank's owned triplets, sorted by (session, column) with columns < the
 * number of events in f->events (already filled). Fills f: n_global, the layout, keys and counts.
 */
enum lad_status lad_order_rows(struct lad_ctx *ctx, const struct lad_triplet *t, size_t n, struct lad_features *f);

/*
 * Collective. Global positions (0-based ranks in ascending key order over all ranks) of this rank's
 * distinct, ascending keys[0, n); *n_global receives the number of keys over all ranks.
 * Exposed for tests.
 */
enum lad_status lad_order_positions(struct lad_ctx *ctx, const int64_t *keys, size_t n, int64_t *pos,
                                    int64_t *n_global);

#endif
