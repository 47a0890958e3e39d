/*
 * verdict.c - per-block verdicts: their arrays, and verdicts.h5 written by all ranks in parallel (one
 * hyperslab each). The CSV files are verdict_csv.c's.
 */
#include "lad_verdict.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_detector.h"
#include "lad_events.h"
#include "lad_features.h"
#include "lad_h5.h"
#include "lad_mem.h"
#include "lad_schema.h"

enum lad_status lad_verdicts_alloc(struct lad_ctx *ctx, struct lad_verdicts *v, int64_t n_local, int64_t n_cases,
                                   int n_top, int n_events)
{
    const size_t cells = (size_t)(n_cases > 0 ? n_cases : 1) * (size_t)(n_top > 0 ? n_top : 1);
    v->n_local = n_local;
    v->n_cases = n_cases;
    v->n_top = n_top;
    v->score = lad_malloc_array((size_t)(n_local > 0 ? n_local : 1), sizeof *v->score);
    v->anomaly = lad_malloc_array((size_t)(n_local > 0 ? n_local : 1), sizeof *v->anomaly);
    v->top = lad_malloc_array(cells, sizeof *v->top);
    v->observed = lad_malloc_array(cells, sizeof *v->observed);
    v->expected = lad_malloc_array(cells, sizeof *v->expected);
    v->contribution = lad_malloc_array(cells, sizeof *v->contribution);
    v->columns = lad_malloc_array((size_t)(n_events > 0 ? n_events : 1), sizeof *v->columns);
    if (!v->score || !v->anomaly || !v->top || !v->observed || !v->expected || !v->contribution || !v->columns)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for %lld verdicts", (long long)n_local);
    return LAD_OK;
}

void lad_verdicts_free(struct lad_verdicts *v)
{
    if (v == NULL)
        return;
    lad_free(&v->score);
    lad_free(&v->anomaly);
    lad_free(&v->top);
    lad_free(&v->observed);
    lad_free(&v->expected);
    lad_free(&v->contribution);
    lad_free(&v->columns);
    v->n_local = 0;
}

int64_t lad_verdicts_count_anomalies(struct lad_ctx *ctx, const struct lad_verdicts *v)
{
    int64_t local = 0, global = 0;
    for (int64_t i = 0; i < v->n_local; i++)
        local += v->anomaly[i] != 0;
    MPI_Allreduce(&local, &global, 1, MPI_INT64_T, MPI_SUM, ctx->comm);
    return global;
}

/* The anomalous rows of v with what they name, packed: /<model>/anomalies/ holds these. */
struct packed {
    int64_t n, first;       /* rows here, global index of the first among all ranks' */
    int64_t *row;           /* n: global row (index into /sessions) */
    int32_t *top;           /* n x n_top */
    int64_t *observed;      /* n x n_top */
    double *expected, *contribution;
};

static void packed_free(struct packed *p)
{
    lad_free(&p->row);
    lad_free(&p->top);
    lad_free(&p->observed);
    lad_free(&p->expected);
    lad_free(&p->contribution);
}

/* Collective. Packs this rank's anomalous rows; their place among all ranks' from a prefix sum. */
static enum lad_status pack(struct lad_ctx *ctx, const struct lad_features *f, const struct lad_verdicts *v,
                            struct packed *p)
{
    memset(p, 0, sizeof *p);
    for (int64_t r = 0; r < v->n_local; r++)
        p->n += v->anomaly[r] != 0;
    const size_t cells = (size_t)(p->n ? p->n : 1) * (size_t)(v->n_top > 0 ? v->n_top : 1), k = (size_t)v->n_top;
    p->row = lad_malloc_array((size_t)(p->n ? p->n : 1), sizeof *p->row);
    p->top = lad_malloc_array(cells, sizeof *p->top);
    p->observed = lad_malloc_array(cells, sizeof *p->observed);
    p->expected = lad_malloc_array(cells, sizeof *p->expected);
    p->contribution = lad_malloc_array(cells, sizeof *p->contribution);
    bool ok = p->row && p->top && p->observed && p->expected && p->contribution;
    for (int64_t r = 0, i = 0; ok && r < v->n_local; r++) {
        if (!v->anomaly[r])
            continue;
        const size_t at = lad_verdicts_cell(v, r);
        p->row[i] = f->row_begin + r;
        memcpy(p->top + (size_t)i * k, v->top + at, k * sizeof *p->top);
        memcpy(p->observed + (size_t)i * k, v->observed + at, k * sizeof *p->observed);
        memcpy(p->expected + (size_t)i * k, v->expected + at, k * sizeof *p->expected);
        memcpy(p->contribution + (size_t)i * k, v->contribution + at, k * sizeof *p->contribution);
        i++;
    }
    enum lad_status st = lad_status_agree(ctx, ok ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    p->first = lad_comm_exscan_i64(ctx, p->n);
    return st;
}

/* A dataset of each rank's rows: `global` rows in all, this rank's n from global row `begin`. */
struct rows_set {
    enum lad_schema_key key;
    hid_t type;
    int64_t cols, global, begin, n;
    const void *data;
    bool named; /* one column per named event: absent with --top-events 0 */
};

/* Local. Where entry key of the VERDICT_MODEL part lies in the group /<model>. Returns buf. */
static const char *in_group(const char *group, enum lad_schema_key key, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", group, lad_schema[key].path);
    return buf;
}

/* /<model>/...: every block's verdict and named events, the anomalous blocks' explanations packed, and
 * the event table they index. results/README.md describes each dataset. */
static enum lad_status write_model(struct lad_ctx *ctx, struct lad_h5 *h, const struct lad_features *f,
                                   const struct lad_verdicts *v)
{
    char group[96], name[192];
    struct packed p;
    memset(&p, 0, sizeof p);
    const size_t k_cells = (size_t)(v->n_top > 0 ? v->n_top : 1);
    int8_t *flags = lad_malloc_array((size_t)(v->n_local > 0 ? v->n_local : 1), sizeof *flags);
    int32_t *top = lad_malloc_array((size_t)(v->n_local > 0 ? v->n_local : 1) * k_cells, sizeof *top);
    enum lad_status st = lad_status_agree(ctx, flags && top ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    if (st == LAD_OK)
        st = pack(ctx, f, v, &p);
    int64_t n_anomalous = p.n;
    MPI_Allreduce(MPI_IN_PLACE, &n_anomalous, 1, MPI_INT64_T, MPI_SUM, ctx->comm);
    for (int64_t i = 0; st == LAD_OK && i < v->n_local; i++) {
        flags[i] = (int8_t)v->anomaly[i];
        memcpy(top + (size_t)i * (size_t)v->n_top, v->top + lad_verdicts_cell(v, i), (size_t)v->n_top * sizeof *top);
    }
    snprintf(group, sizeof group, "/%s", v->detector->name);
    if (st == LAD_OK)
        st = lad_h5_group(ctx, h, group);
    if (st == LAD_OK)
        st = lad_h5_attr_f64(ctx, h, group, lad_schema[LAD_VERDICTS_H5_THRESHOLD].attr, v->threshold);
    if (st == LAD_OK)
        st = lad_h5_attr_i64(ctx, h, group, lad_schema[LAD_VERDICTS_H5_N_TOP].attr, v->n_top);
    if (st == LAD_OK)
        st = lad_h5_attr_str(ctx, h, group, lad_schema[LAD_VERDICTS_H5_SCORE_MEANING].attr,
                             v->detector->score_meaning);
    if (st == LAD_OK)
        st = lad_h5_attr_str(ctx, h, group, lad_schema[LAD_VERDICTS_H5_CONTRIBUTION_MEANING].attr,
                             v->detector->contribution_meaning);
    if (st == LAD_OK)
        st = lad_h5_group(ctx, h, in_group(group, LAD_VERDICTS_H5_ANOMALIES, name, sizeof name));
    const int64_t N = f->n_global, b = f->row_begin, n = f->n_local, k = v->n_top;
    const struct rows_set sets[] = {
        {LAD_VERDICTS_H5_SCORE, H5T_NATIVE_DOUBLE, 0, N, b, n, v->score, false},
        {LAD_VERDICTS_H5_ANOMALY, H5T_NATIVE_INT8, 0, N, b, n, flags, false},
        {LAD_VERDICTS_H5_TOP_EVENTS, H5T_NATIVE_INT32, k, N, b, n, top, true},
        {LAD_VERDICTS_H5_ANOMALY_ROWS, H5T_NATIVE_INT64, 0, n_anomalous, p.first, p.n, p.row, false},
        {LAD_VERDICTS_H5_ANOMALY_EVENTS, H5T_NATIVE_INT32, k, n_anomalous, p.first, p.n, p.top, true},
        {LAD_VERDICTS_H5_ANOMALY_OBSERVED, H5T_NATIVE_INT64, k, n_anomalous, p.first, p.n, p.observed, true},
        {LAD_VERDICTS_H5_ANOMALY_EXPECTED, H5T_NATIVE_DOUBLE, k, n_anomalous, p.first, p.n, p.expected, true},
        {LAD_VERDICTS_H5_ANOMALY_CONTRIBUTION, H5T_NATIVE_DOUBLE, k, n_anomalous, p.first, p.n, p.contribution, true},
    };
    for (size_t i = 0; i < sizeof sets / sizeof sets[0] && st == LAD_OK; i++) {
        if (sets[i].named && k == 0)
            continue;
        st = lad_h5_write_rows(ctx, h, in_group(group, sets[i].key, name, sizeof name), sets[i].type, sets[i].global,
                               sets[i].cols, sets[i].begin, sets[i].n, sets[i].data);
    }
    if (st == LAD_OK && v->events)
        st = lad_h5_write_strings(ctx, h, in_group(group, LAD_VERDICTS_H5_EVENT_IDS, name, sizeof name),
                                  v->events->n, (const char *const *)v->events->ids);
    if (st == LAD_OK && v->events)
        st = lad_h5_write_strings(ctx, h, in_group(group, LAD_VERDICTS_H5_EVENT_TEMPLATES, name, sizeof name),
                                  v->events->n, (const char *const *)v->events->templates);
    packed_free(&p);
    free(flags);
    free(top);
    return st;
}

/* What verdicts.h5 holds: the sessions and every model's verdicts. */
struct verdict_file {
    const struct lad_features *f;
    const struct lad_verdicts *v;
    int n;
};

static enum lad_status write_verdict_file(struct lad_ctx *ctx, struct lad_h5 *h, const void *arg)
{
    const struct verdict_file *vf = arg;
    const struct lad_features *f = vf->f;
    enum lad_status st = lad_schema_put_str(ctx, h, LAD_VERDICTS_H5_FORMAT, "logad-verdicts");
    if (st == LAD_OK)
        st = lad_schema_put_str(ctx, h, LAD_VERDICTS_H5_SESSION_KIND,
                                lad_session_kind_name(f->session_kind));
    if (st == LAD_OK)
        st = lad_h5_write_rows(ctx, h, lad_schema[LAD_VERDICTS_H5_SESSIONS].path, H5T_NATIVE_INT64, f->n_global, 0,
                               f->row_begin, f->n_local, f->keys);
    for (int m = 0; m < vf->n && st == LAD_OK; m++)
        st = write_model(ctx, h, f, &vf->v[m]);
    return st;
}

enum lad_status lad_verdict_write_h5(struct lad_ctx *ctx, const struct lad_features *f, const struct lad_verdicts *v,
                                     int n, const char *path)
{
    const struct verdict_file vf = {.f = f, .v = v, .n = n};
    return lad_h5_write_atomic(ctx, path, write_verdict_file, &vf);
}
