/* log.c - rank 0 talks; other ranks only with a [rank N] tag. */
#include "lad_log.h"

#include <mpi.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lad_ctx.h"

void lad_log(const struct lad_ctx *ctx, enum lad_log_level level, const char *fmt, ...)
{
    if (ctx->rank != 0 || ctx->log_level < (int)level)
        return;
    FILE *out = level <= LAD_LOG_WARN ? stderr : stdout;
    /* One write per line: mpirun forwards stdout and stderr separately, and a line written in pieces
     * can come out split by the other stream's text. */
    char line[2048];
    int n = snprintf(line, sizeof line, "%s", level <= LAD_LOG_WARN ? "logad: warning: " : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    strcat(line, "\n");
    fputs(line, out);
    fflush(out);
}

void lad_log_rank(const struct lad_ctx *ctx, enum lad_log_level level, const char *fmt, ...)
{
    if (ctx->log_level < (int)level)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One fprintf per line keeps lines from different ranks from interleaving mid-line. */
    fprintf(stderr, "[rank %d] %s\n", ctx->rank, line);
    fflush(stderr);
}

void lad_progress_begin(const struct lad_ctx *ctx, struct lad_progress *p, const char *what, long long total)
{
    (void)ctx;
    p->what = what;
    p->t_start = MPI_Wtime();
    p->t_last = p->t_start;
    p->total = total;
}

void lad_progress_update(const struct lad_ctx *ctx, struct lad_progress *p, long long done)
{
    if (ctx->rank != 0 || ctx->progress_seconds <= 0 || ctx->log_level < LAD_LOG_INFO)
        return;
    double now = MPI_Wtime();
    if (now - p->t_last < ctx->progress_seconds)
        return;
    p->t_last = now;
    double frac = p->total > 0 ? (double)done / (double)p->total : 0.0;
    double rate = (double)done / (now - p->t_start);
    double eta = (frac > 0 && frac < 1) ? (now - p->t_start) * (1.0 - frac) / frac : 0.0;
    lad_log(ctx, LAD_LOG_INFO, "  %s: %5.1f%% of rank 0's share, %.1f MB/s, about %.0f s left", p->what,
            100.0 * frac, rate / 1e6, eta);
}
