/*
 * lad_drain.h - a Drain parse tree (He et al., ICWS'17): fixed-depth prefix tree by token count and
 * leading tokens, similarity threshold, and wildcard merge of templates.
 *
 * It clusters token sequences (mining keys, see lad_mask.h) in the order they are added; the same
 * sequence of additions always gives the same clusters. The semantics are those of logparser's Drain.py
 * (see drain.c), except that sequences shorter than depth-2 tokens are attached to a leaf too (Drain.py
 * never finds them again, making each such line a cluster of its own).
 */
#ifndef LAD_DRAIN_H
#define LAD_DRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;
struct lad_drain;

struct lad_drain_params {
    int depth;          /* tree depth including root and length layers (Drain's depth, >= 3) */
    double similarity;  /* st: minimum fraction of equal tokens to join a cluster */
    int max_children;   /* children per inner node before tokens fall into <*> */
};

/* Local. */
enum lad_status lad_drain_create(struct lad_ctx *ctx, const struct lad_drain_params *p, struct lad_drain **out);
void lad_drain_free(struct lad_drain **d);

/*
 * Local. Adds a key (tokens separated by single spaces) and returns the id of its cluster (0, 1, ...
 * in order of creation), or -1 on allocation failure.
 */
int32_t lad_drain_add(struct lad_drain *d, const char *key, size_t len);

/* Local. Number of clusters, and the current template of a cluster (tokens joined by spaces). */
int32_t lad_drain_n_clusters(const struct lad_drain *d);
const char *lad_drain_template(const struct lad_drain *d, int32_t cluster);

#endif
