/*
 * lad_assign.h - the event assigner: what a model keeps so that detect gives every line of a new log
 * the event (and session) that training gave it, instead of re-matching template text.
 *
 * Mining is not a function of one line: Drain's clusters depend on the order of all keys, and the
 * refinement on all members of a cluster, so matching a mined template's text against a new line
 * does not reproduce what mining did (on Hadoop's 2k sample, 335 of 2000 lines matched nothing). The
 * assigner therefore stores:
 *   settings  the header format, the preset, the mask patterns and built-in mask kinds, the Drain
 *             settings and the window spec: a line gets the same message key as in training;
 *   keys      every masked key seen in training with its event: a seen key gets exactly its event;
 *   groups    the groups after the split (template, skeleton flags, event), for keys never seen.
 * A key never seen in training is assigned by one deterministic rule, the same on every rank:
 *   1. similarity  the group of the same token count with the highest Drain similarity (equal
 *                  constant tokens over tokens), ties to the one with more <*>, then the older one,
 *                  taken when the similarity reaches the model's st. Drain's prefix tree is not
 *                  stored; its effect is kept by requiring the first depth-3 tokens to be equal or
 *                  <*> in the group's template.
 *   2. skeleton    else the event whose constant skeleton (lad_refine.h) equals the key's, when it
 *                  has at least LAD_REFINE_MIN_SKELETON tokens: the refinement's merge rule.
 *   3. unknown     else the UNKNOWN column, the last of a mined model (LAD_EVENT_UNKNOWN_ID), so an
 *                  event type training never saw still counts toward its session's verdict.
 * Models trained with --templates keep template matching; their assigner holds only the settings
 * (format, preset, window), so detect splits lines and cuts sessions as training did.
 */
#ifndef LAD_ASSIGN_H
#define LAD_ASSIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lad_drain.h"
#include "lad_events.h"
#include "lad_keytab.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_options;

enum lad_assign_kind {
    LAD_ASSIGN_MINED = 1,    /* events mined: keys, groups and the UNKNOWN column */
    LAD_ASSIGN_TEMPLATES = 2 /* events from a template file: settings only */
};

/* How lad_assign_event found a key's event (the index of lad_assign_stats.lines). */
enum lad_assign_how { LAD_ASSIGN_SEEN = 0, LAD_ASSIGN_SIMILAR = 1, LAD_ASSIGN_SKELETON = 2, LAD_ASSIGN_UNKNOWN = 3 };

/* At most this many mask patterns (preset and --mask together). */
#define LAD_ASSIGN_MAX_MASKS 64

struct lad_assign_match; /* private: the groups' tokens and skeletons (assign_match.c) */

struct lad_assigner {
    int refs;                     /* owners (lad_assign_ref / lad_assign_free) */
    enum lad_assign_kind kind;
    char *preset;                 /* preset name the settings start from */
    char *log_format;             /* header format (the preset's or --log-format) */
    char *window;                 /* --window spec; NULL: HDFS block ids */
    int n_masks;
    char **masks;                 /* PCRE2 patterns in the order applied: the preset's, then --mask */
    unsigned builtin_masks;       /* enum lad_mask_kind bits */
    struct lad_drain_params drain;
    /* mined only */
    struct lad_events events;     /* the model's columns: the mined events, then UNKNOWN */
    struct lad_keytab keys;       /* every key seen in training; keys.event[id] is its event */
    int32_t n_groups;             /* groups after the split, in log order of first occurrence */
    char **group_template;
    char **group_flags;           /* 'k'/'d' per template token (lad_refine.h) */
    int32_t *group_event;
    size_t cap_groups;
    struct lad_assign_match *match; /* built by lad_assign_finish */
};

/* Lines by how their event was found, summed over all ranks. */
struct lad_assign_stats {
    int64_t lines[4]; /* indexed by enum lad_assign_how */
};

/*
 * Local. The settings of o (preset, --log-format, masks, --no-builtin-masks, --drain-*, --window)
 * as an assigner of `kind` with no keys yet (*out, one reference). An unknown preset or too many
 * masks is LAD_ERR_USAGE.
 */
enum lad_status lad_assign_create(struct lad_ctx *ctx, const struct lad_options *o, enum lad_assign_kind kind,
                                  struct lad_assigner **out);

/* Local. An empty assigner (one reference) for a reader to fill. */
enum lad_status lad_assign_new(struct lad_ctx *ctx, struct lad_assigner **out);

/* Local. One more owner; returns a. */
struct lad_assigner *lad_assign_ref(struct lad_assigner *a);

/* Local. Drops one reference and NULLs *a; frees on the last. Safe on NULL. */
void lad_assign_free(struct lad_assigner **a);

/*
 * Local. detect with a model's assigner: any parsing option the command gives (--preset,
 * --log-format, --mask, --no-builtin-masks, --drain-*, --window) must equal the model's, since events
 * are only comparable when lines are keyed and cut into sessions alike; --labels cannot label the
 * windows of a window model. LAD_ERR_USAGE naming the option and both values otherwise.
 */
enum lad_status lad_assign_check_options(struct lad_ctx *ctx, const struct lad_assigner *a,
                                         const struct lad_options *o);

/* Local. Appends a group after the split (mining, on rank 0; a reader). LAD_ERR_NOMEM. */
enum lad_status lad_assign_add_group(struct lad_ctx *ctx, struct lad_assigner *a, const char *tpl,
                                     const char *flags, int32_t event);

/* Local. Appends a trained key; a key given twice is LAD_ERR_MODEL (a reader's check). */
enum lad_status lad_assign_add_key(struct lad_ctx *ctx, struct lad_assigner *a, const char *text, uint32_t len,
                                   int32_t event);

/*
 * Collective. Completes a mined assigner after lad_mine_events: every owner rank's keys (owned, their
 * events in owned_event) are gathered on rank 0, sorted by text, and broadcast with rank 0's groups,
 * so every rank holds the same assigner whatever the rank count; a->events becomes `events` plus
 * UNKNOWN. Then lad_assign_finish.
 */
enum lad_status lad_assign_collect(struct lad_ctx *ctx, struct lad_assigner *a, const struct lad_keytab *owned,
                                   const int32_t *owned_event, const struct lad_events *events);

/*
 * Local. Checks a mined assigner (every key and group names an event below UNKNOWN, flags match
 * their templates, UNKNOWN is the last event) and builds the tables unseen keys are matched with.
 * A failed check is LAD_ERR_MODEL, naming `where` (the file).
 */
enum lad_status lad_assign_finish(struct lad_ctx *ctx, struct lad_assigner *a, const char *where);

/*
 * Local, thread-safe after lad_assign_finish. The event of mining key s[0, n) (hash: lad_hash_bytes
 * with LAD_KEYTAB_SEED) by the rule above; *how says which step found it. -1 only on allocation failure.
 */
int32_t lad_assign_event(const struct lad_assigner *a, const char *s, size_t n, uint64_t hash,
                         enum lad_assign_how *how);

/*
 * Collective. Detect's event resolution with a mined assigner: events becomes a copy of a->events
 * (identical on every rank), keys->event[id] is set for this rank's keys, events->lines gets global
 * line counts and *stats the lines by how they were assigned.
 */
enum lad_status lad_assign_resolve(struct lad_ctx *ctx, const struct lad_assigner *a, struct lad_keytab *keys,
                                   struct lad_events *events, struct lad_assign_stats *stats);

#endif
