/*
 * lad_escape.h - input bytes made safe to print in a message.
 *
 * Log lines and data files may hold terminal control sequences (ESC [ ... m, OSC titles), NULs or
 * invalid UTF-8. Echoed raw into an error message they would recolour or retitle the user's terminal,
 * or cut the message short, so every message that quotes input text passes it through lad_escape.
 */
#ifndef LAD_ESCAPE_H
#define LAD_ESCAPE_H

#include <stddef.h>

/* Room for quoting up to n input bytes in full (each may become \xNN), with the NUL. */
#define LAD_ESCAPE_SIZE(n) (4 * (size_t)(n) + 1)

/*
 * Local, thread-safe. Writes s[0, n) into out[0, cap) as printable ASCII: bytes 0x20-0x7e stay (the
 * backslash becomes \\), every other byte becomes \xNN. When the result does not fit, it is cut at a
 * whole escape and ends in "..." so a reader sees that text is missing. Always NUL-terminated (cap >= 1;
 * cap >= 4 for the "..."). Returns out, for use as a printf argument.
 */
const char *lad_escape(char *out, size_t cap, const void *s, size_t n);

/* Local. lad_escape of a NUL-terminated string. */
const char *lad_escape_str(char *out, size_t cap, const char *s);

#endif
