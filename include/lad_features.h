/*
 * lad_features.h - the event-count matrix (sessions x events), distributed by contiguous row blocks.
 *
 * Rows are sorted by session key (block id), so the matrix is the same whatever the rank count. Rank r
 * holds global rows [r * block_rows, min((r+1) * block_rows, n_global)): a ScaLAPACK block layout on a
 * size x 1 process grid with row block block_rows, which lad_distmat redistributes to 2-D
 * block-cyclic, and which parallel HDF5 writes as one hyperslab per rank. Ranks past the end hold no
 * rows and still take part in every collective.
 *
 * The counts are kept compressed by rows (CSR): a block names a handful of the events (HDFS: about 7
 * of 37), so a dense int64 row would be 80% zeros. Consumers read a row through lad_features_row
 * (its non-zero entries, columns ascending) or lad_features_row_dense (the whole row), never through
 * the arrays themselves.
 */
#ifndef LAD_FEATURES_H
#define LAD_FEATURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lad_events.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_assigner;

enum lad_session_kind {
    LAD_SESSION_BLOCK = 0, /* HDFS block ids */
    LAD_SESSION_WINDOW = 1 /* time-window numbers */
};

/* Local. The kind as the files store it ("session_kind": "hdfs_block" or "window"), and back: false
 * for a name that is neither. */
const char *lad_session_kind_name(enum lad_session_kind kind);
bool lad_session_kind_parse(const char *name, enum lad_session_kind *kind);

/* What ingest saw, summed over all ranks: reported, stored in features.h5, never silently dropped. */
struct lad_ingest_summary {
    int64_t files;
    int64_t bytes;
    int64_t lines;
    int64_t malformed_lines;     /* header did not fit the log format */
    int64_t first_malformed_line; /* 1-based global line number of the first such line, or 0 */
    int64_t no_session_lines;    /* lines naming no session key */
    int64_t unmatched_lines;     /* lines that matched no given template */
    int64_t oversize_lines;      /* lines longer than --max-line, skipped */
    int64_t blockid_overflow;    /* blk_ matches too long for a 64-bit id */
    int64_t empty_messages;      /* lines with an empty message */
    /* detect with a mined model's assigner (lad_assign.h): keys training never saw */
    int64_t similar_lines;       /* lines given a trained event by Drain similarity */
    int64_t skeleton_lines;      /* lines given a trained event by skeleton */
    int64_t unknown_lines;       /* lines counted in the UNKNOWN column */
    int64_t unknown_sessions;    /* sessions with at least one such line */
};

struct lad_features {
    int64_t n_global;     /* sessions over all ranks */
    int64_t block_rows;   /* rows per rank in the layout (>= 1) */
    int64_t row_begin;    /* global index of this rank's first row */
    int64_t n_local;      /* rows on this rank */
    int n_events;         /* columns == events.n */
    int64_t *keys;        /* n_local session keys, ascending */
    /* Row i's non-zero counts are vals[k] in column cols[k], k in [row_start[i], row_start[i + 1]),
     * columns ascending, every value > 0. Read them with lad_features_row. */
    int64_t *row_start;   /* n_local + 1 */
    int32_t *cols;
    int64_t *vals;
    int64_t nnz_cap;      /* room in cols and vals */
    struct lad_events events;
    enum lad_session_kind session_kind;
    char *window_spec;    /* the --window spec for LAD_SESSION_WINDOW, else NULL */
    char *event_source;   /* "templates:<file>" or "mined" */
    struct lad_ingest_summary summary;
    struct lad_assigner *assigner; /* how training assigned events (ingested logs; lad_assign.h), or NULL */
    int8_t *line_label;   /* --line-labels: n_local LAD_LABEL_* from the lines' <Label> field, or NULL */
    /* The distinct rows (lad_features_group_rows; NULL and 0 before): row i equals row
     * group_first[group_of[i]], and groups are numbered in the order their first rows come. */
    int64_t n_groups;
    int64_t *group_of;    /* n_local */
    int64_t *group_first; /* n_groups */
};

/* Local. Rows per rank for n_global rows over size ranks (at least 1). */
int64_t lad_features_block_rows(int64_t n_global, int size);

/* Local. The row range [*begin, *begin + *n) that rank holds in the layout. */
void lad_features_local_range(int64_t n_global, int64_t block_rows, int rank, int64_t *begin, int64_t *n);

/* Local. Allocates keys (zeroed) and the row offsets for the rank's rows, every row empty and no room
 * for counts yet (lad_features_reserve, lad_features_set_dense); sets the layout fields. */
enum lad_status lad_features_alloc(struct lad_ctx *ctx, struct lad_features *f, int64_t n_global, int n_events);

/* Local. Room for at least nnz non-zero counts in cols and vals (kept entries stay). */
enum lad_status lad_features_reserve(struct lad_ctx *ctx, struct lad_features *f, int64_t nnz);

/* The non-zero counts of one row: vals[q] in column cols[q] for q < n, columns ascending. */
struct lad_row {
    int n;
    const int32_t *cols;
    const int64_t *vals;
};

/* Local. Row i (0 <= i < n_local) of f. */
static inline struct lad_row lad_features_row(const struct lad_features *f, int64_t i)
{
    int64_t b = f->row_start[i];
    return (struct lad_row){(int)(f->row_start[i + 1] - b), f->cols + b, f->vals + b};
}

/* Local. x[0, n_events) = row i of f, zeros included. */
void lad_features_row_dense(const struct lad_features *f, int64_t i, int64_t *x);

/*
 * Local. Replaces the counts of f (allocated with lad_features_alloc) by the dense row-major
 * n_local x n_events block `dense` (negative entries are kept as they are: a reader checks them).
 */
enum lad_status lad_features_set_dense(struct lad_ctx *ctx, struct lad_features *f, const int64_t *dense);

/* Local. *dense = the counts of f as a malloc'd row-major n_local x n_events block (for HDF5). */
enum lad_status lad_features_get_dense(struct lad_ctx *ctx, const struct lad_features *f, int64_t **dense);

/*
 * Local. Groups the rows of f that are equal (same columns, same counts): training and scoring do
 * their per-row arithmetic once per group. Call it again after the counts change.
 */
enum lad_status lad_features_group_rows(struct lad_ctx *ctx, struct lad_features *f);

/* Local. mult[g] = the rows of group g selected by use (every row when use is NULL). */
void lad_features_group_counts(const struct lad_features *f, const uint8_t *use, int64_t *mult);

/* Local. Frees; safe on a zeroed struct. */
void lad_features_free(struct lad_features *f);

/* Local. Formats session key `key` as it appears in outputs: "blk_<id>" or "win_<n>". */
int lad_features_format_key(enum lad_session_kind kind, int64_t key, char *buf, size_t cap);

#endif
