/* timer.c - phase timers reduced to min/avg/max over ranks (CoMD performanceTimers). */
#include "lad_timer.h"

#include <mpi.h>

#include "lad_ctx.h"

static const char *const phase_names[LAD_PHASE_COUNT] = {
    [LAD_PHASE_INPUTS] = "inputs",     [LAD_PHASE_READ] = "read (wait)", [LAD_PHASE_PARSE] = "parse",
    [LAD_PHASE_EVENTS] = "events",     [LAD_PHASE_SHUFFLE] = "shuffle",  [LAD_PHASE_ORDER] = "order",
    [LAD_PHASE_WRITE] = "write",       [LAD_PHASE_LOAD] = "load",        [LAD_PHASE_TRANSFORM] = "transform",
    [LAD_PHASE_TRAIN] = "train",       [LAD_PHASE_SCORE] = "score",      [LAD_PHASE_GATHER] = "gather",
    [LAD_PHASE_SYNTH] = "synth",       [LAD_PHASE_TOTAL] = "total",
};

const char *lad_phase_name(enum lad_phase phase)
{
    return (phase >= 0 && phase < LAD_PHASE_COUNT) ? phase_names[phase] : "?";
}

void lad_timer_start(struct lad_ctx *ctx, enum lad_phase phase)
{
    ctx->timers.start[phase] = MPI_Wtime();
}

void lad_timer_stop(struct lad_ctx *ctx, enum lad_phase phase)
{
    if (ctx->timers.start[phase] > 0) {
        ctx->timers.elapsed[phase] += MPI_Wtime() - ctx->timers.start[phase];
        ctx->timers.start[phase] = 0;
    }
}

double lad_timer_elapsed(const struct lad_ctx *ctx, enum lad_phase phase)
{
    return ctx->timers.elapsed[phase];
}

void lad_timer_report(struct lad_ctx *ctx, FILE *out, double *min_out, double *avg_out, double *max_out)
{
    double mn[LAD_PHASE_COUNT], mx[LAD_PHASE_COUNT], sum[LAD_PHASE_COUNT];
    MPI_Reduce(ctx->timers.elapsed, mn, LAD_PHASE_COUNT, MPI_DOUBLE, MPI_MIN, 0, ctx->comm);
    MPI_Reduce(ctx->timers.elapsed, mx, LAD_PHASE_COUNT, MPI_DOUBLE, MPI_MAX, 0, ctx->comm);
    MPI_Reduce(ctx->timers.elapsed, sum, LAD_PHASE_COUNT, MPI_DOUBLE, MPI_SUM, 0, ctx->comm);
    if (ctx->rank != 0)
        return;
    for (int p = 0; p < LAD_PHASE_COUNT; p++) {
        if (min_out) min_out[p] = mn[p];
        if (avg_out) avg_out[p] = sum[p] / ctx->size;
        if (max_out) max_out[p] = mx[p];
    }
    if (out == NULL)
        return;
    fprintf(out, "%-14s %10s %10s %10s\n", "phase", "min (s)", "avg (s)", "max (s)");
    for (int p = 0; p < LAD_PHASE_COUNT; p++) {
        if (mx[p] <= 0)
            continue;
        fprintf(out, "%-14s %10.4f %10.4f %10.4f\n", phase_names[p], mn[p], sum[p] / ctx->size, mx[p]);
    }
    fflush(out);
}
