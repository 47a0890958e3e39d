/*
 * lad_mine.h - mining event templates from the distinct keys of all ranks, in parallel.
 *
 * Drain only ever compares messages with the same number of tokens, so keys are sent to an owner rank
 * by token count; each owner runs Drain on its keys in global first-seen order and splits its
 * clusters on constant words (lad_refine.h); rank 0 merges the groups of all owners whose constant
 * skeletons are equal. The result depends only on the set of distinct keys and where each was first
 * seen, so templates and event assignment are the same for any number of ranks and threads.
 */
#ifndef LAD_MINE_H
#define LAD_MINE_H

#include "lad_drain.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_keytab;
struct lad_events;
struct lad_assigner;

/*
 * Collective. Resolves every key of this rank's table: sets keys->event[id] to an index of the event
 * table, which it fills identically on every rank (ids "M1", "M2", ... in order of first occurrence
 * in the input; templates with <*>). Also fills events->lines with global line counts. When a is not
 * NULL (a LAD_ASSIGN_MINED assigner with no keys yet), it receives every distinct key with its event
 * and the groups after the split (lad_assign_collect), identically on every rank.
 */
enum lad_status lad_mine_events(struct lad_ctx *ctx, struct lad_keytab *keys, const struct lad_drain_params *p,
                                struct lad_events *events, struct lad_assigner *a);

#endif
