/*
 * lad_summary.h - the JSON run summary (--summary FILE.json): how the command ended, the configuration
 * echoed, the batch job and rank placement, the outputs written, what each stage counted, and peak
 * memory and phase timings as min/avg/max over ranks (IOR's summaryFormat, CoMD's YAML).
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

/*
 * Collective (rank 0 writes o->summary_path atomically; ts is lad_timer_report's result on rank 0).
 * run_status is how the command ended: "status" is "ok" or "failed", with the exit code and the
 * agreed error message, so a failed run leaves its summary too. Besides the configuration it records
 * the Slurm job (ids, nodes, tasks, CPUs per task), where the ranks ran (hosts, CPUs each rank may
 * use), the outputs committed, the results the stages added, peak RSS and phase times over ranks.
 */
enum lad_status lad_summary_write(struct lad_ctx *ctx, const struct lad_options *o, const struct lad_timer_stats *ts,
                                  enum lad_status run_status);

/* Local. Writes s as a JSON string literal (quoted, escaped). */
void lad_json_string(FILE *out, const char *s);

#endif
