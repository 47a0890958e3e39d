/*
 * labels.c - the labels file of a synthetic log, in loghub's anomaly_label.csv format
 * (`BlockId,Label`, Label Normal or Anomaly), one row per block in block-index order.
 */
#include <stdlib.h>
#include <string.h>

#include "lad_blockid.h"
#include "lad_ctx.h"
#include "lad_mem.h"
#include "synth_internal.h"

#define HEADER "BlockId,Label\n"
#define ROW_MAX 48 /* "blk_-9223372036854775808,Anomaly\n" is 34 bytes */

/* Rows of blocks [a, z). Each row is found by lad_synth_block_at alone, so threads share nothing. The
 * id is written by lad_blockid_format, the form the parser reads back. */
static bool rows(const struct lad_synth_plan *p, int64_t a, int64_t z, struct lad_buf *out)
{
    if (!lad_buf_reserve(out, (size_t)(z - a) * ROW_MAX))
        return false;
    for (int64_t b = a; b < z; b++) {
        struct lad_synth_block blk;
        lad_synth_block_at(p, b, &blk);
        char *row = out->data + out->len;
        int n = lad_blockid_format(blk.id, row, ROW_MAX);
        const char *label = blk.anomaly ? ",Anomaly\n" : ",Normal\n";
        size_t m = strlen(label);
        memcpy(row + n, label, m);
        out->len += (size_t)n + m;
    }
    return true;
}

enum lad_status lad__synth_fill_labels(struct lad_ctx *ctx, void *job, int64_t chunk, struct lad_buf *out,
                                       int64_t *items)
{
    const struct lad_synth_plan *p = ((const struct lad__synth_labels_job *)job)->plan;
    int64_t a = chunk * LAD__SYNTH_LABEL_CHUNK;
    int64_t z = a + LAD__SYNTH_LABEL_CHUNK < p->n_blocks ? a + LAD__SYNTH_LABEL_CHUNK : p->n_blocks;
    *items = z > a ? z - a : 0;
    if (chunk == 0 && !lad_buf_append(out, HEADER, sizeof HEADER - 1))
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for labels");
    if (z <= a)
        return LAD_OK;
    /* Threads take equal runs of blocks into their own buffers, appended in thread order. */
    int nt = ctx->nthreads > 1 && z - a >= 65536 ? ctx->nthreads : 1;
    struct lad_buf *part = lad_calloc_array((size_t)nt, sizeof *part);
    bool nomem = part == NULL;
    if (!nomem) {
#pragma omp parallel for num_threads(nt) schedule(static, 1) reduction(|| : nomem)
        for (int i = 0; i < nt; i++)
            nomem = !rows(p, a + (z - a) * i / nt, a + (z - a) * (i + 1) / nt, &part[i]);
        for (int i = 0; i < nt && !nomem; i++)
            nomem = !lad_buf_append(out, part[i].data, part[i].len);
        for (int i = 0; i < nt; i++)
            lad_buf_free(&part[i]);
        free(part);
    }
    return nomem ? lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for labels") : LAD_OK;
}
