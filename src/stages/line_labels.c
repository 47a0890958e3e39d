/*
 * line_labels.c - labels of time windows from the log's own lines (--line-labels), as loglizer labels
 * BGL windows: a window is anomalous when any line in it is an alert ('-' in the first field: normal).
 *
 * Each thread counts its alert lines per window while parsing (lad_window_note_label). Those counts
 * join the event counts as one extra column, so they travel with their windows through the shuffle
 * and the ordering with no exchange of their own, and land on the rank and row of their window; the
 * column is then taken out of the matrix again. Nothing here depends on the rank or thread count.
 */
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_ingest.h"
#include "lad_labels.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "lad_parser.h"
#include "stages_internal.h"

enum lad_status lad__alert_triplets(struct lad_ctx *ctx, struct lad_parse_local *locals, int n_locals,
                                    struct lad_features *f, struct lad_triplet **trip, size_t *n)
{
    /* The extra column is one past the events, so lad_order_rows accepts it; it is never shown. */
    enum lad_status st = lad_events_add(ctx, &f->events, "ALERTS", "<alert lines>");
    const int32_t column[1] = {f->events.n - 1};
    size_t cap = *n;
    for (int t = 0; st == LAD_OK && t < n_locals; t++)
        if (!lad_counts_to_triplets(&locals[t].alerts, column, trip, n, &cap))
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory collecting line labels");
    for (int t = 0; t < n_locals; t++)
        lad_counts_free(&locals[t].alerts);
    return lad_status_agree(ctx, st);
}

enum lad_status lad__take_alert_column(struct lad_ctx *ctx, struct lad_features *f)
{
    const int e = f->n_events - 1; /* the events without the alert column */
    f->line_label = lad_malloc_array((size_t)(f->n_local > 0 ? f->n_local : 1), sizeof *f->line_label);
    enum lad_status st = f->line_label ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for line labels");
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        return st;
    /* Rows shrink by one column in place: row r moves from r * (e + 1) down to r * e. */
    for (int64_t r = 0; r < f->n_local; r++) {
        int64_t *row = f->counts + r * (e + 1);
        f->line_label[r] = row[e] > 0 ? LAD_LABEL_ANOMALY : LAD_LABEL_NORMAL;
        memmove(f->counts + r * e, row, (size_t)e * sizeof *row);
    }
    f->n_events = e;
    f->events.n--;
    free(f->events.ids[e]);
    free(f->events.templates[e]);
    return LAD_OK;
}

enum lad_status lad_ingest_line_labels(struct lad_ctx *ctx, struct lad_features *f, int8_t **label,
                                       struct lad_label_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    *label = f->line_label;
    f->line_label = NULL;
    if (*label == NULL)
        return lad_fail(ctx, LAD_ERR_INTERNAL, "no line labels were collected");
    int64_t local[2] = {0, 0}, global[2];
    for (int64_t r = 0; r < f->n_local; r++)
        local[(*label)[r] == LAD_LABEL_ANOMALY]++;
    MPI_Allreduce(local, global, 2, MPI_INT64_T, MPI_SUM, ctx->comm);
    stats->rows = f->n_global;
    stats->normals = global[0];
    stats->anomalies = global[1];
    lad_log(ctx, LAD_LOG_INFO, "line labels: %lld of %lld windows hold an alert line (<Label> not '-')",
            (long long)stats->anomalies, (long long)f->n_global);
    return LAD_OK;
}
