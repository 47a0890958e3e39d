/*
 * verdict_csv.c - anomalies.csv and anomalies_explained.csv, written by every rank at once.
 *
 * Each rank formats its own rows: OpenMP threads take contiguous row ranges, each into a buffer of its
 * own, so the pieces in thread order are the rows in block order. The ordered collective writer then
 * reserves a region per rank right after the lower ranks' (rows are distributed in block order, so
 * rank order is block order) and every rank writes its pieces there with independent MPI-IO calls.
 * Nothing is gathered to rank 0, and the bytes cannot depend on the rank or thread count: each row's
 * text depends on that row alone, and numbers go through lad_numfmt, which writes what printf would.
 *
 * A rank's share is held in memory while it is written: about 50 bytes per block for anomalies.csv,
 * far less than the block's counts.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lad_comm.h"
#include "lad_csv.h"
#include "lad_ctx.h"
#include "lad_detector.h"
#include "lad_events.h"
#include "lad_features.h"
#include "lad_mem.h"
#include "lad_numfmt.h"
#include "lad_outfile.h"
#include "lad_verdict.h"

#define HEADER_ANOMALIES "BlockId,Label,Score,TopEvents\n"
#define HEADER_EXPLAINED "BlockId,Model,Rank,EventId,Observed,Expected,Contribution,Template\n"
/* Below this many rows a rank formats alone: starting threads would cost more than it saves. */
#define ROWS_PER_THREAD_MIN 4096

/* What formatting a model's rows needs to know about its events, worked out once. */
struct event_text {
    size_t *id_len, *tpl_len;
    bool *id_quote; /* the id holds a comma, quote or line end */
    size_t max_id, max_tpl;
};

/* anomalies.csv: the text after a row's block id, the same for every row of a case (lad_verdict.h). */
struct case_text {
    struct lad_buf text;
    size_t *at; /* n_cases + 1: case c's text is text.data[at[c], at[c + 1]) */
};

struct format_arg {
    const struct lad_features *f;
    const struct lad_verdicts *v; /* n models */
    int n;
    struct event_text *text;      /* n */
    const struct case_text *cases; /* anomalies.csv of v[0] */
};

/* One row's text into out (capacity reserved by the caller); false when out of memory. */
typedef bool (*row_fn)(struct lad_buf *out, int64_t r, const struct format_arg *a);

/* A rank's share of a file: rank 0's header, then one piece per thread in row order. */
struct share {
    int n;
    struct lad_buf *piece;
};

static void text_free(struct event_text *t)
{
    lad_free(&t->id_len);
    lad_free(&t->tpl_len);
    lad_free(&t->id_quote);
}

static bool text_init(struct event_text *t, const struct lad_events *ev)
{
    memset(t, 0, sizeof *t);
    int n = ev ? ev->n : 0;
    t->id_len = lad_calloc_array((size_t)(n ? n : 1), sizeof *t->id_len);
    t->tpl_len = lad_calloc_array((size_t)(n ? n : 1), sizeof *t->tpl_len);
    t->id_quote = lad_calloc_array((size_t)(n ? n : 1), sizeof *t->id_quote);
    if (!t->id_len || !t->tpl_len || !t->id_quote)
        return false;
    for (int j = 0; j < n; j++) {
        t->id_len[j] = strlen(ev->ids[j]);
        t->tpl_len[j] = strlen(ev->templates[j]);
        t->id_quote[j] = lad_csv_needs_quotes(ev->ids[j], t->id_len[j]);
        t->max_id = t->id_len[j] > t->max_id ? t->id_len[j] : t->max_id;
        t->max_tpl = t->tpl_len[j] > t->max_tpl ? t->tpl_len[j] : t->max_tpl;
    }
    return true;
}

static inline void put(struct lad_buf *b, const char *s, size_t n)
{
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static inline void put_c(struct lad_buf *b, char c)
{
    b->data[b->len++] = c;
}

/* s[0, n) with every quote doubled (the inside of an RFC 4180 quoted field). */
static void put_escaped(struct lad_buf *b, const char *s, size_t n)
{
    for (const char *end = s + n; s < end;) {
        const char *q = memchr(s, '"', (size_t)(end - s));
        size_t run = q ? (size_t)(q - s) + 1 : (size_t)(end - s);
        put(b, s, run);
        if (q)
            put_c(b, '"');
        s += run;
    }
}

static void put_key(struct lad_buf *b, const struct lad_features *f, int64_t key)
{
    put(b, f->session_kind == LAD_SESSION_BLOCK ? "blk_" : "win_", 4);
    b->len += (size_t)lad_numfmt_i64(key, b->data + b->len);
}

static void put_g12(struct lad_buf *b, double x)
{
    b->len += (size_t)lad_numfmt_g12(x, b->data + b->len);
}

/* Bytes the text after a block id in anomalies.csv can take at most: label, score, the ids all
 * quoted, separators. */
static size_t case_text_max(const struct lad_verdicts *v, const struct event_text *t)
{
    return 8 + LAD_NUMFMT_MAX + 4 + (size_t)v->n_top * (2 * t->max_id + 1) + 2;
}

/* What follows the block id of row r: ",Label,Score,TopEvents\n". Room reserved by the caller. */
static void put_case_text(struct lad_buf *out, const struct lad_verdicts *v, const struct event_text *t, int64_t r)
{
    if (v->anomaly[r])
        put(out, ",Anomaly,", 9);
    else
        put(out, ",Normal,", 8);
    put_g12(out, v->score[r]);
    put_c(out, ',');
    const int32_t *top = v->top + lad_verdicts_cell(v, r);
    bool quote = false;
    for (int k = 0; v->anomaly[r] && k < v->n_top; k++)
        quote |= top[k] >= 0 && t->id_quote[top[k]];
    if (quote)
        put_c(out, '"');
    for (int k = 0, first = 1; v->anomaly[r] && k < v->n_top; k++) {
        int j = top[k];
        if (j < 0 || j >= v->events->n)
            continue;
        if (!first)
            put_c(out, ' ');
        if (quote)
            put_escaped(out, v->events->ids[j], t->id_len[j]);
        else
            put(out, v->events->ids[j], t->id_len[j]);
        first = 0;
    }
    if (quote)
        put_c(out, '"');
    put_c(out, '\n');
}

static void case_text_free(struct case_text *c)
{
    lad_buf_free(&c->text);
    lad_free(&c->at);
}

/*
 * Every case's text, formatted from its first row (rows of a case have the same score, label and
 * named events): the rows then only add their block ids. False when out of memory.
 */
static bool case_text_init(struct case_text *c, const struct lad_verdicts *v, const struct event_text *t)
{
    memset(c, 0, sizeof *c);
    const int64_t n = v->n_cases;
    c->at = lad_malloc_array((size_t)n + 1, sizeof *c->at);
    bool ok = c->at != NULL;
    for (int64_t k = 0; ok && k < n; k++) {
        c->at[k] = c->text.len;
        if ((ok = lad_buf_reserve(&c->text, case_text_max(v, t))))
            put_case_text(&c->text, v, t, v->case_first[k]);
    }
    if (ok)
        c->at[n] = c->text.len;
    if (!ok)
        case_text_free(c);
    return ok;
}

static bool anomaly_row(struct lad_buf *out, int64_t r, const struct format_arg *a)
{
    const int64_t k = a->v->case_of[r];
    const size_t len = a->cases->at[k + 1] - a->cases->at[k];
    if (!lad_buf_reserve(out, 4 + LAD_NUMFMT_MAX + len))
        return false;
    put_key(out, a->f, a->f->keys[r]);
    put(out, a->cases->text.data + a->cases->at[k], len);
    return true;
}

/* PCA's expected count to three decimals ("2.013", "0"), as printf("%.12g") writes the rounded value. */
static void put_expected(struct lad_buf *b, double x)
{
    if (isnan(x))
        return; /* logreg: no expectation, an empty field */
    double r = fabs(x) < 1e9 ? round(x * 1000.0) / 1000.0 : x;
    put_g12(b, r == 0.0 ? 0.0 : r); /* no "-0" */
}

static bool explained_rows(struct lad_buf *out, int64_t r, const struct format_arg *a)
{
    for (int m = 0; m < a->n; m++) {
        const struct lad_verdicts *v = &a->v[m];
        const struct event_text *t = &a->text[m];
        if (!v->anomaly[r])
            continue;
        const size_t at = lad_verdicts_cell(v, r);
        for (int k = 0; k < v->n_top; k++) {
            int j = v->top[at + k];
            if (j < 0 || j >= v->events->n)
                continue;
            size_t most = 4 + LAD_NUMFMT_MAX + strlen(v->detector->name) + 12 + 2 * t->id_len[j] + 2 +
                          3 * LAD_NUMFMT_MAX + 2 * t->tpl_len[j] + 12;
            if (!lad_buf_reserve(out, most))
                return false;
            put_key(out, a->f, a->f->keys[r]);
            put_c(out, ',');
            put(out, v->detector->name, strlen(v->detector->name));
            put_c(out, ',');
            out->len += (size_t)lad_numfmt_i64(k + 1, out->data + out->len);
            put_c(out, ',');
            if (t->id_quote[j]) {
                put_c(out, '"');
                put_escaped(out, v->events->ids[j], t->id_len[j]);
                put_c(out, '"');
            } else
                put(out, v->events->ids[j], t->id_len[j]);
            put_c(out, ',');
            out->len += (size_t)lad_numfmt_i64(v->observed[at + k], out->data + out->len);
            put_c(out, ',');
            put_expected(out, v->expected[at + k]);
            put_c(out, ',');
            put_g12(out, v->contribution[at + k]);
            put(out, ",\"", 2);
            put_escaped(out, v->events->templates[j], t->tpl_len[j]);
            put(out, "\"\n", 2);
        }
    }
    return true;
}

static void share_free(struct share *sh)
{
    for (int i = 0; sh->piece && i < sh->n; i++)
        lad_buf_free(&sh->piece[i]);
    lad_free(&sh->piece);
    sh->n = 0;
}

/* Collective. Formats this rank's rows with fn, after the header on rank 0. Agreed status. */
static enum lad_status format_share(struct lad_ctx *ctx, const char *header, row_fn fn, const struct format_arg *a,
                                    struct share *sh)
{
    const int64_t rows = a->f->n_local;
    int nt = ctx->nthreads > 0 ? ctx->nthreads : 1;
    if (rows < (int64_t)nt * ROWS_PER_THREAD_MIN)
        nt = (int)(rows / ROWS_PER_THREAD_MIN) + 1;
    sh->n = nt + 1;
    sh->piece = lad_calloc_array((size_t)sh->n, sizeof *sh->piece);
    bool *ok = lad_calloc_array((size_t)nt, sizeof *ok);
    enum lad_status st = sh->piece && ok ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory formatting verdicts");
    if (st == LAD_OK && ctx->rank == 0 && !lad_buf_append(&sh->piece[0], header, strlen(header)))
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory formatting verdicts");
    if (st == LAD_OK) {
#pragma omp parallel for num_threads(nt) schedule(static, 1)
        for (int t = 0; t < nt; t++) {
            bool good = true;
            for (int64_t r = rows * t / nt; good && r < rows * (t + 1) / nt; r++)
                good = fn(&sh->piece[t + 1], r, a);
            ok[t] = good;
        }
        for (int t = 0; t < nt && st == LAD_OK; t++)
            if (!ok[t])
                st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory formatting verdicts");
    }
    free(ok);
    if (st != LAD_OK)
        share_free(sh);
    return lad_status_agree(ctx, st);
}

/* Collective. The share into tmp (named `name` in messages), in this rank's region. Agreed status. */
static enum lad_status write_share(struct lad_ctx *ctx, const char *tmp, const char *name, const struct share *sh)
{
    struct lad_comm_file cf;
    enum lad_status st = lad_comm_file_open(ctx, &cf, tmp, name);
    if (st != LAD_OK)
        return st;
    int64_t total = 0;
    for (int i = 0; i < sh->n; i++)
        total += (int64_t)sh->piece[i].len;
    MPI_Offset at = 0;
    st = lad_comm_file_reserve(ctx, &cf, total, LAD_OK, &at);
    for (int i = 0; i < sh->n && st == LAD_OK; i++) {
        st = lad_comm_file_write_at(ctx, &cf, at, sh->piece[i].data, sh->piece[i].len);
        at += (MPI_Offset)sh->piece[i].len;
    }
    return lad_comm_file_close(ctx, &cf, st);
}

/*
 * Collective. also_path's temporary as a second name of tmp's file (rank 0 links, and says whether it
 * could), else written again from the same share. LAD_TEST_NO_LINK makes the tests take the second way.
 */
static enum lad_status write_copy(struct lad_ctx *ctx, const char *tmp, const char *also_path, const struct share *sh)
{
    char tmp2[PATH_MAX];
    enum lad_status st = lad_outfile_collective_begin(ctx, also_path, tmp2);
    if (st != LAD_OK)
        return st;
    int linked = 0;
    if (ctx->rank == 0)
        linked = getenv("LAD_TEST_NO_LINK") == NULL && link(tmp, tmp2) == 0;
    MPI_Bcast(&linked, 1, MPI_INT, 0, ctx->comm);
    if (!linked)
        st = write_share(ctx, tmp2, also_path, sh);
    return lad_outfile_collective_end(ctx, also_path, tmp2, st);
}

/* Collective. Formats once and writes path (and also_path) as one atomic output each. */
static enum lad_status write_csv(struct lad_ctx *ctx, const char *header, row_fn fn, const struct format_arg *a,
                                 const char *path, const char *also_path)
{
    struct share sh = {0, NULL};
    char tmp[PATH_MAX];
    enum lad_status st = format_share(ctx, header, fn, a, &sh);
    if (st != LAD_OK)
        return st;
    st = lad_outfile_collective_begin(ctx, path, tmp);
    if (st == LAD_OK) {
        st = write_share(ctx, tmp, path, &sh);
        if (st == LAD_OK && also_path)
            st = write_copy(ctx, tmp, also_path, &sh);
        st = lad_outfile_collective_end(ctx, path, tmp, st);
    }
    share_free(&sh);
    return st;
}

enum lad_status lad_verdict_write_csv(struct lad_ctx *ctx, const struct lad_features *f, const struct lad_verdicts *v,
                                      const char *path, const char *also_path)
{
    struct event_text text;
    struct case_text cases;
    memset(&cases, 0, sizeof cases);
    bool ok = text_init(&text, v->events) && case_text_init(&cases, v, &text);
    enum lad_status st = lad_status_agree(ctx, ok ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    const struct format_arg a = {f, v, 1, &text, &cases};
    if (st == LAD_OK)
        st = write_csv(ctx, HEADER_ANOMALIES, anomaly_row, &a, path, also_path);
    case_text_free(&cases);
    text_free(&text);
    return st;
}

enum lad_status lad_verdict_write_explained(struct lad_ctx *ctx, const struct lad_features *f,
                                            const struct lad_verdicts *v, int n, const char *path)
{
    struct event_text *text = lad_calloc_array((size_t)(n > 0 ? n : 1), sizeof *text);
    bool ok = text != NULL;
    for (int m = 0; ok && m < n; m++)
        ok = text_init(&text[m], v[m].events);
    enum lad_status st = lad_status_agree(ctx, ok ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    const struct format_arg a = {f, v, n, text, NULL};
    if (st == LAD_OK)
        st = write_csv(ctx, HEADER_EXPLAINED, explained_rows, &a, path, NULL);
    for (int m = 0; text && m < n; m++)
        text_free(&text[m]);
    free(text);
    return st;
}
