/*
 * lad_template.h - event templates with <*> wildcards, and matching a message against them.
 *
 * A template is literal text with `<*>` standing for any (possibly empty) text, as in loghub's
 * *_templates.csv. A message matches when the literal pieces occur in order (anchored at the start or
 * end when the template does not begin or end with <*>). When several templates match, the one with
 * the most literal characters wins, then the one listed first: the most specific explanation.
 */
#ifndef LAD_TEMPLATE_H
#define LAD_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "lad_status.h"

struct lad_ctx;

struct lad_template {
    char *id;             /* EventId, e.g. "E5" */
    char *text;           /* EventTemplate, e.g. "<*>Receiving block<*>src:<*>dest:<*>" */
    int n_pieces;         /* literal pieces between wildcards */
    char **pieces;
    size_t *piece_len;
    bool anchored_start;  /* text does not begin with <*> */
    bool anchored_end;    /* text does not end with <*> */
    size_t n_literal;     /* total literal characters: the specificity */
};

struct lad_template_set {
    int n;
    struct lad_template *items; /* in file order */
    int *by_specificity;        /* indices, most literal characters first, ties in file order */
    bool digit_free;            /* no literal holds a digit: see lad_template_key */
};

/*
 * Collective. Rank 0 reads a loghub templates CSV (header `EventId,EventTemplate`, RFC 4180 quoting)
 * and broadcasts it; every rank compiles the same set. Errors (missing or unreadable file, no header,
 * a malformed row, an empty template, a duplicate EventId) are agreed and name the file and line.
 */
enum lad_status lad_template_set_load(struct lad_ctx *ctx, const char *path, struct lad_template_set *set);

/* Local. Builds a set from parallel arrays of ids and texts (e.g. a model's event table). */
enum lad_status lad_template_set_build(struct lad_ctx *ctx, int n, const char *const *ids,
                                       const char *const *texts, struct lad_template_set *set);

/* Local. Frees; safe on a zeroed set. */
void lad_template_set_free(struct lad_template_set *set);

/* Local, thread-safe. Index (file order) of the best template for s[0, n), or -1 if none matches. */
int lad_template_match(const struct lad_template_set *set, const char *s, size_t n);

/* Local. True if one template matches s (exposed for tests). */
bool lad_template_matches(const struct lad_template *t, const char *s, size_t n);

/*
 * Local, thread-safe. The cache key of a message for template matching: the message with every maximal
 * run of digits replaced by one 0x1F byte. When no template literal holds a digit (set->digit_free),
 * a message and its key match exactly the same templates (a digit-free literal can only occur inside
 * the non-digit stretches, which the key keeps), so matching can be done once per distinct key.
 * Writes at most cap bytes and returns the key length (cap >= n suffices).
 */
size_t lad_template_key(const char *s, size_t n, char *out, size_t cap);

#endif
