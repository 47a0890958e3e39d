/*
 * lad_numfmt.h - fast decimal formatting of the numbers logad writes by the million (verdict rows),
 * byte for byte what printf would write.
 *
 * printf("%.12g") costs about a microsecond per double in glibc (it converts through arbitrary
 * precision every time); lad_numfmt_g12 computes the same correctly rounded 12 significant digits with
 * 64- and 128-bit integer arithmetic for every double from about 1e-44 to 1e26, and hands the rest
 * (subnormals, huge values, inf, nan) to snprintf. Both paths round the exact binary value to nearest,
 * ties to even, as glibc does, so the output never depends on the path, the rank or the thread.
 */
#ifndef LAD_NUMFMT_H
#define LAD_NUMFMT_H

#include <stdint.h>

/* Room for any result of lad_numfmt_g12 ("-1.23456789012e-308" and "-nan" fit) or lad_numfmt_i64. */
#define LAD_NUMFMT_MAX 32

/* Local. Writes v as printf("%.12g", v) does, NUL-terminated, into buf (LAD_NUMFMT_MAX bytes); returns
 * the length. */
int lad_numfmt_g12(double v, char *buf);

/* Local. Writes v in decimal as printf("%lld") does, NUL-terminated; returns the length. */
int lad_numfmt_i64(int64_t v, char *buf);

#endif
