/*
 * lad_status.h - status codes, error recording and agreement across ranks.
 *
 * Every function that can fail returns an enum lad_status. The first failure on a rank is recorded in
 * its context with a one-line message (lad_fail); lad_status_agree then makes every rank see the worst
 * status and gives all ranks the message of the lowest failing rank, so that rank 0 can print it.
 */
#ifndef LAD_STATUS_H
#define LAD_STATUS_H

#include <stdarg.h>

struct lad_ctx;

enum lad_status {
    LAD_OK = 0,
    LAD_ERR_USAGE,    /* bad command line or option value */
    LAD_ERR_IO,       /* a file is missing, unreadable, or could not be written */
    LAD_ERR_INPUT,    /* input data that cannot be used (empty log, bad CSV, no line matches the format) */
    LAD_ERR_NOMEM,    /* an allocation failed */
    LAD_ERR_MPI,      /* an MPI or MPI-IO call failed */
    LAD_ERR_HDF5,     /* an HDF5 call failed */
    LAD_ERR_NUMERIC,  /* ScaLAPACK/LAPACK reported an error, or a solver did not converge */
    LAD_ERR_MODEL,    /* model file of another kind, version or dimension */
    LAD_ERR_LABELS,   /* labels that cannot be matched or parsed */
    LAD_ERR_INTERNAL, /* a broken invariant: a bug in logad */
    LAD_STATUS_COUNT
};

#define LAD_ERRMSG_MAX 512

/* Local. Name of a status ("io error", ...); never NULL. */
const char *lad_status_str(enum lad_status st);

/* Local. Process exit code for a status: 0 on success, 2 for usage errors, 1 otherwise. */
int lad_status_exit_code(enum lad_status st);

/*
 * Local. Records st and a printf-style message as this rank's error, unless one is already recorded
 * (the first failure is the root cause; later ones are usually its consequences). Returns st, so
 * callers can write `return lad_fail(ctx, LAD_ERR_IO, "cannot open %s", path);`.
 * ctx may be NULL (unit tests of pure functions); then only st is returned.
 */
enum lad_status lad_fail(struct lad_ctx *ctx, enum lad_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
enum lad_status lad_vfail(struct lad_ctx *ctx, enum lad_status st, const char *fmt, va_list ap);

/*
 * Collective. Every rank passes its local status; all ranks return the worst (largest) one. When it is
 * not LAD_OK, the message recorded by the lowest failing rank is copied into every rank's context, so
 * rank 0 can print one line that names the real cause. Call it before any collective that depends on
 * a local step having succeeded; it is the only way a local failure may change the collective path.
 */
enum lad_status lad_status_agree(struct lad_ctx *ctx, enum lad_status local);

#endif
