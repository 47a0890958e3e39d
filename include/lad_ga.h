/*
 * lad_ga.h - grouping accuracy (GA) of a log parser, as the logparser benchmark defines it.
 *
 * A line is parsed correctly when the set of lines its parser put in the same group is exactly the set
 * of lines that share its ground-truth event; GA = correct lines / evaluated lines. Lines without a
 * ground-truth event are left out entirely (logparser drops them from both sides); a line without a
 * predicted group is in no group, so it and every line of its true event count as wrong.
 *
 * Parsing accuracy (PA, loghub-2.0's template-level measure) is the share of the same lines whose
 * parsed template is the ground-truth template. loghub-2.0 compares the template strings as written;
 * here both are compared after its first correction rule (DS: runs of whitespace are one space, the
 * ends trimmed), since a parser that splits on whitespace cannot reproduce the original spacing.
 *
 * Labels are dense small integers (lad_ga_labels maps strings to them). All functions are local.
 */
#ifndef LAD_GA_H
#define LAD_GA_H

#include <stdbool.h>
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

/* Local. Whether templates a and b are equal after the DS rule (see above). */
bool lad_pa_same_template(const char *a, const char *b);

/*
 * Local. Lines i with truth_label[i] >= 0 (a ground-truth event) whose parsed[i] template is truth[i]
 * (lad_pa_same_template); a NULL template is never equal.
 */
int64_t lad_pa_count(const char *const *truth, const char *const *parsed, const int32_t *truth_label, int64_t n);

#endif
