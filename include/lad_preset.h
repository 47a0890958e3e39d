/*
 * lad_preset.h - built-in settings for the 16 loghub systems: header format, variable patterns and
 * Drain parameters (those of the logparser benchmark, which Drain's published accuracy was measured
 * with).
 */
#ifndef LAD_PRESET_H
#define LAD_PRESET_H

struct lad_preset {
    const char *name;          /* "hdfs", "bgl", ... (lower case) */
    const char *system;        /* "HDFS", "BGL", ... as loghub names it */
    const char *log_format;
    const char *const *masks;  /* PCRE2 patterns, NULL-terminated */
    unsigned builtin_masks;    /* enum lad_mask_kind bits */
    double similarity;         /* Drain st */
    int depth;                 /* Drain depth */
};

/* Local. The preset called name (case-insensitive), or NULL. */
const struct lad_preset *lad_preset_find(const char *name);

/* Local. The i-th preset, for listing (NULL past the end). */
const struct lad_preset *lad_preset_at(int i);

#endif
