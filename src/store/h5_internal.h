/*
 * h5_internal.h - what h5.c and h5_file.c share and nothing outside uses.
 */
#ifndef LAD_H5_INTERNAL_H
#define LAD_H5_INTERNAL_H

#include "lad_h5.h"

struct lad_ctx;

/* Local. Records "HDF5: <what> '<name>' in <file> failed" (LAD_ERR_HDF5). */
enum lad_status lad__h5_error(struct lad_ctx *ctx, const struct lad_h5 *h, const char *what, const char *name);

/* Local. A failed write to h: LAD_ERR_IO "cannot write <file> (<what> '<name>'): <cause>" when the cause
 * is known (err, or a file system with next to no room left), else as lad__h5_error. */
enum lad_status lad__h5_write_error(struct lad_ctx *ctx, const struct lad_h5 *h, const char *what, const char *name,
                                    int err);

#endif
