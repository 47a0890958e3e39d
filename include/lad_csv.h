/*
 * lad_csv.h - splitting one CSV record (RFC 4180 quoting) and writing quoted fields.
 *
 * loghub's CSV files quote fields that hold commas or quotes; a quoted field may not span lines here
 * (none of loghub's files need that), and such a record is reported as malformed.
 */
#ifndef LAD_CSV_H
#define LAD_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Local. Splits line[0, len) in place (unquoting, NUL-terminating each field) into at most max_fields
 * fields. Returns the number of fields, or -1 for a malformed record (unterminated quote, text after a
 * closing quote) or more than max_fields fields. A trailing '\r' is ignored.
 */
int lad_csv_split(char *line, size_t len, char **fields, int max_fields);

/* Local. Writes s as one CSV field, quoted when it holds a comma, quote, CR or LF. */
void lad_csv_write_field(FILE *out, const char *s);

/* Local. True if s needs quoting as a CSV field. */
bool lad_csv_needs_quotes(const char *s, size_t len);

#endif
