/*
 * fuzz_logformat.c - the header format: compile a format string (the input's first line), then match
 * every other line against it. Invariants: every field lies inside the line (or is empty and NULL,
 * for an optional group that did not match); Content is a field.
 */
#include "fuzz_common.h"

#include "lad_logformat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reset();
    char *text = fuzz_strndup(data, size);
    char *nl = memchr(text, '\n', size);
    size_t flen = nl ? (size_t)(nl - text) : size;
    char *format = fuzz_strndup(data, flen);
    struct lad_logformat *fmt = NULL;
    if (lad_logformat_compile(&fuzz_ctx, format, &fmt) == LAD_OK) {
        if (lad_logformat_content_index(fmt) < 0 || lad_logformat_n_fields(fmt) > LAD_LOGFORMAT_MAX_FIELDS)
            abort();
        const char *p = nl ? nl + 1 : text + size, *end = text + size;
        while (p < end) {
            const char *e = memchr(p, '\n', (size_t)(end - p));
            size_t len = e ? (size_t)(e - p) : (size_t)(end - p);
            /* Each line in its own allocation: a read past its end is a heap overflow ASan reports. */
            char *line = fuzz_strndup((const uint8_t *)p, len);
            struct lad_header hdr;
            if (lad_logformat_match(fmt, line, len, &hdr)) {
                if (hdr.n_fields != lad_logformat_n_fields(fmt))
                    abort();
                /* A field of an optional group that did not match is (NULL, 0). */
                for (int i = 0; i < hdr.n_fields; i++)
                    if (hdr.start[i] == NULL ? hdr.len[i] != 0
                                             : hdr.start[i] < line || hdr.start[i] + hdr.len[i] > line + len)
                        abort();
            }
            free(line);
            p += len + 1;
        }
        lad_logformat_free(&fmt);
    }
    free(format);
    free(text);
    return 0;
}
