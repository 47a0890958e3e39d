/*
 * report.c - DIR/report.html: the statistics of stats.c laid out as one self-contained page.
 *
 * All ranks compute the statistics together; rank 0 alone writes the page, through the atomic output
 * writer. The page has no script, link or font to fetch: styles are inline, plots are inline SVG. What
 * depends on this particular run (ranks, threads, job, output paths, times) sits in the last section,
 * between LAD_REPORT_RUN_BEGIN and LAD_REPORT_RUN_END; everything before it follows from the input.
 */
#include "lad_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lad_ctx.h"
#include "lad_detector.h"
#include "lad_features.h"
#include "lad_labels.h"
#include "lad_mem.h"
#include "lad_metrics.h"
#include "lad_model_file.h"
#include "lad_options.h"
#include "lad_outfile.h"
#include "lad_verdict.h"
#include "lad_version.h"
#include "report_internal.h"

/* What the report shows of one model, computed by all ranks. */
struct model_stats {
    struct lad__hist hist;
    int64_t anomalies;
    int64_t *hits; /* per model event, then the anomalies that name none */
    struct lad__top_blocks top;
};

static const char *const style =
    "body{font-family:sans-serif;max-width:1180px;margin:1.5em auto;padding:0 1em;color:#222}"
    "h1{font-size:1.6em}h2{border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:1.8em}"
    "table{border-collapse:collapse;margin:.5em 0}th,td{padding:3px 9px;border-bottom:1px solid #e3e3e3;"
    "text-align:left;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "code,.tpl{font-family:monospace;font-size:.92em}.note{color:#555;font-size:.92em;max-width:60em}"
    ".plots{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}"
    "svg{overflow:visible}svg text{font-family:sans-serif;font-size:12px}";

static void row_i64(FILE *out, const char *name, int64_t v)
{
    fprintf(out, "<tr><th>%s</th><td class=\"n\">%lld</td></tr>\n", name, (long long)v);
}

static void row_text(FILE *out, const char *name, const char *v)
{
    fprintf(out, "<tr><th>%s</th><td>", name);
    lad__html_text(out, v ? v : "-");
    fputs("</td></tr>\n", out);
}

static void write_input(FILE *out, const struct lad_report_input *in)
{
    const struct lad_ingest_summary *s = &in->f->summary;
    fputs("<h2 id=\"input\">Input</h2>\n<table>\n<tr><th>logs</th><td>", out);
    for (int i = 0; i < in->o->logs.n; i++) {
        fputs(i ? "<br>" : "", out);
        fputs("<code>", out);
        lad__html_text(out, in->o->logs.items[i]);
        fputs("</code>", out);
    }
    if (in->o->logs.n == 0)
        fputs("(stored features)", out);
    fputs("</td></tr>\n", out);
    if (s->lines > 0) {
        row_i64(out, "lines", s->lines);
        row_i64(out, "bytes", s->bytes);
        row_i64(out, "lines matching no template", s->unmatched_lines);
        row_i64(out, "lines not fitting the log format", s->malformed_lines);
        row_i64(out, "lines naming no session", s->no_session_lines);
    }
    row_i64(out, in->f->session_kind == LAD_SESSION_BLOCK ? "blocks (sessions)" : "time windows (sessions)",
            in->f->n_global);
    row_i64(out, "event types", in->f->n_events);
    if (in->label_stats) {
        fputs("<tr><th>labels</th><td><code>", out);
        lad__html_text(out, in->o->labels_path ? in->o->labels_path : "--line-labels: each line's <Label> field");
        fprintf(out, "</code>: %lld anomalous and %lld normal blocks matched, %lld blocks without a label, %lld "
                     "labels of unseen blocks</td></tr>\n",
                (long long)in->label_stats->anomalies, (long long)in->label_stats->normals,
                (long long)in->label_stats->unlabelled, (long long)in->label_stats->unseen);
    }
    fputs("</table>\n", out);
}

static void write_models_table(FILE *out, const struct lad_report_input *in, const struct model_stats *ms)
{
    fputs("<h2 id=\"models\">Models</h2>\n<table>\n<tr><th>model</th><th>threshold</th><th>flagged</th>", out);
    if (in->metrics)
        fputs("<th>precision</th><th>recall</th><th>F1</th>", out);
    fputs("<th>training blocks</th><th>settings</th></tr>\n", out);
    for (int i = 0; i < in->n_models; i++) {
        const struct lad_model *m = &in->models[i];
        fprintf(out, "<tr><td><a href=\"#model-%s\">%s</a></td><td class=\"n\">%.6g</td><td class=\"n\">%lld</td>",
                in->verdicts[i].detector->name, in->verdicts[i].detector->name, in->verdicts[i].threshold,
                (long long)ms[i].anomalies);
        if (in->metrics)
            fprintf(out, "<td class=\"n\">%.4f</td><td class=\"n\">%.4f</td><td class=\"n\">%.4f</td>",
                    in->metrics[i].precision, in->metrics[i].recall, in->metrics[i].f1);
        fprintf(out, "<td class=\"n\">%lld</td><td><code>", (long long)m->n_train);
        lad__html_text(out, m->options);
        fputs("</code></td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

/* Keeps shown[0, *n) ordered by hits desc; j comes in ascending order, so ties keep the lower index first. */
static void rank_event(int *shown, int *n, const int64_t *hits, int j)
{
    if (*n == LAD__TOP_EVENTS && hits[shown[*n - 1]] >= hits[j])
        return;
    int i = *n < LAD__TOP_EVENTS ? (*n)++ : *n - 1;
    for (; i > 0 && hits[shown[i - 1]] < hits[j]; i--)
        shown[i] = shown[i - 1];
    shown[i] = j;
}

static void write_top_events(FILE *out, const struct lad_verdicts *v, const struct model_stats *ms)
{
    const struct lad_events *ev = v->events;
    int shown[LAD__TOP_EVENTS], n = 0;
    for (int j = 0; ev && j < ev->n; j++)
        if (ms->hits[j] > 0)
            rank_event(shown, &n, ms->hits, j);
    fprintf(out, "<h3>Events named most often among the anomalies</h3>\n");
    if (n == 0) {
        fputs("<p class=\"note\">No anomalous block, or no event named.</p>\n", out);
        return;
    }
    const struct lad_detector *d = v->detector;
    fprintf(out, "<p class=\"note\">Each anomalous block names up to %d events, those that raise its score most "
                 "(TopEvents in anomalies.csv; anomalies_explained.csv gives each one's count, %s%scontribution, %s); "
                 "this counts how many of the %lld anomalous blocks name each event.",
            v->n_top, d->expected_meaning ? d->expected_meaning : "", d->expected_meaning ? " and " : "and ",
            d->contribution_meaning, (long long)ms->anomalies);
    if (ev && ms->hits[ev->n] > 0)
        fprintf(out, " %lld anomalous blocks name no event: nothing in them raises the score, which comes from "
                     "what they lack (the model's bias).", (long long)ms->hits[ev->n]);
    fputs("</p>\n", out);
    fputs("<table class=\"top-events\">\n<tr><th>event</th><th>template</th><th>blocks</th><th>share</th><th>"
          "</th></tr>\n",
          out);
    for (int k = 0; k < n; k++) {
        int j = shown[k];
        double share = ms->anomalies ? (double)ms->hits[j] / (double)ms->anomalies : 0.0;
        fputs("<tr><td><code>", out);
        lad__html_text(out, ev->ids[j]);
        fputs("</code></td><td class=\"tpl\">", out);
        lad__html_text(out, ev->templates[j]);
        fprintf(out, "</td><td class=\"n\">%lld</td><td class=\"n\">%.1f%%</td><td>", (long long)ms->hits[j],
                100.0 * share);
        lad__svg_bar(out, share);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void write_heatmap(FILE *out, const struct lad_report_input *in, const struct lad_verdicts *v,
                          const struct model_stats *ms)
{
    const struct lad_events *ev = v->events;
    fprintf(out, "<h3>Event counts of the %d highest-scoring anomalous blocks</h3>\n", ms->top.n);
    if (ms->top.n == 0) {
        fputs("<p class=\"note\">No anomalous block.</p>\n", out);
        return;
    }
    int cols[LAD__HEAT_COLUMNS];
    int n_cols = lad__heat_columns(&ms->top, cols);
    fprintf(out, "<p class=\"note\">Lines of each of the model's events in each block (the Observed counts of "
                 "anomalies_explained.csv), highest score first (ties: lower block id); shading is logarithmic. "
                 "%s</p>\n",
            n_cols == LAD__HEAT_COLUMNS ? "Only the events counted most in these blocks are shown."
                                        : "Events absent from all of these blocks are left out.");
    lad__svg_heatmap(out, &ms->top, cols, n_cols, ev, (int)in->f->session_kind);
    fputs("<table class=\"legend\">\n", out);
    for (int k = 0; k < n_cols; k++) {
        fputs("<tr><td><code>", out);
        lad__html_text(out, ev->ids[cols[k]]);
        fputs("</code></td><td class=\"tpl\">", out);
        lad__html_text(out, ev->templates[cols[k]]);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void write_model(FILE *out, const struct lad_report_input *in, int i, const struct model_stats *ms)
{
    const struct lad_verdicts *v = &in->verdicts[i];
    const struct lad_metrics *m = in->metrics ? &in->metrics[i] : NULL;
    fprintf(out, "<h2 id=\"model-%s\">Model: %s</h2>\n<h3>Scores against the threshold</h3>\n", v->detector->name,
            v->detector->name);
    fprintf(out, "<p class=\"note\">Blocks above the threshold (dashed) are flagged: %lld of %lld.%s", (long long)ms->anomalies,
            (long long)in->f->n_global, in->label ? " Bars are split by the labels." : "");
    if (ms->hist.not_finite)
        fprintf(out, " %lld scores are not numbers and are left out.", (long long)ms->hist.not_finite);
    fputs("</p>\n", out);
    lad__svg_histogram(out, &ms->hist, in->label != NULL);
    if (m != NULL) {
        fputs("<h3>Precision, recall and the confusion matrix</h3>\n<div class=\"plots\">\n", out);
        lad__svg_pr_curve(out, &ms->hist, m);
        lad__svg_confusion(out, m);
        fprintf(out, "</div>\n<p class=\"note\">The curve lowers the threshold one bin edge at a time (%d bins "
                     "over the score axis above), so it is exact at the edges only; the dot and the matrix are the "
                     "model's own threshold. %lld blocks without a label are left out.</p>\n",
                LAD__FINE_BINS, (long long)m->unlabelled);
    }
    write_top_events(out, v, ms);
    write_heatmap(out, in, v, ms);
}

static void write_run_section(FILE *out, struct lad_ctx *ctx, const struct lad_report_input *in,
                              const struct lad__rank_table *rt)
{
    const struct lad_options *o = in->o;
    char when[64] = "?", cwd[PATH_MAX];
    time_t now = time(NULL);
    struct tm tm;
    if (gmtime_r(&now, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    fputs(LAD_REPORT_RUN_BEGIN "\n<h2 id=\"run\">This run</h2>\n<p class=\"note\">Everything above follows from "
          "the input and the models; this section alone changes from run to run.</p>\n<table>\n",
          out);
    row_text(out, "command", lad_command_name(o->command));
    fprintf(out, "<tr><th>ranks &times; threads</th><td>%d &times; %d (threads from %s)</td></tr>\n", ctx->size,
            ctx->nthreads, lad_ctx_threads_source(o));
    row_text(out, "Slurm job", getenv("SLURM_JOB_ID"));
    row_text(out, "nodes", getenv("SLURM_JOB_NODELIST"));
    row_text(out, "working directory", getcwd(cwd, sizeof cwd));
    row_text(out, "events from", in->f->event_source);
    row_text(out, "features", o->features_path);
    row_text(out, "model file", o->model_in);
    row_text(out, "models written to", o->command == LAD_CMD_RUN ? (o->models_dir ? o->models_dir : "models") : NULL);
    row_text(out, "results in", o->out_path ? o->out_path : "results");
    row_text(out, "logad", LAD_VERSION);
    row_text(out, "written", when);
    fputs("</table>\n<h3>Phase times per rank</h3>\n<table class=\"phases\">\n<tr><th>phase</th><th>min (s)</th>"
          "<th>avg (s)</th><th>max (s)</th></tr>\n",
          out);
    for (int p = 0; p <= LAD_PHASE_COUNT; p++) {
        double mn = INFINITY, mx = 0, sum = 0;
        for (int r = 0; r < rt->size; r++) {
            double x = p < LAD_PHASE_COUNT ? rt->phase[(size_t)r * LAD_PHASE_COUNT + p] : rt->rss_mib[r];
            mn = fmin(mn, x);
            mx = fmax(mx, x);
            sum += x;
        }
        if (mx <= 0)
            continue;
        if (p < LAD_PHASE_COUNT)
            fprintf(out, "<tr><td>%s</td><td class=\"n\">%.4f</td><td class=\"n\">%.4f</td><td class=\"n\">%.4f"
                         "</td></tr>\n",
                    lad_phase_name(p), mn, sum / rt->size, mx);
        else
            fprintf(out, "<tr><td>peak RSS (MiB)</td><td class=\"n\">%.1f</td><td class=\"n\">%.1f</td><td "
                         "class=\"n\">%.1f</td></tr>\n",
                    mn, sum / rt->size, mx);
    }
    fputs("</table>\n", out);
    lad__svg_rank_bars(out, rt);
    fputs("<p class=\"note\">Times are each rank's phase timers when this report was written; the total is the "
          "command so far. Phases after it (writing metrics.json and the summary) are not included; the --summary "
          "JSON has the final times.</p>\n" LAD_REPORT_RUN_END "\n",
          out);
}

static void write_page(FILE *out, struct lad_ctx *ctx, const struct lad_report_input *in,
                       const struct model_stats *ms, const struct lad__rank_table *rt)
{
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>logad report: %lld "
                 "%s</title>\n<style>%s</style>\n</head>\n<body>\n<h1>logad report</h1>\n",
            (long long)in->f->n_global, in->f->session_kind == LAD_SESSION_BLOCK ? "blocks" : "windows", style);
    fputs("<p>Contents: <a href=\"#input\">input</a> &middot; <a href=\"#models\">models</a>", out);
    for (int i = 0; i < in->n_models; i++)
        fprintf(out, " &middot; <a href=\"#model-%s\">%s</a>", in->verdicts[i].detector->name, in->verdicts[i].detector->name);
    fputs(" &middot; <a href=\"#run\">this run</a></p>\n", out);
    write_input(out, in);
    write_models_table(out, in, ms);
    for (int i = 0; i < in->n_models; i++)
        write_model(out, in, i, &ms[i]);
    write_run_section(out, ctx, in, rt);
    fputs("</body>\n</html>\n", out);
}

enum lad_status lad_report_write(struct lad_ctx *ctx, const struct lad_report_input *in, const char *path)
{
    lad_timer_start(ctx, LAD_PHASE_REPORT);
    struct lad__rank_table rt;
    memset(&rt, 0, sizeof rt);
    struct model_stats *ms = lad_calloc_array((size_t)in->n_models, sizeof *ms);
    enum lad_status st = lad_status_agree(ctx, ms ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
    for (int i = 0; st == LAD_OK && i < in->n_models; i++) {
        const struct lad_verdicts *v = &in->verdicts[i];
        enum lad_score_axis axis = lad_detector_find(in->models[i].type)->score_axis;
        int n_events = v->events ? v->events->n : 0;
        ms[i].hits = lad_calloc_array((size_t)n_events + 1, sizeof *ms[i].hits);
        st = lad_status_agree(ctx, ms[i].hits ? LAD_OK : lad_fail(ctx, LAD_ERR_NOMEM, "out of memory"));
        if (st == LAD_OK)
            st = lad__hist_compute(ctx, v, in->label, axis, &ms[i].hist);
        if (st == LAD_OK)
            st = lad__event_hits(ctx, v, n_events, ms[i].hits);
        if (st == LAD_OK)
            st = lad__top_blocks_compute(ctx, in->f, v, in->label, &ms[i].top);
        if (st == LAD_OK)
            ms[i].anomalies = lad_verdicts_count_anomalies(ctx, v);
    }
    lad_timer_stop(ctx, LAD_PHASE_REPORT);
    if (st == LAD_OK)
        st = lad__rank_table_gather(ctx, &rt);
    lad_timer_start(ctx, LAD_PHASE_REPORT);
    if (st == LAD_OK && ctx->rank == 0) {
        struct lad_outfile out;
        st = lad_outfile_open(ctx, &out, path);
        if (st == LAD_OK) {
            write_page(out.fp, ctx, in, ms, &rt);
            st = lad_outfile_commit(ctx, &out);
        }
        if (st != LAD_OK)
            lad_outfile_abort(&out);
    }
    for (int i = 0; ms && i < in->n_models; i++) {
        lad_free(&ms[i].hits);
        lad__top_blocks_free(&ms[i].top);
    }
    free(ms);
    lad__rank_table_free(&rt);
    st = lad_status_agree(ctx, st);
    lad_timer_stop(ctx, LAD_PHASE_REPORT);
    return st;
}
