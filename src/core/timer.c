/* timer.c - phase timers and peak memory, reduced to min/avg/max over ranks (CoMD performanceTimers). */
#include "lad_timer.h"

#include <mpi.h>
#include <sys/resource.h>

#include "lad_ctx.h"

static const char *const phase_names[LAD_PHASE_COUNT] = {
    [LAD_PHASE_INPUTS] = "inputs",     [LAD_PHASE_READ] = "read (wait)", [LAD_PHASE_PARSE] = "parse",
    [LAD_PHASE_EVENTS] = "events",     [LAD_PHASE_SHUFFLE] = "shuffle",  [LAD_PHASE_ORDER] = "order",
    [LAD_PHASE_WRITE] = "write",       [LAD_PHASE_LOAD] = "load",        [LAD_PHASE_TRANSFORM] = "transform",
    [LAD_PHASE_TRAIN] = "train",       [LAD_PHASE_SCORE] = "score",      [LAD_PHASE_GATHER] = "gather",
    [LAD_PHASE_SYNTH] = "synth",       [LAD_PHASE_REPORT] = "report",    [LAD_PHASE_TOTAL] = "total",
};

const char *lad_phase_name(enum lad_phase phase)
{
    return (phase >= 0 && phase < LAD_PHASE_COUNT) ? phase_names[phase] : "?";
}

void lad_timer_start(struct lad_ctx *ctx, enum lad_phase phase)
{
    ctx->timers.start[phase] = MPI_Wtime();
    ctx->timers.running[phase] = true;
}

void lad_timer_stop(struct lad_ctx *ctx, enum lad_phase phase)
{
    if (ctx->timers.running[phase]) {
        ctx->timers.elapsed[phase] += MPI_Wtime() - ctx->timers.start[phase];
        ctx->timers.running[phase] = false;
    }
}

double lad_timer_elapsed(const struct lad_ctx *ctx, enum lad_phase phase)
{
    return ctx->timers.elapsed[phase];
}

void lad_timer_snapshot(const struct lad_ctx *ctx, double *elapsed)
{
    double now = MPI_Wtime();
    for (int p = 0; p < LAD_PHASE_COUNT; p++)
        elapsed[p] = ctx->timers.elapsed[p] + (ctx->timers.running[p] ? now - ctx->timers.start[p] : 0.0);
}

double lad_peak_rss_mib(void)
{
    /* Linux reports ru_maxrss in KiB: the high-water mark of the resident set, whatever freed since. */
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0.0;
    return (double)ru.ru_maxrss / 1024.0;
}

void lad_timer_report(struct lad_ctx *ctx, FILE *out, struct lad_timer_stats *stats)
{
    /* The peak RSS rides along as one more column of the reductions. */
    double mine[LAD_PHASE_COUNT + 1], mn[LAD_PHASE_COUNT + 1], mx[LAD_PHASE_COUNT + 1], sum[LAD_PHASE_COUNT + 1];
    for (int p = 0; p < LAD_PHASE_COUNT; p++)
        mine[p] = ctx->timers.elapsed[p];
    mine[LAD_PHASE_COUNT] = lad_peak_rss_mib();
    MPI_Reduce(mine, mn, LAD_PHASE_COUNT + 1, MPI_DOUBLE, MPI_MIN, 0, ctx->comm);
    MPI_Reduce(mine, mx, LAD_PHASE_COUNT + 1, MPI_DOUBLE, MPI_MAX, 0, ctx->comm);
    MPI_Reduce(mine, sum, LAD_PHASE_COUNT + 1, MPI_DOUBLE, MPI_SUM, 0, ctx->comm);
    if (ctx->rank != 0)
        return;
    if (stats) {
        for (int p = 0; p < LAD_PHASE_COUNT; p++) {
            stats->min[p] = mn[p];
            stats->avg[p] = sum[p] / ctx->size;
            stats->max[p] = mx[p];
        }
        stats->rss_min_mib = mn[LAD_PHASE_COUNT];
        stats->rss_avg_mib = sum[LAD_PHASE_COUNT] / ctx->size;
        stats->rss_max_mib = mx[LAD_PHASE_COUNT];
    }
    if (out == NULL)
        return;
    fprintf(out, "%-14s %10s %10s %10s\n", "phase", "min (s)", "avg (s)", "max (s)");
    for (int p = 0; p < LAD_PHASE_COUNT; p++) {
        if (mx[p] <= 0)
            continue;
        fprintf(out, "%-14s %10.4f %10.4f %10.4f\n", phase_names[p], mn[p], sum[p] / ctx->size, mx[p]);
    }
    fprintf(out, "%-14s %10.1f %10.1f %10.1f\n", "peak RSS (MiB)", mn[LAD_PHASE_COUNT],
            sum[LAD_PHASE_COUNT] / ctx->size, mx[LAD_PHASE_COUNT]);
    fflush(out);
}
