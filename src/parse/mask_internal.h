/* mask_internal.h - the built-in token scanner of mask.c, in masktoken.c. Local. */
#ifndef LAD_MASK_INTERNAL_H
#define LAD_MASK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

/* Character classes of the scanner, by byte; mask.c uses LAD__MASK_SPACE (ASCII whitespace, as
 * Python's str.split() sees it). */
enum { LAD__MASK_SPACE = 8, LAD__MASK_PATH_END = 16 };
extern const unsigned char lad__mask_class[256];

/* Masks the variables of the kinds `kinds` (enum lad_mask_kind) in one token s[0, n) into out (room
 * for 3n bytes: a variable is at least one byte); returns the bytes written, and in *variable whether
 * the result is a variable as a whole (lad_mask_token_is_variable). */
size_t lad__mask_token(const char *s, size_t n, unsigned kinds, char *out, bool *variable);

/* Pass 2 of lad_mask_apply (maskpass.c): the key of s[0, n) under the built-in kinds `kinds` (a mask
 * of enum lad_mask_kind), at most cap bytes; SIZE_MAX when out of memory. With `guard`, s has not
 * been through the built-in patterns: it stops with *unsure set at the first token where one of them
 * may match (lad__mask_may_match_*), and the caller must run pass 1 and call again. */
size_t lad__mask_tokens(unsigned kinds, bool guard, const char *s, size_t n, char *out, size_t cap, bool *unsure);

/* Prefilters of the built-in patterns (mask.c): false when the date-time (LAD_MASK_TIME) or the UUID
 * pattern (LAD_MASK_HEX) cannot match s[0, n). */
bool lad__mask_may_match_time(const char *s, size_t n);
bool lad__mask_may_match_uuid(const char *s, size_t n);

/* Whether token t[0, n) is a size unit written as a word of its own after a number ("KB", "MB),"). */
bool lad__mask_size_unit(const char *t, size_t n);

#endif
