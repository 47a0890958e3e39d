/*
 * lad_ga.h - grouping accuracy (GA) of a log parser, as the logparser benchmark defines it.
 *
 * A line is parsed correctly when the set of lines its parser put in the same group is exactly the set
 * of lines that share its ground-truth event; GA = correct lines / evaluated lines. Lines without a
 * ground-truth event are left out entirely (logparser drops them from both sides); a line without a
 * predicted group is in no group, so it and every line of its true event count as wrong.
 *
 * Labels are dense small integers (lad_ga_labels maps strings to them). All functions are local.
 */
#ifndef LAD_GA_H
#define LAD_GA_H

#include <stddef.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;

struct lad_ga_result {
    int64_t lines;         /* lines evaluated (with a ground-truth event) */
    int64_t correct;       /* lines whose predicted group equals their true event */
    int64_t truth_events;  /* distinct ground-truth events among them */
    int64_t parsed_groups; /* distinct predicted groups among them */
    double accuracy;       /* correct / lines (1 when there are no lines) */
};

/*
 * Local. truth[i] and pred[i] label line i (0 <= label < n; -1 = none). Fills *out; LAD_ERR_NOMEM on
 * allocation failure.
 */
enum lad_status lad_ga_compute(struct lad_ctx *ctx, const int32_t *truth, const int32_t *pred, int64_t n,
                               struct lad_ga_result *out);

/*
 * Local. Dense labels for n strings: equal strings get equal labels, numbered in order of first
 * appearance; an empty string or NULL gets -1. labels has room for n entries.
 */
enum lad_status lad_ga_labels(struct lad_ctx *ctx, const char *const *names, int64_t n, int32_t *labels);

#endif
