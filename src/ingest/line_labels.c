/*
 * line_labels.c - labels of time windows from the log's own lines (--line-labels), as loglizer labels
 * BGL windows: a window is anomalous when any line in it is an alert ('-' in the first field: normal).
 *
 * Each thread counts its alert lines per window while parsing (lad_window_note_label). Those counts
 * join the event counts as one extra column, so they travel with their windows through the shuffle
 * and the ordering with no exchange of their own, and land on the rank and row of their window; the
 * column is then taken out of the matrix again. Nothing here depends on the rank or thread count.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lad_ctx.h"
#include "lad_features.h"
#include "lad_ingest.h"
#include "lad_labels.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "lad_parser.h"
#include "ingest_internal.h"

enum lad_status lad__alert_tables(struct lad_ctx *ctx, struct lad_parse_local *locals, int n_locals,
                                  struct lad_features *f, struct lad_counts *tables, int32_t column[1])
{
    /* The extra column is one past the events, so the shuffle accepts it; it is never shown. */
    enum lad_status st = lad_events_add(ctx, &f->events, "ALERTS", "<alert lines>");
    column[0] = f->events.n - 1;
    for (int t = 0; t < n_locals; t++) { /* moved, as the event tables are */
        tables[t] = locals[t].alerts;
        memset(&locals[t].alerts, 0, sizeof locals[t].alerts);
    }
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
    /* Columns ascend within a row, so the alert count is a row's last entry if it has one; the
     * entries close up in place. */
    int64_t to = 0;
    for (int64_t r = 0; r < f->n_local; r++) {
        int64_t from = f->row_start[r], end = f->row_start[r + 1];
        f->row_start[r] = to;
        bool alert = end > from && f->cols[end - 1] == e;
        f->line_label[r] = alert ? LAD_LABEL_ANOMALY : LAD_LABEL_NORMAL;
        if (alert)
            end--;
        for (int64_t k = from; k < end; k++, to++) {
            f->cols[to] = f->cols[k];
            f->vals[to] = f->vals[k];
        }
    }
    f->row_start[f->n_local] = to;
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
