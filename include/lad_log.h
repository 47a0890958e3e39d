/*
 * lad_log.h - leveled logging where rank 0 does the talking.
 *
 * lad_log prints only on rank 0 (stdout for info/progress, stderr for warnings). lad_log_rank prints
 * on whichever rank calls it, tagged "[rank N]", for facts only that rank knows (mfu's MFU_LOG).
 */
#ifndef LAD_LOG_H
#define LAD_LOG_H

struct lad_ctx;

enum lad_log_level {
    LAD_LOG_QUIET = 0,
    LAD_LOG_WARN = 1,
    LAD_LOG_INFO = 2,
    LAD_LOG_VERBOSE = 3,
    LAD_LOG_DEBUG = 4
};

/* Local, prints on rank 0 only when ctx->log_level >= level. Warnings go to stderr, the rest to stdout. */
void lad_log(const struct lad_ctx *ctx, enum lad_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Local, prints on the calling rank with a "[rank N]" tag, to stderr. */
void lad_log_rank(const struct lad_ctx *ctx, enum lad_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Progress of a long local loop, reported by rank 0 at most every ctx->progress_seconds. Rank 0 only
 * knows its own share, so it reports its own fraction done; ranks progress at about the same pace
 * because byte ranges are equal. Local; never communicates.
 */
struct lad_progress {
    const char *what;   /* e.g. "parsing" */
    double t_start;     /* MPI_Wtime at lad_progress_begin */
    double t_last;      /* time of the last report */
    long long total;    /* rank 0's units to do (bytes, sessions) */
};
void lad_progress_begin(const struct lad_ctx *ctx, struct lad_progress *p, const char *what, long long total);
void lad_progress_update(const struct lad_ctx *ctx, struct lad_progress *p, long long done);

#endif
