/* synth.c - the synth stage: labelled sessions -> a synthetic raw HDFS log and its labels. */
#include "lad_ctx.h"
#include "lad_log.h"
#include "lad_options.h"
#include "lad_stages.h"
#include "lad_summary.h"
#include "lad_synth.h"

static void report(struct lad_ctx *ctx, const struct lad_options *o, const struct lad_synth_plan *p,
                   const struct lad_synth_report *r)
{
    double mb = (double)(r->log_bytes + r->label_bytes) / 1e6;
    double rate = r->seconds > 0 ? mb / r->seconds : 0.0;
    lad_log(ctx, LAD_LOG_INFO, "synth: wrote %s (%lld lines, %.1f MB) and %s (%lld blocks: %lld normal, %lld anomalous)",
            o->out_path, (long long)r->lines, (double)r->log_bytes / 1e6, o->labels_out, (long long)p->n_blocks,
            (long long)p->n_normal, (long long)p->n_anomaly);
    lad_log(ctx, LAD_LOG_INFO, "synth: %.2f s, %.1f MB/s on %d rank(s) x %d thread(s)", r->seconds, rate, ctx->size,
            ctx->nthreads);
    lad_summary_add_i64(ctx, "blocks", p->n_blocks);
    lad_summary_add_i64(ctx, "normal_blocks", p->n_normal);
    lad_summary_add_i64(ctx, "anomalous_blocks", p->n_anomaly);
    lad_summary_add_i64(ctx, "lines", r->lines);
    lad_summary_add_i64(ctx, "log_bytes", r->log_bytes);
    lad_summary_add_i64(ctx, "label_bytes", r->label_bytes);
    lad_summary_add_i64(ctx, "synth_windows", r->chunks);
    lad_summary_add_f64(ctx, "synth_seconds", r->seconds);
    lad_summary_add_f64(ctx, "synth_mb_per_s", rate);
}

enum lad_status lad_stage_synth(struct lad_ctx *ctx, const struct lad_options *o)
{
    struct lad_sessions s;
    enum lad_status st = lad_sessions_load(ctx, o->sessions_path, &s);
    if (st != LAD_OK)
        return st;
    struct lad_synth_plan p;
    st = lad_status_agree(ctx, lad_synth_plan_init(ctx, &s, o->synth_normal, o->synth_anomalies, o->synth_rate,
                                                   o->seed, &p));
    if (st == LAD_OK) {
        lad_log(ctx, LAD_LOG_INFO,
                "synth: %lld blocks (%lld normal, %lld anomalous: %.2f%%) from %lld sessions of %s, seed %llu, "
                "%g blocks/s over %lld s of log time",
                (long long)p.n_blocks, (long long)p.n_normal, (long long)p.n_anomaly,
                100.0 * (double)p.n_anomaly / (double)p.n_blocks, (long long)s.n, o->sessions_path,
                (unsigned long long)p.seed, p.rate, (long long)p.span);
        struct lad_synth_report r;
        lad_timer_start(ctx, LAD_PHASE_SYNTH);
        st = lad_synth_write(ctx, &p, o->out_path, o->labels_out, &r);
        lad_timer_stop(ctx, LAD_PHASE_SYNTH);
        if (st == LAD_OK)
            report(ctx, o, &p, &r);
    }
    lad_sessions_free(&s);
    return st;
}
