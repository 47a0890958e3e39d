/* escape.c - input bytes as printable ASCII for messages (lad_escape.h). */
#include "lad_escape.h"

#include <stdbool.h>
#include <string.h>

/* The escaped form of byte c into piece; returns its length (1, 2 or 4). */
static size_t escape_byte(unsigned char c, char piece[4])
{
    static const char hex[] = "0123456789abcdef";
    if (c == '\\') {
        piece[0] = piece[1] = '\\';
        return 2;
    }
    if (c >= 0x20 && c < 0x7f) {
        piece[0] = (char)c;
        return 1;
    }
    piece[0] = '\\';
    piece[1] = 'x';
    piece[2] = hex[c >> 4];
    piece[3] = hex[c & 15];
    return 4;
}

const char *lad_escape(char *out, size_t cap, const void *src, size_t n)
{
    const unsigned char *s = src;
    if (cap == 0)
        return out;
    char piece[4];
    size_t total = 0;
    for (size_t i = 0; i < n && total < cap; i++)
        total += escape_byte(s[i], piece);
    /* All of it when it fits; else whole escapes up to room for the "..." marker. */
    bool whole = total < cap;
    size_t room = whole ? cap : (cap >= 4 ? cap - 3 : cap), o = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = escape_byte(s[i], piece);
        if (o + len >= room)
            break;
        memcpy(out + o, piece, len);
        o += len;
    }
    if (!whole && cap >= 4) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

const char *lad_escape_str(char *out, size_t cap, const char *s)
{
    return lad_escape(out, cap, s, strlen(s));
}
