/*
 * lad_blockid.h - HDFS block ids (`blk_-?[0-9]+`) named on a line: the session key of HDFS logs.
 */
#ifndef LAD_BLOCKID_H
#define LAD_BLOCKID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


/*
 * Local, thread-safe. Finds every match of blk_-?[0-9]+ in s[0, n) and stores the distinct ids, in
 * order of first appearance, in ids (at most max). Returns how many distinct ids were stored;
 * *overflow counts matches whose digits do not fit a signed 64-bit integer (HDFS ids are Java longs,
 * so such a match is garbage) and *dropped the distinct ids beyond max, so a caller can grow its
 * buffer and call again (HDFS "ask ... to delete" lines name up to 100 blocks). Either pointer may be
 * NULL.
 */
int lad_blockid_extract(const char *s, size_t n, int64_t *ids, int max, int *overflow, int *dropped);

/* Local. Parses "blk_<id>" (the whole string) into *id; false if it is not exactly that. */
bool lad_blockid_parse(const char *s, size_t n, int64_t *id);

/* Local. Writes "blk_<id>" into buf (at least 24 bytes); returns its length. */
int lad_blockid_format(int64_t id, char *buf, size_t cap);

#endif
