/*
 * lad_parser.h - what happens to one log line: header split, message key, session keys, counting.
 *
 * The parser is immutable and shared by all threads; each thread owns a lad_parse_local holding its
 * key table, its (session, key) counts and its statistics, so the parallel loop needs no locks. After
 * the loop the key tables are merged into one per rank (lad_parse_local_merge_keys), in thread order,
 * and the count tables are merged in parallel (lad_counts_merge_parallel) once keys have events.
 */
#ifndef LAD_PARSER_H
#define LAD_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lad_counts.h"
#include "lad_keytab.h"
#include "lad_status.h"

struct lad_ctx;
struct lad_logformat;
struct lad_template_set;
struct lad_masker;
struct lad_mask_work;
struct lad_window;
struct lad_header;

/* How a line's message becomes its key. */
enum lad_key_mode {
    LAD_KEY_TEMPLATE_CACHED, /* digit runs collapsed (lad_template_key); matched once per distinct key */
    LAD_KEY_TEMPLATE_DIRECT, /* template literals hold digits: each line is matched, the key is the event */
    LAD_KEY_MINED            /* masked token sequence (lad_mask_apply), clustered by lad_mine_events */
};

struct lad_parser {
    const struct lad_logformat *format;
    const struct lad_template_set *templates; /* template modes */
    const struct lad_masker *masker;          /* LAD_KEY_MINED */
    const struct lad_window *window;          /* NULL: sessions are HDFS block ids */
    enum lad_key_mode mode;
    size_t max_line;                          /* longer lines are skipped and counted (0: no limit) */
};

struct lad_parse_stats {
    int64_t lines;
    int64_t bytes;
    int64_t malformed;        /* header did not fit the format: the whole line was used as the message */
    int64_t no_session;       /* lines naming no block id (or with no usable time, for windows) */
    int64_t blockid_overflow; /* blk_ matches too long for a 64-bit id */
    int64_t empty_content;    /* lines whose message is empty */
    int64_t oversize;         /* lines longer than max_line, skipped */
};

struct lad_parse_local {
    struct lad_keytab keys;
    struct lad_counts counts;
    struct lad_parse_stats stats;
    struct lad_mask_work *mask_work;
    char *scratch;
    size_t scratch_cap;
    int64_t *sessions;        /* session keys of the current line */
    int sessions_cap;
    struct lad_counts alerts; /* --line-labels: alert lines per window (lad_window_note_label) */
};

/* Local. Builds the parser; chooses the key mode from templates (NULL: mined). */
void lad_parser_init(struct lad_parser *p, const struct lad_logformat *format,
                     const struct lad_template_set *templates, const struct lad_masker *masker,
                     const struct lad_window *window, size_t max_line);

/* Local. */
enum lad_status lad_parse_local_init(struct lad_ctx *ctx, const struct lad_parser *p, struct lad_parse_local *loc);
void lad_parse_local_free(struct lad_parse_local *loc);

/* The key of one line, for callers that need more than counting (structured output). */
struct lad_line_info {
    bool header_ok;      /* the format matched */
    const char *message; /* the <Content> field, or the whole line when the header did not match */
    size_t message_len;
    const char *key;     /* points into loc->scratch; valid until the next call */
    size_t key_len;
    uint64_t key_hash;
};

/*
 * Local, thread-safe with one loc per thread. Computes the key of line[0, len) (without its newline;
 * a trailing '\r' is dropped). hdr receives the header fields. False only on allocation failure.
 */
bool lad_parse_line_key(const struct lad_parser *p, struct lad_parse_local *loc, const char *line, size_t len,
                        struct lad_header *hdr, struct lad_line_info *info);

/*
 * Local, thread-safe with one loc per thread. Parses every line of data[0, len) (whole lines, as the
 * line reader hands them out; global_offset is the global byte offset of data[0]) and counts them.
 * *first_malformed receives the index (among these lines) of the first line whose header did not match,
 * or -1; *n_lines the number of lines (oversize lines included: they still have line numbers). Returns LAD_ERR_NOMEM on allocation failure.
 */
enum lad_status lad_parse_lines(const struct lad_parser *p, struct lad_parse_local *loc, const char *data,
                                size_t len, int64_t global_offset, int64_t *n_lines, int64_t *first_malformed);

/*
 * Local. Adds src's keys and statistics into dst (src is left unchanged) and returns in *map (malloc'd,
 * src->keys.n entries) the id in dst of each of src's keys. The counts are not merged here.
 */
enum lad_status lad_parse_local_merge_keys(struct lad_ctx *ctx, struct lad_parse_local *dst,
                                           const struct lad_parse_local *src, int32_t **map);

/* Local. Adds the counters of b to a. */
void lad_parse_stats_add(struct lad_parse_stats *a, const struct lad_parse_stats *b);

#endif
