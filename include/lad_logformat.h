/*
 * lad_logformat.h - splitting a line's header into fields with a logparser-style format string.
 *
 * The notation is the logparser benchmark's: `<Field>` tokens with literal text between them, where a
 * run of spaces matches one or more whitespace characters, `\X` is a literal X and `(...)?` is an
 * optional group. Matching follows logparser's regex semantics (every field lazy, the whole line
 * anchored, the line stripped of surrounding whitespace first): earlier fields are as short as
 * possible, and <Content> takes the rest. The matcher is hand-written, with no regex engine per line,
 * and takes time linear in the line whatever its bytes (see logformat.c); a line that would need more
 * than a fixed number of steps per byte counts as not fitting.
 */
#ifndef LAD_LOGFORMAT_H
#define LAD_LOGFORMAT_H

#include <stdbool.h>
#include <stddef.h>

#include "lad_status.h"

#define LAD_LOGFORMAT_MAX_FIELDS 16

struct lad_ctx;
struct lad_logformat; /* compiled, immutable: share it between threads */

/* Where each field lies in the matched line. */
struct lad_header {
    int n_fields;
    const char *start[LAD_LOGFORMAT_MAX_FIELDS];
    size_t len[LAD_LOGFORMAT_MAX_FIELDS];
};

/*
 * Local. Compiles a format string. It must contain a <Content> field. Errors (unbalanced brackets,
 * a field named twice, too many fields) are recorded in ctx as LAD_ERR_USAGE.
 */
enum lad_status lad_logformat_compile(struct lad_ctx *ctx, const char *format, struct lad_logformat **out);

/* Local. Frees and NULLs. */
void lad_logformat_free(struct lad_logformat **fmt);

/* Local. Number of fields, a field's name, and the index of a named field (-1 if absent). */
int lad_logformat_n_fields(const struct lad_logformat *fmt);
const char *lad_logformat_field_name(const struct lad_logformat *fmt, int i);
int lad_logformat_field_index(const struct lad_logformat *fmt, const char *name);
int lad_logformat_content_index(const struct lad_logformat *fmt);

/*
 * Local, thread-safe. Matches line[0, len) (without its newline; a trailing '\r' and surrounding
 * whitespace are ignored; any byte, NUL included, may occur). Returns false when the line does not fit
 * the format; hdr is then undefined. Fields of a skipped optional group are NULL with length 0.
 */
bool lad_logformat_match(const struct lad_logformat *fmt, const char *line, size_t len, struct lad_header *hdr);

#endif
