/*
 * lad_refine.h - the second grouping stage of template mining, after Drain (lad_drain.h).
 *
 * Drain's similarity counts equal tokens, so two messages that differ only in one or two constant
 * words ("VM Started" / "VM Paused", "LOOKING" / "LEADING") share a cluster; and it only compares
 * messages of one length, so a message whose variable part spans a varying number of tokens ("bytes
 * sent" / "bytes (1.2 KB) sent", a list of host names) gets one cluster per length. Two steps correct
 * this, in the spirit of frequency-based constant detection (Brain, IEEE TSC 2023) and of
 * longest-common-pattern grouping:
 *
 *   split  within each Drain cluster, a position where the messages hold only a few distinct
 *          constant words (at most LAD_REFINE_MAX_WORDS, no digit, no <*>) selects among fixed
 *          alternatives written in the program, so the cluster is split by those words. A variable
 *          slot (a user, a host, a file) takes many values as the log grows, and values with digits
 *          are variables as Drain already treats them.
 *   merge  groups whose constant skeletons are equal - the tokens left after dropping the positions
 *          that are variables in every message, and runs of two or more positions holding only
 *          variables or words with digits (a list of names) - are one event whatever their lengths.
 *
 * Split runs on the keys of one token count (what one mining owner holds), merge on the list of all
 * groups; both depend only on their input and its order, never on ranks or threads.
 */
#ifndef LAD_REFINE_H
#define LAD_REFINE_H

#include <stdbool.h>
#include <stdint.h>

#include "lad_status.h"

struct lad_ctx;

/* Most distinct words a position may hold and still be read as a choice among constants. */
#define LAD_REFINE_MAX_WORDS 4

/* Groups after the split: each key's group, and each group's template and skeleton flags. */
struct lad_refine {
    int32_t n_groups;
    int32_t *group;   /* per key, in the order given; groups are numbered by their first key */
    char **templates; /* per group: member tokens where all agree, else <*>; joined by one space */
    char **flags;     /* per group: one character per template token, 'k' kept in the skeleton, 'd' dropped */
};

/*
 * Local. Splits Drain's clusters: keys[i] (tokens separated by single spaces, key_len[i] bytes) is in
 * Drain cluster cluster[i]; keys come in log order (first occurrence) and every key of a cluster has
 * its cluster's token count. Fills *out (free with lad_refine_free). LAD_ERR_NOMEM on allocation
 * failure, LAD_ERR_INTERNAL if a cluster mixes token counts.
 */
enum lad_status lad_refine_split(struct lad_ctx *ctx, int32_t n_keys, const char *const *keys, const uint32_t *key_len,
                                 const int32_t *cluster, int32_t n_clusters, struct lad_refine *out);
void lad_refine_free(struct lad_refine *r);

/*
 * Local. Merges groups with equal skeletons: group i (in the order given, normally log order of first
 * occurrence) has template templates[i] and skeleton flags flags[i] (as lad_refine_split gives them).
 * Sets event[i] to its event (0, 1, ... in order of first member) and *n_events; event_templates
 * (allocated, n_events strings; free each and the array) keeps the skeleton and, between skeleton
 * tokens, the members' text where they all agree, else one <*>.
 */
enum lad_status lad_refine_merge(struct lad_ctx *ctx, int32_t n, const char *const *templates,
                                 const char *const *flags, int32_t *event, int32_t *n_events,
                                 char ***event_templates);

/* Fewest kept tokens for a skeleton to join groups (fewer: too little evidence of one statement). */
#define LAD_REFINE_MIN_SKELETON 2

/*
 * Local. The skeleton of a template with its flags: the kept tokens joined by one space, written
 * NUL-terminated into b (reset first); *n_kept gets their number. False on allocation failure.
 */
struct lad_buf;
bool lad_refine_skeleton(const char *tpl, const char *flags, struct lad_buf *b, int32_t *n_kept);

/*
 * Local. The skeleton flags of one key (NUL-terminated, tokens separated by single spaces) taken as a
 * group of its own, as the split gives a group of one member, into flags (cap bytes, NUL-terminated).
 * Returns the number of tokens, or -1 when cap is too small or memory runs out.
 */
int32_t lad_refine_key_flags(const char *key, char *flags, int32_t cap);

#endif
