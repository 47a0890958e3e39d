/*
 * parse_eval.c - the parse-eval stage: grouping accuracy (GA) and parsing accuracy (PA) of a
 * structured CSV (logad --structured-out, or any loghub-style parser output) against a ground-truth
 * structured CSV (lad_ga.h defines both). PA needs an EventTemplate column in both files; without one
 * it is reported as not available.
 *
 * Rank 0 reads both files (they are small: one row per line of a benchmark sample), joins them on
 * LineId and prints the GA; other ranks only agree on the outcome. Nothing is written.
 */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lad_csv.h"
#include "lad_ctx.h"
#include "lad_escape.h"
#include "lad_ga.h"
#include "lad_mem.h"
#include "lad_options.h"
#include "lad_stages.h"
#include "lad_summary.h"

#define MAX_FIELDS 64

/* LineId, EventId and (when the file has the column) EventTemplate of every row of one CSV. */
struct rows {
    int64_t *line_id;
    char **event;
    char **template; /* NULL when the file has no EventTemplate column */
    bool has_template;
    int64_t n;
    size_t cap;
};

static void rows_free(struct rows *r)
{
    for (int64_t i = 0; i < r->n; i++) {
        free(r->event[i]);
        if (r->template)
            free(r->template[i]);
    }
    lad_free(&r->line_id);
    lad_free(&r->event);
    lad_free(&r->template);
    r->n = 0;
}

static int column(char **fields, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(fields[i], name) == 0)
            return i;
    return -1;
}

static bool parse_id(const char *s, int64_t *v)
{
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (errno || end == s || *end != '\0')
        return false;
    *v = (int64_t)x;
    return true;
}

static enum lad_status read_rows(struct lad_ctx *ctx, const char *path, struct rows *r)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return lad_fail(ctx, LAD_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    char *line = NULL, *fields[MAX_FIELDS];
    size_t cap = 0;
    ssize_t got;
    int64_t lineno = 0;
    int c_id = -1, c_ev = -1, c_tpl = -1;
    enum lad_status st = LAD_OK;
    while (st == LAD_OK && (got = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        if (lineno > 1 && (got == 1 || (got == 2 && line[0] == '\r')))
            continue; /* a blank line */
        int nf = lad_csv_split(line, (size_t)got, fields, MAX_FIELDS);
        if (nf < 0) {
            st = lad_fail(ctx, LAD_ERR_INPUT, "%s:%" PRId64 ": malformed CSV row", path, lineno);
            break;
        }
        if (lineno == 1) {
            if (nf > 0 && strncmp(fields[0], "\xef\xbb\xbf", 3) == 0) /* a UTF-8 byte order mark */
                fields[0] += 3;
            c_id = column(fields, nf, "LineId");
            c_ev = column(fields, nf, "EventId");
            c_tpl = column(fields, nf, "EventTemplate");
            r->has_template = c_tpl >= 0;
            if (c_id < 0 || c_ev < 0)
                st = lad_fail(ctx, LAD_ERR_INPUT, "%s: the header has no %s column", path,
                              c_id < 0 ? "LineId" : "EventId");
            continue;
        }
        if (nf <= c_id || nf <= c_ev) {
            st = lad_fail(ctx, LAD_ERR_INPUT, "%s:%" PRId64 ": row has %d fields, too few for LineId and EventId", path,
                          lineno, nf);
            break;
        }
        void *a = r->line_id, *b = r->event, *c = r->template;
        size_t ca = r->cap;
        bool ok = lad_grow(&a, &ca, (size_t)r->n + 1, sizeof *r->line_id);
        r->line_id = a;
        size_t cb = r->cap;
        ok = ok && lad_grow(&b, &cb, (size_t)r->n + 1, sizeof *r->event);
        r->event = b;
        size_t cc = r->cap;
        ok = ok && lad_grow(&c, &cc, (size_t)r->n + 1, sizeof *r->template);
        r->template = c;
        if (!ok) {
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", path);
            break;
        }
        r->cap = ca < cb ? (ca < cc ? ca : cc) : (cb < cc ? cb : cc);
        /* a row too short for the template column has no template (it never matches) */
        r->template[r->n] = NULL;
        if (c_tpl >= 0 && c_tpl < nf && (r->template[r->n] = lad_strdup(fields[c_tpl])) == NULL) {
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", path);
            break;
        }
        if (!parse_id(fields[c_id], &r->line_id[r->n])) {
            free(r->template[r->n]);
            char shown[64];
            st = lad_fail(ctx, LAD_ERR_INPUT, "%s:%" PRId64 ": LineId '%s' is not an integer", path, lineno,
                          lad_escape_str(shown, sizeof shown, fields[c_id]));
            break;
        }
        if ((r->event[r->n] = lad_strdup(fields[c_ev])) == NULL) {
            free(r->template[r->n]);
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", path);
        } else {
            r->n++;
        }
    }
    if (st == LAD_OK && ferror(fp))
        st = lad_fail(ctx, LAD_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    if (st == LAD_OK && lineno == 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s is empty: expected a header with LineId and EventId", path);
    free(line);
    fclose(fp);
    return st;
}

struct id_index {
    int64_t id;
    int64_t row;
};

static int by_id(const void *a, const void *b)
{
    const struct id_index *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Pairs every truth row with the parsed row of the same LineId; *pairs[i] is the parsed row of truth row i. */
static enum lad_status join(struct lad_ctx *ctx, const struct lad_options *o, const struct rows *t,
                            const struct rows *p, int64_t *pairs)
{
    if (t->n != p->n)
        return lad_fail(ctx, LAD_ERR_INPUT, "LineId mismatch: %s has %" PRId64 " rows but %s has %" PRId64,
                        o->truth_path, t->n, o->parsed_path, p->n);
    struct id_index *ix = lad_malloc_array((size_t)p->n, sizeof *ix);
    if (ix == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory joining on LineId");
    for (int64_t i = 0; i < p->n; i++)
        ix[i] = (struct id_index){p->line_id[i], i};
    qsort(ix, (size_t)p->n, sizeof *ix, by_id);
    enum lad_status st = LAD_OK;
    for (int64_t i = 1; i < p->n && st == LAD_OK; i++)
        if (ix[i].id == ix[i - 1].id)
            st = lad_fail(ctx, LAD_ERR_INPUT, "%s: LineId %" PRId64 " appears twice", o->parsed_path, ix[i].id);
    for (int64_t i = 0; i < t->n && st == LAD_OK; i++) {
        struct id_index key = {t->line_id[i], 0};
        const struct id_index *hit = bsearch(&key, ix, (size_t)p->n, sizeof *ix, by_id);
        if (hit == NULL)
            st = lad_fail(ctx, LAD_ERR_INPUT, "LineId mismatch: LineId %" PRId64 " of %s is not in %s", t->line_id[i],
                          o->truth_path, o->parsed_path);
        else
            pairs[i] = hit->row;
    }
    free(ix);
    return st;
}

/* What parse-eval measures. */
struct eval {
    struct lad_ga_result ga;
    bool has_pa;       /* both files have an EventTemplate column */
    int64_t pa_correct; /* of ga.lines */
};

static enum lad_status evaluate(struct lad_ctx *ctx, const struct lad_options *o, struct eval *res)
{
    struct rows t = {0}, p = {0};
    int64_t *pairs = NULL;
    int32_t *tl = NULL, *pl = NULL;
    const char **names = NULL, **parsed_tpl = NULL;
    enum lad_status st = read_rows(ctx, o->truth_path, &t);
    if (st == LAD_OK)
        st = read_rows(ctx, o->parsed_path, &p);
    if (st == LAD_OK) {
        size_t n = (size_t)t.n;
        pairs = lad_malloc_array(n, sizeof *pairs);
        tl = lad_malloc_array(n, sizeof *tl);
        pl = lad_malloc_array(n, sizeof *pl);
        names = lad_malloc_array(n, sizeof *names);
        parsed_tpl = lad_malloc_array(n, sizeof *parsed_tpl);
        if (!pairs || !tl || !pl || !names || !parsed_tpl)
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory evaluating %s", o->parsed_path);
    }
    if (st == LAD_OK)
        st = join(ctx, o, &t, &p, pairs);
    if (st == LAD_OK)
        st = lad_ga_labels(ctx, (const char *const *)t.event, t.n, tl);
    if (st == LAD_OK) {
        for (int64_t i = 0; i < t.n; i++)
            names[i] = p.event[pairs[i]];
        st = lad_ga_labels(ctx, names, t.n, pl);
    }
    if (st == LAD_OK)
        st = lad_ga_compute(ctx, tl, pl, t.n, &res->ga);
    if (st == LAD_OK && res->ga.lines == 0)
        st = lad_fail(ctx, LAD_ERR_INPUT, "%s has no line with a ground-truth EventId", o->truth_path);
    res->has_pa = t.has_template && p.has_template;
    if (st == LAD_OK && res->has_pa) {
        for (int64_t i = 0; i < t.n; i++)
            parsed_tpl[i] = p.template[pairs[i]];
        res->pa_correct = lad_pa_count((const char *const *)t.template, parsed_tpl, tl, t.n);
    }
    free(pairs);
    free(tl);
    free(pl);
    free(names);
    free(parsed_tpl);
    rows_free(&t);
    rows_free(&p);
    return st;
}

enum lad_status lad_stage_parse_eval(struct lad_ctx *ctx, const struct lad_options *o)
{
    struct eval res;
    memset(&res, 0, sizeof res);
    enum lad_status st = ctx->rank == 0 ? evaluate(ctx, o, &res) : LAD_OK;
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK && ctx->rank == 0) {
        const struct lad_ga_result *ga = &res.ga;
        printf("GA %.6f  (%" PRId64 " of %" PRId64 " lines grouped correctly; %" PRId64 " true events, %" PRId64
               " parsed groups)\n",
               ga->accuracy, ga->correct, ga->lines, ga->truth_events, ga->parsed_groups);
        double pa = (double)res.pa_correct / (double)ga->lines;
        if (res.has_pa)
            printf("PA %.6f  (%" PRId64 " of %" PRId64 " lines with the ground-truth template)\n", pa, res.pa_correct,
                   ga->lines);
        else
            printf("PA n/a  (no EventTemplate column in both files)\n");
        fflush(stdout);
        lad_summary_add_f64(ctx, "grouping_accuracy", ga->accuracy);
        lad_summary_add_i64(ctx, "ga_lines", ga->lines);
        lad_summary_add_i64(ctx, "ga_correct", ga->correct);
        if (res.has_pa) {
            lad_summary_add_f64(ctx, "parsing_accuracy", pa);
            lad_summary_add_i64(ctx, "pa_correct", res.pa_correct);
        }
    }
    return st;
}
