/*
 * labels.c - reading anomaly_label.csv in parallel and joining it to the feature rows.
 *
 * Parse: every rank takes its byte range of the file (lad_linereader) and parses `blk_<id>,<Label>`.
 * Route: rows are sorted by block id and cut into row blocks, so rank r holds ids in [lo_r, hi_r];
 * each label goes to the rank whose range contains its id (binary search over the gathered ranges)
 * or is counted as unseen at once when no range does.
 * Join: the receiver sorts what it got and merges it with its sorted keys.
 */
#include "lad_labels.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lad_blockid.h"
#include "lad_csv.h"
#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_escape.h"
#include "lad_features.h"
#include "lad_inputs.h"
#include "lad_linereader.h"
#include "lad_log.h"
#include "lad_mem.h"
#include "lad_radix.h"

struct label_rec {
    int64_t block;
    int64_t line;  /* global line number, for messages */
    int64_t value; /* LAD_LABEL_NORMAL or LAD_LABEL_ANOMALY */
};

int lad_labels_parse_value(const char *s)
{
    if (strcasecmp(s, "Anomaly") == 0)
        return LAD_LABEL_ANOMALY;
    if (strcasecmp(s, "Normal") == 0)
        return LAD_LABEL_NORMAL;
    return -1;
}

/* Longest label row the reader delivers; a label row is about 30 bytes. */
#define LABEL_MAX_LINE 4096

/* Remembers the first bad row of this rank (rows may be found out of order: see parse_range). */
static void note_bad(int64_t *bad_line, char *bad_text, size_t bad_cap, int64_t lineno, const char *what, size_t len)
{
    if (*bad_line >= 0 && *bad_line <= lineno)
        return;
    *bad_line = lineno;
    if (what == NULL) {
        snprintf(bad_text, bad_cap, "a line of more than %d bytes", LABEL_MAX_LINE);
        return;
    }
    /* The row as the user would type it: without its CR, and with control bytes escaped. */
    size_t n = len > 0 && what[len - 1] == '\r' ? len - 1 : len;
    char esc[100];
    snprintf(bad_text, bad_cap, "'%s'", lad_escape(esc, sizeof esc, what, n));
}

static int64_t count_lines(const char *data, size_t len)
{
    int64_t n = 0;
    for (const char *p = data, *end = data + len; p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    return n;
}

/*
 * Parses this rank's rows. Line numbers are local here (0-based) and made global by the caller.
 * A row longer than the reader's limit is skipped by the reader, which only counts it: it is a bad
 * row here. Its line number is the count of lines before it; the chunk handed out with the news lies
 * wholly before or wholly after it (chunks never contain a skipped line).
 */
static enum lad_status parse_range(struct lad_ctx *ctx, const char *path, struct lad_inputs *in,
                                   struct label_rec **recs, size_t *n, int64_t *lines_local, int64_t *bad_line,
                                   char *bad_text, size_t bad_cap)
{
    struct lad_linereader *r = NULL;
    enum lad_status st = lad_linereader_open(ctx, in, (size_t)4 << 20, LABEL_MAX_LINE, &r);
    if (st != LAD_OK)
        return st;
    size_t cap = 0;
    *n = 0;
    *lines_local = 0;
    *bad_line = -1;
    char line[LABEL_MAX_LINE + 104];
    bool oversize_seen = false;
    for (;;) {
        struct lad_chunk c;
        bool done;
        int64_t lines_before = *lines_local;
        st = lad_linereader_next(r, &c, &done);
        if (st != LAD_OK)
            break;
        const struct lad_linereader_stats *rs = lad_linereader_stats(r);
        if (rs->oversize_lines > 0 && !oversize_seen) {
            oversize_seen = true;
            bool chunk_first = !done && (c.file_index < rs->oversize_file ||
                                         (c.file_index == rs->oversize_file && c.file_offset < rs->oversize_offset));
            note_bad(bad_line, bad_text, bad_cap, lines_before + (chunk_first ? count_lines(c.data, c.len) : 0), NULL, 0);
        }
        if (done)
            break;
        const char *p = c.data, *end = c.data + c.len;
        while (p < end && st == LAD_OK) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
            bool first_of_file = c.file_offset == 0 && p == c.data;
            int64_t lineno = (*lines_local)++;
            const char *text = p;
            p = nl ? nl + 1 : end;
            if (first_of_file && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
                text += 3; /* a UTF-8 byte order mark, as spreadsheet exports write it */
                len -= 3;
            }
            if (len >= sizeof line) {
                note_bad(bad_line, bad_text, bad_cap, lineno, NULL, 0);
                continue;
            }
            memcpy(line, text, len);
            line[len] = '\0';
            char *fields[4];
            int nf = lad_csv_split(line, len, fields, 4);
            if (nf == 1 && fields[0][0] == '\0')
                continue; /* blank line */
            if (first_of_file && nf == 2 && strcmp(fields[0], "BlockId") == 0)
                continue; /* the header */
            int64_t id;
            int value = nf == 2 ? lad_labels_parse_value(fields[1]) : -1;
            if (nf != 2 || !lad_blockid_parse(fields[0], strlen(fields[0]), &id) || value < 0) {
                note_bad(bad_line, bad_text, bad_cap, lineno, text, len);
                continue;
            }
            void *arr = *recs;
            if (!lad_grow(&arr, &cap, *n + 1, sizeof **recs)) {
                st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory reading %s", path);
                break;
            }
            *recs = arr;
            (*recs)[(*n)++] = (struct label_rec){id, lineno, value};
        }
    }
    /* Skipped rows are lines too: the next rank's line numbers count them. */
    *lines_local += lad_linereader_stats(r)->oversize_lines;
    lad_linereader_close(&r);
    return lad_status_agree(ctx, st);
}

/*
 * Sorts recs by block, then line, without comparisons. They arrive in line order (ranks read
 * consecutive byte ranges and the exchange keeps each rank's order), so a stable sort by block is
 * enough; line and value ride in the record's value. False when out of memory.
 */
static bool sort_by_block(struct label_rec *recs, size_t n)
{
    struct lad_keyed *a = lad_malloc_array(n ? n : 1, sizeof *a), *tmp = lad_malloc_array(n ? n : 1, sizeof *tmp);
    bool ok = a && tmp;
    if (ok) {
        for (size_t i = 0; i < n; i++)
            a[i] = (struct lad_keyed){recs[i].block,
                                      (uint64_t)recs[i].line << 1 | (uint64_t)(recs[i].value == LAD_LABEL_ANOMALY)};
        lad_radix_sort(a, n, tmp);
        for (size_t i = 0; i < n; i++)
            recs[i] = (struct label_rec){a[i].key, (int64_t)(a[i].val >> 1),
                                         a[i].val & 1 ? LAD_LABEL_ANOMALY : LAD_LABEL_NORMAL};
    }
    free(a);
    free(tmp);
    return ok;
}

/* The rank whose key range holds id, or -1. ranges[2r], ranges[2r+1] = first and last key of rank r;
 * ranks holding rows form a prefix [0, n_holders) of the row-block layout. */
static int find_holder(const int64_t *ranges, int n_holders, int64_t id)
{
    int lo = 0, hi = n_holders - 1, found = -1;
    while (lo <= hi) { /* the last rank whose first key is <= id */
        int mid = (lo + hi) / 2;
        if (ranges[2 * mid] <= id) {
            found = mid;
            lo = mid + 1;
        } else
            hi = mid - 1;
    }
    return (found >= 0 && id <= ranges[2 * found + 1]) ? found : -1;
}

/* Sends each label to its holder; returns what this rank received, sorted by block. */
static enum lad_status route(struct lad_ctx *ctx, const struct lad_features *f, struct label_rec *recs, size_t n,
                             struct label_rec **got, size_t *n_got, int64_t *unseen)
{
    int size = ctx->size;
    int64_t mine[2] = {f->n_local ? f->keys[0] : 0, f->n_local ? f->keys[f->n_local - 1] : 0};
    int has = f->n_local > 0;
    int64_t *ranges = lad_malloc_array((size_t)size * 2, sizeof *ranges);
    int *has_rows = lad_malloc_array((size_t)size, sizeof *has_rows);
    int *dest = lad_malloc_array(n, sizeof *dest);
    int64_t *sc = lad_calloc_array((size_t)size, sizeof *sc), *fill = lad_calloc_array((size_t)size, sizeof *fill);
    struct label_rec *sendbuf = lad_malloc_array(n, sizeof *sendbuf);
    *got = NULL;
    enum lad_status st = (ranges && has_rows && dest && sc && fill && sendbuf)
                             ? LAD_OK
                             : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory routing labels");
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        goto out;
    MPI_Allgather(mine, 2, MPI_INT64_T, ranges, 2, MPI_INT64_T, ctx->comm);
    MPI_Allgather(&has, 1, MPI_INT, has_rows, 1, MPI_INT, ctx->comm);
    *unseen = 0;
    int n_holders = 0;
    while (n_holders < size && has_rows[n_holders])
        n_holders++;
    for (size_t i = 0; i < n; i++) {
        dest[i] = find_holder(ranges, n_holders, recs[i].block);
        if (dest[i] < 0)
            (*unseen)++;
        else
            sc[dest[i]]++;
    }
    for (int r = 1; r < size; r++)
        fill[r] = fill[r - 1] + sc[r - 1];
    for (size_t i = 0; i < n; i++)
        if (dest[i] >= 0)
            sendbuf[fill[dest[i]]++] = recs[i];
    void *recv = NULL;
    int64_t total = 0;
    st = lad_comm_alltoallv_alloc(ctx, sendbuf, sc, sizeof *sendbuf, "routing labels", &recv, NULL, &total);
    if (st == LAD_OK) {
        *got = recv;
        *n_got = (size_t)total;
        if (!sort_by_block(*got, *n_got))
            st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory sorting labels");
        st = lad_status_agree(ctx, st);
    }
out:
    free(ranges);
    free(has_rows);
    free(dest);
    free(sc);
    free(fill);
    free(sendbuf);
    return st;
}

enum lad_status lad_labels_load(struct lad_ctx *ctx, const char *path, const struct lad_features *f, int8_t *label,
                                struct lad_label_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    for (int64_t i = 0; i < f->n_local; i++)
        label[i] = LAD_LABEL_UNKNOWN;
    if (f->session_kind != LAD_SESSION_BLOCK)
        return lad_fail(ctx, LAD_ERR_USAGE, "labels name HDFS blocks; they cannot be used with --window sessions");
    struct lad_inputs in;
    enum lad_status st = lad_inputs_resolve(ctx, &path, 1, &in);
    if (st != LAD_OK)
        return st;
    struct label_rec *recs = NULL, *got = NULL;
    size_t n = 0, n_got = 0;
    int64_t lines_local = 0, bad_local = -1, unseen_local = 0;
    char bad_text[128] = "";
    st = parse_range(ctx, path, &in, &recs, &n, &lines_local, &bad_local, bad_text, sizeof bad_text);

    /* Local line numbers become global: ranks read consecutive byte ranges. */
    int64_t before = lad_comm_exscan_i64(ctx, lines_local);
    for (size_t i = 0; i < n; i++)
        recs[i].line += before + 1;
    int64_t bad = bad_local >= 0 ? before + bad_local + 1 : INT64_MAX, first_bad;
    MPI_Allreduce(&bad, &first_bad, 1, MPI_INT64_T, MPI_MIN, ctx->comm);
    if (st == LAD_OK && first_bad != INT64_MAX) {
        if (bad == first_bad)
            st = lad_fail(ctx, LAD_ERR_LABELS, "%s:%lld: expected blk_<id>,Anomaly|Normal, found %s", path,
                          (long long)first_bad, bad_text);
        else
            st = LAD_ERR_LABELS;
        st = lad_status_agree(ctx, st);
    }
    if (st == LAD_OK)
        st = route(ctx, f, recs, n, &got, &n_got, &unseen_local);

    /* Merge-join the sorted labels with the sorted keys. */
    int64_t local[6] = {(int64_t)n, 0, 0, unseen_local, 0, 0};
    int64_t conflict_line = -1;
    for (size_t i = 0, r = 0; st == LAD_OK && i < n_got; i++) {
        if (i > 0 && got[i].block == got[i - 1].block) {
            if (got[i].value != got[i - 1].value && conflict_line < 0)
                conflict_line = got[i].line;
            local[5]++;
            continue;
        }
        while (r < (size_t)f->n_local && f->keys[r] < got[i].block)
            r++;
        if (r < (size_t)f->n_local && f->keys[r] == got[i].block) {
            label[r] = (int8_t)got[i].value;
            local[got[i].value == LAD_LABEL_ANOMALY ? 1 : 2]++;
        } else
            local[3]++;
    }
    if (st == LAD_OK && conflict_line >= 0)
        st = lad_fail(ctx, LAD_ERR_LABELS, "%s:%lld: block labelled both Anomaly and Normal", path,
                      (long long)conflict_line);
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK) {
        for (int64_t i = 0; i < f->n_local; i++)
            local[4] += label[i] == LAD_LABEL_UNKNOWN;
        int64_t global[6];
        MPI_Allreduce(local, global, 6, MPI_INT64_T, MPI_SUM, ctx->comm);
        *stats = (struct lad_label_stats){global[0], global[1], global[2], global[3], global[4], global[5]};
        if (stats->rows == 0)
            st = lad_fail(ctx, LAD_ERR_LABELS, "%s holds no labels", path);
        else if (stats->anomalies + stats->normals == 0 && f->n_global > 0)
            st = lad_fail(ctx, LAD_ERR_LABELS,
                          "none of the %lld labels in %s names a block of the input (%lld blocks): labels of another log?",
                          (long long)stats->rows, path, (long long)f->n_global);
    }
    free(recs);
    free(got);
    lad_inputs_free(&in);
    return st;
}

void lad_labels_report(const struct lad_ctx *ctx, const char *path, const struct lad_label_stats *s)
{
    lad_log(ctx, LAD_LOG_INFO, "labels: %lld rows in %s: %lld anomalous and %lld normal blocks matched", (long long)s->rows,
            path, (long long)s->anomalies, (long long)s->normals);
    if (s->unseen)
        lad_log(ctx, LAD_LOG_WARN, "%lld labels name blocks that are not in the input (ignored)", (long long)s->unseen);
    if (s->unlabelled)
        lad_log(ctx, LAD_LOG_WARN, "%lld blocks of the input have no label (left out of the metrics)",
                (long long)s->unlabelled);
    if (s->duplicates)
        lad_log(ctx, LAD_LOG_WARN, "%lld repeated label rows (same block, same label)", (long long)s->duplicates);
}
