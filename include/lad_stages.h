/*
 * lad_stages.h - the user-visible stages. Each is collective over ctx->comm and orchestrates the
 * modules below it; lad_run dispatches on the command, on any communicator (IOR's ior_run).
 */
#ifndef LAD_STAGES_H
#define LAD_STAGES_H

#include "lad_status.h"

struct lad_ctx;
struct lad_options;

enum lad_status lad_stage_preprocess(struct lad_ctx *ctx, const struct lad_options *o);
enum lad_status lad_stage_features(struct lad_ctx *ctx, const struct lad_options *o);
enum lad_status lad_stage_train(struct lad_ctx *ctx, const struct lad_options *o);
enum lad_status lad_stage_detect(struct lad_ctx *ctx, const struct lad_options *o);
enum lad_status lad_stage_run(struct lad_ctx *ctx, const struct lad_options *o);
enum lad_status lad_stage_synth(struct lad_ctx *ctx, const struct lad_options *o);
enum lad_status lad_stage_parse_eval(struct lad_ctx *ctx, const struct lad_options *o);

struct lad_timer_stats;

/* Collective. Runs o->command, then prints the phase-time table on rank 0 and returns the reduced
 * timings in *ts (rank 0), for the run summary the caller writes once the outputs are settled. */
enum lad_status lad_run(struct lad_ctx *ctx, const struct lad_options *o, struct lad_timer_stats *ts);

#endif
