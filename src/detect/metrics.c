/* metrics.c - confusion counts reduced over ranks, and their report. */
#include "lad_metrics.h"

#include <stdio.h>

#include "lad_ctx.h"
#include "lad_detector.h"
#include "lad_labels.h"
#include "lad_log.h"
#include "lad_outfile.h"
#include "lad_summary.h"
#include "lad_verdict.h"

void lad_metrics_finish(struct lad_metrics *m)
{
    m->precision = m->tp + m->fp ? (double)m->tp / (double)(m->tp + m->fp) : 0.0;
    m->recall = m->tp + m->fn ? (double)m->tp / (double)(m->tp + m->fn) : 0.0;
    m->f1 = m->precision + m->recall > 0 ? 2 * m->precision * m->recall / (m->precision + m->recall) : 0.0;
}

enum lad_status lad_metrics_compute(struct lad_ctx *ctx, const struct lad_verdicts *v, const int8_t *label,
                                    struct lad_metrics *m)
{
    int64_t local[5] = {0, 0, 0, 0, 0}, global[5];
    for (int64_t i = 0; i < v->n_local; i++) {
        if (label[i] == LAD_LABEL_UNKNOWN) {
            local[4]++;
            continue;
        }
        bool truth = label[i] == LAD_LABEL_ANOMALY, said = v->anomaly[i] != 0;
        local[truth ? (said ? 0 : 2) : (said ? 1 : 3)]++;
    }
    if (MPI_Allreduce(local, global, 5, MPI_INT64_T, MPI_SUM, ctx->comm) != MPI_SUCCESS)
        return lad_fail(ctx, LAD_ERR_MPI, "reduction of metrics failed");
    m->model_name = v->detector->name;
    m->tp = global[0];
    m->fp = global[1];
    m->fn = global[2];
    m->tn = global[3];
    m->unlabelled = global[4];
    lad_metrics_finish(m);
    return LAD_OK;
}

void lad_metrics_print(const struct lad_ctx *ctx, const struct lad_metrics *m, int n)
{
    lad_log(ctx, LAD_LOG_INFO, "%-8s %9s %9s %9s %11s %9s %9s %9s", "model", "tp", "fp", "fn", "tn", "precision",
            "recall", "f1");
    for (int i = 0; i < n; i++)
        lad_log(ctx, LAD_LOG_INFO, "%-8s %9lld %9lld %9lld %11lld %9.4f %9.4f %9.4f", m[i].model_name,
                (long long)m[i].tp, (long long)m[i].fp, (long long)m[i].fn, (long long)m[i].tn, m[i].precision,
                m[i].recall, m[i].f1);
}

enum lad_status lad_metrics_write_json(struct lad_ctx *ctx, const struct lad_metrics *m, int n,
                                       const struct lad_label_stats *labels, const char *labels_path,
                                       const char *path)
{
    enum lad_status st = LAD_OK;
    if (ctx->rank == 0) {
        struct lad_outfile out;
        st = lad_outfile_open(ctx, &out, path);
        if (st == LAD_OK) {
            FILE *f = out.fp;
            fprintf(f, "{\n  \"labels\": {\n    \"file\": ");
            lad_json_string(f, labels_path);
            fprintf(f,
                    ",\n    \"rows\": %lld,\n    \"matched_anomalies\": %lld,\n    \"matched_normals\": %lld,\n"
                    "    \"unseen_blocks\": %lld,\n    \"unlabelled_blocks\": %lld,\n    \"duplicate_rows\": %lld\n  },\n"
                    "  \"models\": {",
                    (long long)labels->rows, (long long)labels->anomalies, (long long)labels->normals,
                    (long long)labels->unseen, (long long)labels->unlabelled, (long long)labels->duplicates);
            for (int i = 0; i < n; i++)
                fprintf(f,
                        "%s\n    \"%s\": {\"tp\": %lld, \"fp\": %lld, \"fn\": %lld, \"tn\": %lld, "
                        "\"precision\": %.6f, \"recall\": %.6f, \"f1\": %.6f}",
                        i ? "," : "", m[i].model_name, (long long)m[i].tp, (long long)m[i].fp, (long long)m[i].fn,
                        (long long)m[i].tn, m[i].precision, m[i].recall, m[i].f1);
            fprintf(f, "\n  }\n}\n");
            st = lad_outfile_commit(ctx, &out);
        }
        if (st != LAD_OK)
            lad_outfile_abort(&out);
    }
    return lad_status_agree(ctx, st);
}
