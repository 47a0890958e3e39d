/*
 * lad_summary.h - the JSON run summary (--summary FILE.json): the configuration echoed, what each
 * stage counted, and the phase timings as min/avg/max over ranks (IOR's summaryFormat, CoMD's YAML).
 */
#ifndef LAD_SUMMARY_H
#define LAD_SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "lad_status.h"
#include "lad_timer.h"

struct lad_ctx;
struct lad_options;

/* Local (rank 0 keeps them, other ranks ignore): a member "key": value of the summary's "results". */
void lad_summary_add_i64(struct lad_ctx *ctx, const char *key, int64_t v);
void lad_summary_add_f64(struct lad_ctx *ctx, const char *key, double v);
void lad_summary_add_str(struct lad_ctx *ctx, const char *key, const char *v);

/* Collective (rank 0 writes o->summary_path atomically). mn/avg/mx are lad_timer_report's arrays. */
enum lad_status lad_summary_write(struct lad_ctx *ctx, const struct lad_options *o, const double *mn,
                                  const double *avg, const double *mx);

/* Local. Writes s as a JSON string literal (quoted, escaped). */
void lad_json_string(FILE *out, const char *s);

#endif
