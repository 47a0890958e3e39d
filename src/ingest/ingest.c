/*
 * ingest.c - logs in, feature matrix out.
 *
 *   partition  each rank streams its byte range (lad_linereader, MPI-IO, double-buffered)
 *   parse      OpenMP threads split each chunk by the same line-edge rule and count lines per
 *              (session, message key) in thread-local tables
 *   events     distinct keys are matched to the given templates, or mined (lad_mine_events)
 *   reduce     each session's (event, count) pairs travel to the rank owning its key range, and
 *              arrive as sorted rows (lad_shuffle)
 *   order      rows at the rank edges move so that rows are cut into equal row blocks (lad_order)
 */
#include "lad_ingest.h"

#include <stdlib.h>
#include <string.h>

#include "lad_assign.h"
#include "lad_comm.h"
#include "lad_ctx.h"
#include "lad_escape.h"
#include "lad_features.h"
#include "lad_inputs.h"
#include "lad_linereader.h"
#include "lad_log.h"
#include "lad_logformat.h"
#include "lad_mask.h"
#include "lad_mem.h"
#include "lad_mine.h"
#include "lad_options.h"
#include "lad_order.h"
#include "lad_parser.h"
#include "lad_partition.h"
#include "lad_resolve.h"
#include "lad_shuffle.h"
#include "lad_summary.h"
#include "lad_template.h"
#include "lad_window.h"
#include "ingest_internal.h"

/* Everything ingest builds and must free, in one place. */
struct ingest {
    struct lad_inputs inputs;
    const struct lad_assigner *settings; /* format, masks, Drain, window: the model's or own_assigner */
    const struct lad_assigner *model;    /* detect with a model that has an assigner, else NULL */
    struct lad_assigner *own_assigner;   /* from the options: what training ingest hands to the models */
    struct lad_logformat *format;
    struct lad_template_set own_templates;
    const struct lad_template_set *templates;
    struct lad_masker *masker;
    struct lad_window window;
    bool use_window;
    struct lad_parser parser;
    struct lad_parse_local *locals;
    int n_locals;
    int32_t **key_maps;            /* per thread: its key ids -> thread 0's (NULL for thread 0) */
    int64_t lines_local;
    int64_t first_malformed_local; /* rank-local 0-based index, or -1 */
    char first_malformed_text[100]; /* its start, escaped (lad_escape), for the format-mismatch error */
};

static void ingest_free(struct ingest *g)
{
    for (int t = 0; g->key_maps && t < g->n_locals; t++)
        free(g->key_maps[t]);
    lad_free(&g->key_maps);
    for (int t = 0; t < g->n_locals; t++)
        lad_parse_local_free(&g->locals[t]);
    lad_free(&g->locals);
    lad_masker_free(&g->masker);
    lad_assign_free(&g->own_assigner);
    lad_template_set_free(&g->own_templates);
    lad_logformat_free(&g->format);
    lad_inputs_free(&g->inputs);
}

/*
 * Format, events source and session keys: from the model's assigner when detect has one (the options
 * may only repeat its settings), else from the options and the preset, kept in an assigner of our own
 * that the models trained on these features will carry.
 */
static enum lad_status configure(struct lad_ctx *ctx, const struct lad_options *o,
                                 const struct lad_template_set *templates, const struct lad_assigner *model,
                                 struct ingest *g)
{
    enum lad_status st = LAD_OK;
    g->model = model;
    if (model != NULL)
        st = lad_assign_check_options(ctx, model, o);
    else
        st = lad_assign_create(ctx, o, templates || o->templates_path ? LAD_ASSIGN_TEMPLATES : LAD_ASSIGN_MINED,
                               &g->own_assigner);
    g->settings = model ? model : g->own_assigner;
    if (st == LAD_OK)
        st = lad_logformat_compile(ctx, g->settings->log_format, &g->format);
    if (st == LAD_OK && g->settings->window) {
        st = lad_window_parse(ctx, g->settings->window, g->format, &g->window);
        g->use_window = st == LAD_OK;
    }
    if (st == LAD_OK && o->line_labels)
        st = g->use_window ? lad_window_use_labels(ctx, &g->window, g->format)
                           : lad_fail(ctx, LAD_ERR_USAGE, "--line-labels labels time windows: give --window (blocks "
                                                          "take --labels)");
    st = lad_status_agree(ctx, st);
    if (st != LAD_OK)
        return st;

    if (templates != NULL)
        g->templates = templates;
    else if (model == NULL && o->templates_path != NULL) {
        st = lad_template_set_load(ctx, o->templates_path, &g->own_templates);
        g->templates = &g->own_templates;
    } else {
        const struct lad_assigner *a = g->settings;
        st = lad_status_agree(ctx, lad_masker_create(ctx, a->builtin_masks, (const char *const *)a->masks, a->n_masks,
                                                     &g->masker));
    }
    if (st != LAD_OK)
        return st;
    lad_parser_init(&g->parser, g->format, g->templates, g->masker, g->use_window ? &g->window : NULL,
                    o->max_line_bytes);

    g->n_locals = ctx->nthreads > 0 ? ctx->nthreads : 1;
    g->locals = lad_calloc_array((size_t)g->n_locals, sizeof *g->locals);
    if (g->locals == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory for parser state");
    for (int t = 0; t < g->n_locals && st == LAD_OK; t++)
        st = lad_parse_local_init(ctx, &g->parser, &g->locals[t]);
    return lad_status_agree(ctx, st);
}

/* Line `index` of part t of a chunk, escaped and cut to fit out, for error messages. */
static void copy_line(const char *data, size_t len, int nt, int t, int64_t index, char *out, size_t cap)
{
    size_t b, e;
    lad_partition_lines(data, len, nt, t, &b, &e);
    const char *p = data + b, *end = data + e;
    for (int64_t i = 0; i < index && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = (size_t)((nl ? nl : end) - p);
    if (n > 0 && p[n - 1] == '\r')
        n--;
    lad_escape(out, cap, p, n);
}

/* The parallel part: every chunk of this rank's range, split between the threads by lines. */
static enum lad_status parse_range(struct lad_ctx *ctx, const struct lad_options *o, struct ingest *g,
                                   struct lad_linereader_stats *reader_stats)
{
    struct lad_linereader *reader = NULL;
    enum lad_status st = lad_linereader_open(ctx, &g->inputs, o->chunk_bytes, o->max_line_bytes, &reader);
    if (st != LAD_OK)
        return st;
    int nt = g->n_locals;
    int64_t part_lines[nt], part_bad[nt];
    enum lad_status part_status[nt];
    struct lad_progress progress;
    lad_progress_begin(ctx, &progress, "parsing", lad_linereader_remaining(reader));
    int64_t done_bytes = 0;
    g->first_malformed_local = -1;
    for (;;) {
        struct lad_chunk chunk;
        bool done;
        st = lad_linereader_next(reader, &chunk, &done);
        if (st != LAD_OK || done)
            break;
        int64_t base = (int64_t)(g->inputs.files[chunk.file_index].base + chunk.file_offset);
        lad_timer_start(ctx, LAD_PHASE_PARSE);
        /* One part per parser state; whichever thread runs part t uses state t, so the result does
         * not depend on how many threads the runtime actually provides. */
#pragma omp parallel for num_threads(nt) schedule(static, 1)
        for (int t = 0; t < nt; t++) {
            size_t b, e;
            lad_partition_lines(chunk.data, chunk.len, nt, t, &b, &e);
            part_status[t] = lad_parse_lines(&g->parser, &g->locals[t], chunk.data + b, e - b, base + (int64_t)b,
                                             &part_lines[t], &part_bad[t]);
        }
        lad_timer_stop(ctx, LAD_PHASE_PARSE);
        for (int t = 0; t < nt; t++) {
            if (part_status[t] != LAD_OK && st == LAD_OK)
                st = lad_fail(ctx, part_status[t], "out of memory while parsing");
            if (g->first_malformed_local < 0 && part_bad[t] >= 0) {
                g->first_malformed_local = g->lines_local + part_bad[t];
                copy_line(chunk.data, chunk.len, nt, t, part_bad[t], g->first_malformed_text,
                          sizeof g->first_malformed_text);
            }
            g->lines_local += part_lines[t];
        }
        if (st != LAD_OK)
            break;
        done_bytes += (int64_t)chunk.len;
        lad_progress_update(ctx, &progress, done_bytes);
    }
    *reader_stats = *lad_linereader_stats(reader);
    /* The files are closed collectively even when this rank failed, then everyone agrees. */
    lad_linereader_close(&reader);
    return lad_status_agree(ctx, st);
}

/*
 * Collective. The global number (from 1) of the first line that does not fit the log format, INT64_MAX
 * if none; *mine (if not NULL) gets this rank's candidate. Ranks own consecutive byte ranges, so the
 * lines before a rank are the exclusive prefix sum of the lines per rank.
 */
static int64_t first_malformed_line(struct lad_ctx *ctx, const struct ingest *g, int64_t *mine)
{
    int64_t before = lad_comm_exscan_i64(ctx, g->lines_local), local, first;
    local = g->first_malformed_local >= 0 ? before + g->first_malformed_local + 1 : INT64_MAX;
    MPI_Allreduce(&local, &first, 1, MPI_INT64_T, MPI_MIN, ctx->comm);
    if (mine != NULL)
        *mine = local;
    return first;
}

/* Global counters, and the 1-based global number of the first malformed line. */
static enum lad_status summarize(struct lad_ctx *ctx, struct ingest *g, const struct lad_parse_stats *s,
                                 const struct lad_linereader_stats *rs, struct lad_features *f)
{
    int64_t local[8] = {s->lines, s->bytes, s->malformed, s->no_session, rs->oversize_lines + s->oversize,
                        s->blockid_overflow,
                        s->empty_content, 0};
    int64_t global[8];
    MPI_Allreduce(local, global, 8, MPI_INT64_T, MPI_SUM, ctx->comm);
    struct lad_ingest_summary *sum = &f->summary;
    sum->files = g->inputs.n_files;
    sum->lines = global[0];
    sum->bytes = global[1];
    sum->malformed_lines = global[2];
    sum->no_session_lines = global[3];
    sum->oversize_lines = global[4];
    sum->blockid_overflow = global[5];
    sum->empty_messages = global[6];
    int u = lad_events_find_id(&f->events, LAD_EVENT_UNMATCHED_ID);
    sum->unmatched_lines = u >= 0 ? f->events.lines[u] : 0;

    int64_t first = first_malformed_line(ctx, g, NULL);
    sum->first_malformed_line = first == INT64_MAX ? 0 : first;
    return LAD_OK;
}

/*
 * Collective. Fails when more than half of the lines do not fit the log format: the format (or the
 * preset) is then surely wrong for this log, and every message would be a whole line. The error names
 * the first such line, with its global number and text, from whichever rank read it. It applies where
 * the header matters: mining (a whole line makes a poor key), a --window (the time is in the header)
 * or a --log-format the user gave; given templates still match whole lines, as they always did.
 */
static enum lad_status check_format_fit(struct lad_ctx *ctx, const struct lad_options *o, struct ingest *g,
                                        const struct lad_parse_stats *s)
{
    if (g->templates != NULL && o->log_format == NULL && !g->use_window)
        return LAD_OK;
    int64_t local[2] = {s->lines, s->malformed}, global[2];
    MPI_Allreduce(local, global, 2, MPI_INT64_T, MPI_SUM, ctx->comm);
    if (global[1] * 2 <= global[0])
        return LAD_OK;
    int64_t mine, first = first_malformed_line(ctx, g, &mine);
    int holder = mine == first ? ctx->rank : ctx->size, root;
    MPI_Allreduce(&holder, &root, 1, MPI_INT, MPI_MIN, ctx->comm);
    if (root < ctx->size)
        MPI_Bcast(g->first_malformed_text, sizeof g->first_malformed_text, MPI_CHAR, root, ctx->comm);
    const char *fmt = g->settings->log_format;
    return lad_fail(ctx, LAD_ERR_INPUT, "log format '%s' does not fit the input: line %lld: %s (%lld of %lld lines do "
                                        "not fit; check --preset or --log-format)", fmt, (long long)first,
                    g->first_malformed_text, (long long)global[1], (long long)global[0]);
}

/* Per thread, its key ids mapped straight to event indices. */
static enum lad_status event_maps(struct lad_ctx *ctx, struct ingest *g, int32_t ***maps)
{
    const struct lad_keytab *keys = &g->locals[0].keys;
    *maps = lad_calloc_array((size_t)g->n_locals, sizeof **maps);
    if (*maps == NULL)
        return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory mapping keys to events");
    for (int t = 0; t < g->n_locals; t++) {
        int32_t n = g->locals[t].keys.n;
        (*maps)[t] = lad_malloc_array((size_t)n, sizeof ***maps);
        if ((*maps)[t] == NULL)
            return lad_fail(ctx, LAD_ERR_NOMEM, "out of memory mapping keys to events");
        for (int32_t k = 0; k < n; k++)
            (*maps)[t][k] = keys->event[t == 0 ? k : g->key_maps[t][k]];
    }
    return LAD_OK;
}

/* The threads' tables go straight into the shuffle (which frees them), then into the row layout. */
static enum lad_status count_and_order(struct lad_ctx *ctx, struct ingest *g, struct lad_features *f)
{
    struct lad_rowset rows = {0};
    struct lad_counts *tables = NULL;
    int32_t **maps = NULL;
    const bool labelled = g->use_window && g->window.line_labels;
    const int n_tables = labelled ? 2 * g->n_locals : g->n_locals;
    int32_t alert_column[1] = {-1};
    lad_timer_start(ctx, LAD_PHASE_SHUFFLE);
    enum lad_status st = event_maps(ctx, g, &maps);
    if (st == LAD_OK && (tables = lad_calloc_array((size_t)n_tables, sizeof *tables)) == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory collecting counts");
    if (st == LAD_OK)
        for (int t = 0; t < g->n_locals; t++) { /* moved: the parser states keep no pointer into them */
            tables[t] = g->locals[t].counts;
            memset(&g->locals[t].counts, 0, sizeof g->locals[t].counts);
        }
    st = lad_status_agree(ctx, st);
    /* Alert lines ride along as one more column (line_labels.c): one more table per thread. */
    if (st == LAD_OK && labelled)
        st = lad__alert_tables(ctx, g->locals, g->n_locals, f, tables + g->n_locals, alert_column);
    const int32_t **all_maps = NULL;
    if (st == LAD_OK && (all_maps = lad_malloc_array((size_t)n_tables, sizeof *all_maps)) == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory collecting counts");
    for (int t = 0; st == LAD_OK && t < n_tables; t++)
        all_maps[t] = t < g->n_locals ? maps[t] : alert_column;
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK)
        st = lad_shuffle_rows(ctx, tables, (const int32_t *const *)all_maps, n_tables, f->events.n, &rows);
    for (int t = 0; tables && t < n_tables; t++)
        lad_counts_free(&tables[t]);
    free(tables);
    free(all_maps);
    for (int t = 0; maps && t < g->n_locals; t++)
        free(maps[t]);
    free(maps);
    lad_timer_stop(ctx, LAD_PHASE_SHUFFLE);
    if (st == LAD_OK) {
        lad_timer_start(ctx, LAD_PHASE_ORDER);
        st = lad_order_rows(ctx, &rows, f);
        lad_timer_stop(ctx, LAD_PHASE_ORDER);
    }
    lad_rowset_free(&rows);
    if (st == LAD_OK && labelled)
        st = lad__take_alert_column(ctx, f);
    return st;
}

/* Collective. Sessions with a line of the UNKNOWN column (the last), over all ranks. */
static int64_t unknown_sessions(struct lad_ctx *ctx, const struct lad_features *f)
{
    int64_t local = 0, global = 0;
    for (int64_t r = 0; r < f->n_local; r++) {
        struct lad_row row = lad_features_row(f, r);
        local += row.n > 0 && row.cols[row.n - 1] == f->n_events - 1; /* columns ascend */
    }
    MPI_Allreduce(&local, &global, 1, MPI_INT64_T, MPI_SUM, ctx->comm);
    return global;
}

/* Collective. Every key's event: the model's assigner, the given templates, or mining. */
static enum lad_status resolve_events(struct lad_ctx *ctx, struct ingest *g, struct lad_features *f)
{
    struct lad_keytab *keys = &g->locals[0].keys;
    enum lad_status st;
    lad_timer_start(ctx, LAD_PHASE_EVENTS);
    if (g->model && g->model->kind == LAD_ASSIGN_MINED) {
        struct lad_assign_stats as;
        st = lad_assign_resolve(ctx, g->model, keys, &f->events, &as);
        f->summary.similar_lines = as.lines[LAD_ASSIGN_SIMILAR];
        f->summary.skeleton_lines = as.lines[LAD_ASSIGN_SKELETON];
        f->summary.unknown_lines = as.lines[LAD_ASSIGN_UNKNOWN];
    } else if (g->templates) {
        st = lad_resolve_template_events(ctx, &g->parser, keys, &f->events);
    } else {
        struct lad_assigner *a = g->own_assigner;
        st = lad_mine_events(ctx, keys, &a->drain, &f->events, a);
    }
    lad_timer_stop(ctx, LAD_PHASE_EVENTS);
    return st;
}

enum lad_status lad_ingest_logs(struct lad_ctx *ctx, const struct lad_options *o,
                                const struct lad_template_set *templates, const struct lad_assigner *model,
                                const char *source, struct lad_features *f)
{
    memset(f, 0, sizeof *f);
    struct ingest g;
    memset(&g, 0, sizeof g);
    lad_timer_start(ctx, LAD_PHASE_INPUTS);
    const char *other_inputs[] = {o->labels_path, o->templates_path, o->features_path, o->model_in};
    enum lad_status st = lad_inputs_resolve_logs(ctx, o->logs.items, o->logs.n, other_inputs, 4, &g.inputs);
    if (st == LAD_OK)
        st = configure(ctx, o, templates, model, &g);
    lad_timer_stop(ctx, LAD_PHASE_INPUTS);
    if (st == LAD_OK)
        lad_log(ctx, LAD_LOG_INFO, "ingest: %d file(s), %.1f MB, %d rank(s) x %d thread(s), events %s", g.inputs.n_files,
                (double)g.inputs.total_bytes / 1e6, ctx->size, g.n_locals,
                g.model && g.model->kind == LAD_ASSIGN_MINED ? "assigned as the model's training did"
                : g.templates                                 ? "from templates"
                                                              : "mined (Drain)");

    struct lad_linereader_stats reader_stats = {0};
    if (st == LAD_OK)
        st = parse_range(ctx, o, &g, &reader_stats);
    /* Keys merge into thread 0's table (few keys, in thread order); counts wait for the events. */
    g.key_maps = lad_calloc_array((size_t)g.n_locals, sizeof *g.key_maps);
    if (st == LAD_OK && g.key_maps == NULL)
        st = lad_fail(ctx, LAD_ERR_NOMEM, "out of memory merging parser state");
    for (int t = 1; t < g.n_locals && st == LAD_OK; t++)
        st = lad_parse_local_merge_keys(ctx, &g.locals[0], &g.locals[t], &g.key_maps[t]);
    st = lad_status_agree(ctx, st);
    if (st == LAD_OK)
        st = lad_status_agree(ctx, check_format_fit(ctx, o, &g, &g.locals[0].stats));

    if (st == LAD_OK)
        st = resolve_events(ctx, &g, f);
    if (st == LAD_OK) {
        f->session_kind = g.use_window ? LAD_SESSION_WINDOW : LAD_SESSION_BLOCK;
        f->window_spec = g.use_window ? lad_strdup(g.settings->window) : NULL;
        char buf[4200];
        snprintf(buf, sizeof buf, "%s", g.templates || g.model ? (source ? source : "") : "mined");
        if (g.templates && source == NULL)
            snprintf(buf, sizeof buf, "templates:%s", o->templates_path);
        f->event_source = lad_strdup(buf);
        st = summarize(ctx, &g, &g.locals[0].stats, &reader_stats, f);
    }
    if (st == LAD_OK && o->structured_out) {
        lad_timer_start(ctx, LAD_PHASE_WRITE);
        struct lad__parse_result r = {&g.inputs, &g.parser, &g.locals[0].keys, &f->events, g.lines_local};
        st = lad__write_structured(ctx, o, &r, o->structured_out);
        lad_timer_stop(ctx, LAD_PHASE_WRITE);
    }
    if (st == LAD_OK && o->templates_out)
        st = lad__write_templates(ctx, &f->events, o->templates_out);
    if (st == LAD_OK)
        st = count_and_order(ctx, &g, f);
    if (st == LAD_OK && g.model && g.model->kind == LAD_ASSIGN_MINED)
        f->summary.unknown_sessions = unknown_sessions(ctx, f);
    if (st == LAD_OK && g.model == NULL && templates == NULL) /* training: the models keep how */
        f->assigner = lad_assign_ref(g.own_assigner);
    ingest_free(&g);
    if (st != LAD_OK)
        lad_features_free(f);
    return st;
}

void lad_ingest_report(struct lad_ctx *ctx, const struct lad_features *f)
{
    const struct lad_ingest_summary *s = &f->summary;
    lad_log(ctx, LAD_LOG_INFO, "ingest: %lld lines, %lld bytes, %lld %s, %d events, %lld unmatched lines",
            (long long)s->lines, (long long)s->bytes, (long long)f->n_global,
            f->session_kind == LAD_SESSION_BLOCK ? "blocks" : "windows", f->events.n, (long long)s->unmatched_lines);
    lad_summary_add_i64(ctx, "lines", s->lines);
    lad_summary_add_i64(ctx, "bytes", s->bytes);
    lad_summary_add_i64(ctx, "sessions", f->n_global);
    lad_summary_add_i64(ctx, "events", f->events.n);
    lad_summary_add_i64(ctx, "unmatched_lines", s->unmatched_lines);
    lad_summary_add_i64(ctx, "malformed_lines", s->malformed_lines);
    lad_summary_add_i64(ctx, "no_session_lines", s->no_session_lines);
    if (s->unmatched_lines)
        lad_log(ctx, LAD_LOG_WARN, "%lld lines matched no template (counted as event %s)", (long long)s->unmatched_lines,
                LAD_EVENT_UNMATCHED_ID);
    if (s->similar_lines || s->skeleton_lines)
        lad_log(ctx, LAD_LOG_INFO, "%lld lines with keys training never saw joined trained events (%lld by Drain "
                                   "similarity, %lld by skeleton)", (long long)(s->similar_lines + s->skeleton_lines),
                (long long)s->similar_lines, (long long)s->skeleton_lines);
    if (s->unknown_lines)
        lad_log(ctx, LAD_LOG_WARN, "%lld lines in %lld %s are of event types the model never saw: counted in its %s "
                                   "column", (long long)s->unknown_lines, (long long)s->unknown_sessions,
                f->session_kind == LAD_SESSION_BLOCK ? "blocks" : "windows", LAD_EVENT_UNKNOWN_ID);
    if (f->events.n > 0 && strcmp(f->events.ids[f->events.n - 1], LAD_EVENT_UNKNOWN_ID) == 0) { /* a mined model's */
        lad_summary_add_i64(ctx, "similar_lines", s->similar_lines);
        lad_summary_add_i64(ctx, "skeleton_lines", s->skeleton_lines);
        lad_summary_add_i64(ctx, "unknown_lines", s->unknown_lines);
        lad_summary_add_i64(ctx, "unknown_sessions", s->unknown_sessions);
    }
    if (s->malformed_lines)
        lad_log(ctx, LAD_LOG_WARN, "%lld lines do not fit the log format (first: line %lld); their whole text was used "
                                   "as the message", (long long)s->malformed_lines, (long long)s->first_malformed_line);
    if (s->no_session_lines)
        lad_log(ctx, LAD_LOG_INFO, "%lld lines name no %s and count in no session", (long long)s->no_session_lines,
                f->session_kind == LAD_SESSION_BLOCK ? "block id" : "time");
    if (s->empty_messages)
        lad_log(ctx, LAD_LOG_WARN, "%lld lines have an empty message", (long long)s->empty_messages);
    if (s->oversize_lines)
        lad_log(ctx, LAD_LOG_WARN, "%lld lines longer than --max-line were skipped", (long long)s->oversize_lines);
    if (s->blockid_overflow)
        lad_log(ctx, LAD_LOG_WARN, "%lld blk_ ids too long for 64 bits were ignored", (long long)s->blockid_overflow);
    if (f->n_global == 0)
        lad_log(ctx, LAD_LOG_WARN, "no line names a session key: the feature matrix is empty%s",
                f->session_kind == LAD_SESSION_BLOCK ? " (for logs without HDFS block ids use --window)" : "");
}
