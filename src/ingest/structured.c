/*
 * structured.c - loghub-style *_structured.csv and *_templates.csv, so logparser's evaluators can
 * score logad's parsing.
 *
 * The structured file has one row per input line in input order. Each rank re-reads its byte range,
 * formats its rows into an unlinked scratch file beside the output (its share, buffered on disk),
 * then the ordered collective writer (lad_comm_file_reserve) gives each rank its region after the
 * lower ranks' and every rank copies its rows there. Memory stays bounded by the chunk size; rank 0
 * does not gather anything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lad_comm.h"
#include "lad_csv.h"
#include "lad_ctx.h"
#include "lad_events.h"
#include "lad_inputs.h"
#include "lad_linereader.h"
#include "lad_logformat.h"
#include "lad_mem.h"
#include "lad_options.h"
#include "lad_outfile.h"
#include "lad_partition.h"
#include "ingest_internal.h"

static bool append_field(struct lad_buf *b, const char *s, size_t n)
{
    if (!lad_csv_needs_quotes(s, n))
        return lad_buf_append(b, s, n);
    if (!lad_buf_append(b, "\"", 1))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((s[i] == '"' && !lad_buf_append(b, "\"", 1)) || !lad_buf_append(b, s + i, 1))
            return false;
    return lad_buf_append(b, "\"", 1);
}

static bool append_str(struct lad_buf *b, const char *s)
{
    return append_field(b, s, strlen(s));
}

/* Formats the rows of the lines in data[0, len), numbered from first_id. */
static bool format_rows(const struct lad__parse_result *r, struct lad_parse_local *loc, const char *data,
                        size_t len, int64_t first_id, struct lad_buf *out)
{
    const struct lad_logformat *fmt = r->parser->format;
    int n_fields = lad_logformat_n_fields(fmt), content = lad_logformat_content_index(fmt);
    struct lad_header hdr;
    struct lad_line_info info;
    int64_t id = first_id;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (lad_line_too_long(p, n, r->parser->max_line)) { /* skipped by ingest too: no row */
            id++;
            p = nl ? nl + 1 : end;
            continue;
        }
        if (!lad_parse_line_key(r->parser, loc, p, n, &hdr, &info))
            return false;
        int32_t k = lad_keytab_find(r->keys, info.key, info.key_len, info.key_hash);
        int ev = k >= 0 ? r->keys->event[k] : -1;
        if (!lad_buf_printf(out, "%lld", (long long)id))
            return false;
        for (int f = 0; f < n_fields; f++) {
            if (!lad_buf_append(out, ",", 1))
                return false;
            const char *s = info.header_ok ? hdr.start[f] : (f == content ? info.message : "");
            size_t l = info.header_ok ? hdr.len[f] : (f == content ? info.message_len : 0);
            if (s != NULL && !append_field(out, s, l))
                return false;
        }
        if (!lad_buf_append(out, ",", 1) || !append_str(out, ev >= 0 ? r->events->ids[ev] : "") ||
            !lad_buf_append(out, ",", 1) || !append_str(out, ev >= 0 ? r->events->templates[ev] : "") ||
            !lad_buf_append(out, "\n", 1))
            return false;
        id++;
        p = nl ? nl + 1 : end;
    }
    return true;
}

static int64_t count_lines(const char *data, size_t len)
{
    int64_t n = 0;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        n++;
        p = nl ? nl + 1 : end;
    }
    return n;
}

/* Pass over this rank's range, rows to the scratch file. */
static enum lad_status rows_to_scratch(struct lad_ctx *ctx, const struct lad_options *o,
                                       const struct lad__parse_result *r, int64_t first_id, FILE *scratch)
{
    struct lad_linereader *reader = NULL;
    enum lad_status st = lad_linereader_open(ctx, r->inputs, o->chunk_bytes, o->max_line_bytes, &reader);
    if (st != LAD_OK)
        return st;
    int nt = ctx->nthreads > 0 ? ctx->nthreads : 1;
    struct lad_parse_local *locs = lad_calloc_array((size_t)nt, sizeof *locs);
    struct lad_buf *bufs = lad_calloc_array((size_t)nt, sizeof *bufs);
    int64_t *part_lines = lad_calloc_array((size_t)nt, sizeof *part_lines);
    bool *part_ok = lad_calloc_array((size_t)nt, sizeof *part_ok);
    if (!locs || !bufs || !part_lines || !part_ok)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for structured output");
    for (int t = 0; t < nt && st == LAD_OK; t++)
        st = lad_parse_local_init(ctx, r->parser, &locs[t]);
    int64_t next_id = first_id;
    while (st == LAD_OK) {
        struct lad_chunk chunk;
        bool done;
        st = lad_linereader_next(reader, &chunk, &done);
        if (st != LAD_OK || done)
            break;
        /* Row numbers need the line count of every earlier part: count first, then format. */
#pragma omp parallel for num_threads(nt) schedule(static, 1)
        for (int t = 0; t < nt; t++) {
            size_t b, e;
            lad_partition_lines(chunk.data, chunk.len, nt, t, &b, &e);
            part_lines[t] = count_lines(chunk.data + b, e - b);
        }
#pragma omp parallel for num_threads(nt) schedule(static, 1)
        for (int t = 0; t < nt; t++) {
            size_t b, e;
            lad_partition_lines(chunk.data, chunk.len, nt, t, &b, &e);
            int64_t id = next_id;
            for (int u = 0; u < t; u++)
                id += part_lines[u];
            bufs[t].len = 0;
            part_ok[t] = format_rows(r, &locs[t], chunk.data + b, e - b, id, &bufs[t]);
        }
        for (int t = 0; t < nt && st == LAD_OK; t++) {
            if (!part_ok[t])
                st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory formatting structured rows");
            else if (bufs[t].len && fwrite(bufs[t].data, 1, bufs[t].len, scratch) != bufs[t].len)
                st = lad_fail(ctx, LAD_ERR_IO, "cannot write scratch rows for %s: %s", o->structured_out,
                              strerror(errno));
            next_id += part_lines[t];
        }
    }
    for (int t = 0; locs && t < nt; t++)
        lad_parse_local_free(&locs[t]);
    for (int t = 0; bufs && t < nt; t++)
        lad_buf_free(&bufs[t]);
    free(locs);
    free(bufs);
    free(part_lines);
    free(part_ok);
    lad_linereader_close(&reader);
    /* fwrite buffers: a full disk may only show here (rewind would clear the error unseen). */
    if (st == LAD_OK && (fflush(scratch) != 0 || ferror(scratch)))
        st = lad_fail(ctx, LAD_ERR_IO, "cannot write scratch rows for %s: %s", o->structured_out, strerror(errno));
    return lad_status_agree(ctx, st);
}

/* Copies the scratch file into the shared output at `offset`, in bounded pieces. Local. */
static enum lad_status scratch_to_output(struct lad_ctx *ctx, FILE *scratch, struct lad_comm_file *out,
                                        MPI_Offset offset)
{
    enum lad_status st = LAD_OK;
    char *buf = malloc((size_t)1 << 22);
    if (buf == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory copying structured rows");
    rewind(scratch);
    size_t got;
    while (st == LAD_OK && (got = fread(buf, 1, (size_t)1 << 22, scratch)) > 0) {
        st = lad_comm_file_write_at(ctx, out, offset, buf, got);
        offset += (MPI_Offset)got;
    }
    if (st == LAD_OK && ferror(scratch))
        st = lad_fail(ctx, LAD_ERR_IO, "cannot read back scratch rows for %s: %s", out->name, strerror(errno));
    free(buf);
    return st;
}

enum lad_status lad__write_structured(struct lad_ctx *ctx, const struct lad_options *o,
                                      const struct lad__parse_result *r, const char *path)
{
    char tmp[PATH_MAX], scratch_path[PATH_MAX + 32];
    enum lad_status st = lad_outfile_collective_begin(ctx, path, tmp);
    if (st != LAD_OK)
        return st;
    /* The scratch file lives beside the output and is unlinked at once: nothing is left behind. */
    snprintf(scratch_path, sizeof scratch_path, "%s.rank%d", tmp, ctx->rank);
    FILE *scratch = fopen(scratch_path, "w+b");
    if (scratch == NULL)
        st = lad_fail(ctx, LAD_ERR_IO, "cannot create scratch file %s: %s", scratch_path, strerror(errno));
    else
        unlink(scratch_path);
    st = lad_status_agree(ctx, st);

    int64_t before = lad_comm_exscan_i64(ctx, r->lines_local);
    if (st == LAD_OK)
        st = rows_to_scratch(ctx, o, r, before + 1, scratch);

    /* The header: LineId, the format's fields, EventId, EventTemplate. Rank 0 writes it first. */
    struct lad_buf header = {0};
    const struct lad_logformat *fmt = r->parser->format;
    bool ok = lad_buf_printf(&header, "LineId");
    for (int f = 0; f < lad_logformat_n_fields(fmt); f++)
        ok = ok && lad_buf_printf(&header, ",%s", lad_logformat_field_name(fmt, f));
    ok = ok && lad_buf_printf(&header, ",EventId,EventTemplate\n");
    size_t header_len = ctx->rank == 0 ? header.len : 0;

    if (st == LAD_OK) {
        struct lad_comm_file out;
        st = lad_comm_file_open(ctx, &out, tmp, path);
        if (st == LAD_OK) {
            enum lad_status local = ok ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for a CSV header");
            int64_t rows_bytes = scratch ? (int64_t)ftello(scratch) : 0;
            MPI_Offset at = 0;
            st = lad_comm_file_reserve(ctx, &out, (int64_t)header_len + rows_bytes, local, &at);
            if (st == LAD_OK && header_len > 0)
                st = lad_comm_file_write_at(ctx, &out, at, header.data, header_len);
            if (st == LAD_OK)
                st = scratch_to_output(ctx, scratch, &out, at + (MPI_Offset)header_len);
            st = lad_comm_file_close(ctx, &out, st);
        }
    }
    lad_buf_free(&header);
    if (scratch)
        fclose(scratch);
    return lad_outfile_collective_end(ctx, path, tmp, st);
}

enum lad_status lad__write_templates(struct lad_ctx *ctx, const struct lad_events *events, const char *path)
{
    enum lad_status st = LAD_OK;
    if (ctx->rank == 0) {
        struct lad_outfile out;
        st = lad_outfile_open(ctx, &out, path);
        if (st == LAD_OK) {
            fputs("EventId,EventTemplate,Occurrences\n", out.fp);
            for (int e = 0; e < events->n; e++) {
                lad_csv_write_field(out.fp, events->ids[e]);
                fputc(',', out.fp);
                lad_csv_write_field(out.fp, events->templates[e]);
                fprintf(out.fp, ",%lld\n", (long long)events->lines[e]);
            }
            st = lad_outfile_commit(ctx, &out);
        }
        if (st != LAD_OK)
            lad_outfile_abort(&out);
    }
    return lad_status_agree(ctx, st);
}
