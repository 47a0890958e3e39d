/* csv.c - one CSV record at a time, in place. */
#include "lad_csv.h"

#include <string.h>

int lad_csv_split(char *line, size_t len, char **fields, int max_fields)
{
    if (len > 0 && line[len - 1] == '\n')
        len--;
    if (len > 0 && line[len - 1] == '\r')
        len--;
    line[len] = '\0';
    int n = 0;
    char *p = line, *end = line + len;
    for (;;) {
        if (n == max_fields)
            return -1;
        if (p < end && *p == '"') {
            /* Quoted: "" stands for one quote; the field ends at the closing quote. */
            char *w = p, *r = p + 1;
            fields[n++] = w;
            for (;;) {
                if (r >= end)
                    return -1;
                if (*r == '"') {
                    if (r + 1 < end && r[1] == '"') {
                        *w++ = '"';
                        r += 2;
                        continue;
                    }
                    r++;
                    break;
                }
                *w++ = *r++;
            }
            *w = '\0';
            if (r == end)
                return n;
            if (*r != ',')
                return -1;
            p = r + 1;
        } else {
            fields[n++] = p;
            char *c = memchr(p, ',', (size_t)(end - p));
            if (c == NULL)
                return n;
            *c = '\0';
            p = c + 1;
        }
    }
}

bool lad_csv_needs_quotes(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            return true;
    return false;
}

void lad_csv_write_field(FILE *out, const char *s)
{
    size_t len = strlen(s);
    if (!lad_csv_needs_quotes(s, len)) {
        fwrite(s, 1, len, out);
        return;
    }
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            fputc('"', out);
        fputc(s[i], out);
    }
    fputc('"', out);
}
