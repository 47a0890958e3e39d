/*
 * lad_timer.h - per-phase wall-clock timers and the peak resident set size, reported as min/avg/max
 * over ranks.
 */
#ifndef LAD_TIMER_H
#define LAD_TIMER_H

#include <stdbool.h>
#include <stdio.h>

enum lad_phase {
    LAD_PHASE_INPUTS,    /* resolving and opening the input files */
    LAD_PHASE_READ,      /* waiting for MPI-IO reads (reads overlap parsing) */
    LAD_PHASE_PARSE,     /* header split, masking, template match, block ids (OpenMP) */
    LAD_PHASE_EVENTS,    /* resolving message keys to events: template match or mining */
    LAD_PHASE_SHUFFLE,   /* moving per-block counts to their owner ranks */
    LAD_PHASE_ORDER,     /* global block order and the row-block layout */
    LAD_PHASE_WRITE,     /* writing HDF5 / CSV outputs */
    LAD_PHASE_LOAD,      /* reading features or models from HDF5, and labels */
    LAD_PHASE_TRANSFORM, /* feature transform (TF-IDF, centering) */
    LAD_PHASE_TRAIN,     /* model fitting (ScaLAPACK, Newton) */
    LAD_PHASE_SCORE,     /* scoring every block */
    LAD_PHASE_GATHER,    /* writing the verdict files (each rank its rows; named "gather" for scripts) */
    LAD_PHASE_SYNTH,     /* generating a synthetic log */
    LAD_PHASE_REPORT,    /* the statistics and plots of report.html */
    LAD_PHASE_TOTAL,     /* the whole command */
    LAD_PHASE_COUNT
};

struct lad_timers {
    double start[LAD_PHASE_COUNT];   /* start time of a running phase */
    bool running[LAD_PHASE_COUNT];   /* (Open MPI's MPI_Wtime starts at 0, so start cannot say it) */
    double elapsed[LAD_PHASE_COUNT]; /* accumulated seconds */
};

/* What lad_timer_report reduced, on rank 0. */
struct lad_timer_stats {
    double min[LAD_PHASE_COUNT];
    double avg[LAD_PHASE_COUNT];
    double max[LAD_PHASE_COUNT];
    double rss_min_mib, rss_avg_mib, rss_max_mib; /* peak RSS (getrusage ru_maxrss) over ranks */
};

struct lad_ctx;

/* Local. Name of a phase as printed in the timing table. */
const char *lad_phase_name(enum lad_phase phase);

/* Local. Start / stop accumulating wall time for a phase on this rank. */
void lad_timer_start(struct lad_ctx *ctx, enum lad_phase phase);
void lad_timer_stop(struct lad_ctx *ctx, enum lad_phase phase);

/* Local. Seconds accumulated so far by this rank for a phase. */
double lad_timer_elapsed(const struct lad_ctx *ctx, enum lad_phase phase);

/* Local. Seconds of every phase so far, a running phase counted up to now (LAD_PHASE_COUNT values). */
void lad_timer_snapshot(const struct lad_ctx *ctx, double *elapsed);

/* Local. This process's peak resident set size so far, in MiB (0 if unknown). */
double lad_peak_rss_mib(void);

/*
 * Collective. Reduces every phase that ran on any rank, and the peak RSS, to min/avg/max and, on rank
 * 0, prints a table to out (phases that never ran are left out; out may be NULL). Fills stats on rank
 * 0 when it is non-NULL, for the JSON summary.
 */
void lad_timer_report(struct lad_ctx *ctx, FILE *out, struct lad_timer_stats *stats);

#endif
