/*
 * lad_order.h - from key-range rows to the sorted row-block layout.
 *
 * After the shuffle (lad_shuffle_rows) rank r holds the rows of a key range, all below rank r + 1's:
 * the global order is already there, only the cut is not. A rank's first row has global position
 * equal to the rows of the ranks before it (an exclusive scan), and rows whose position falls in
 * another rank's row block move there in one exchange. With balanced splitters that is a few
 * percent of the rows, at the rank boundaries.
 */
#ifndef LAD_ORDER_H
#define LAD_ORDER_H

#include "lad_status.h"

struct lad_ctx;
struct lad_features;
struct lad_rowset;

/*
 * Collective. rows: this rank's rows from lad_shuffle_rows (consumed: freed or moved into f). f->events
 * is already filled. Fills f: n_global, the layout, keys and counts.
 */
enum lad_status lad_order_rows(struct lad_ctx *ctx, struct lad_rowset *rows, struct lad_features *f);

#endif
