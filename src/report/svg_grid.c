/*
 * svg_grid.c - the report's grid plots as inline SVG: event counts of the top anomalous blocks (a
 * heatmap) and the phase times of every rank (stacked bars).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lad_events.h"
#include "lad_features.h"
#include "lad_labels.h"
#include "report_internal.h"

int lad__heat_columns(const struct lad__top_blocks *t, int *cols)
{
    /* Keep the columns with the largest totals over the shown rows, then show them in event order. */
    int n = 0;
    for (int e = 0; e < t->n_events; e++) {
        int64_t total = 0;
        for (int i = 0; i < t->n; i++)
            total += t->counts[(size_t)i * (size_t)t->n_events + (size_t)e];
        if (total == 0)
            continue;
        if (n < LAD__HEAT_COLUMNS) {
            cols[n++] = e;
            continue;
        }
        /* Full: replace the smallest kept column (the later one on ties) if this one counts more. */
        int weakest = -1;
        int64_t weakest_total = 0;
        for (int k = 0; k < n; k++) {
            int64_t tk = 0;
            for (int i = 0; i < t->n; i++)
                tk += t->counts[(size_t)i * (size_t)t->n_events + (size_t)cols[k]];
            if (weakest < 0 || tk <= weakest_total) {
                weakest = k;
                weakest_total = tk;
            }
        }
        if (total > weakest_total) {
            memmove(&cols[weakest], &cols[weakest + 1], (size_t)(n - weakest - 1) * sizeof *cols);
            cols[n - 1] = e;
        }
    }
    return n;
}

/* White to dark red on a log scale of the count. */
static void heat_colour(int64_t c, int64_t max, char *buf, size_t cap)
{
    if (c <= 0) {
        snprintf(buf, cap, "#f4f4f4");
        return;
    }
    double t = max > 1 ? log1p((double)c) / log1p((double)max) : 1.0;
    int r = (int)lround(254 - t * (254 - 165)), g = (int)lround(224 - t * (224 - 15)),
        b = (int)lround(210 - t * (210 - 21));
    snprintf(buf, cap, "#%02x%02x%02x", r, g, b);
}

void lad__svg_heatmap(FILE *out, const struct lad__top_blocks *t, const int *cols, int n_cols,
                      const struct lad_events *events, int session_kind)
{
    const int cw = 26, ch = 18, left = 380, top = 70;
    int width = left + n_cols * cw + 10, height = top + t->n * ch + 10;
    int64_t max = 0;
    for (size_t i = 0; i < (size_t)t->n * (size_t)t->n_events; i++)
        if (t->counts[i] > max)
            max = t->counts[i];
    fprintf(out, "<svg class=\"heatmap\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                 "data-rows=\"%d\">\n<title>Event counts of the top anomalous blocks</title>\n",
            width, height, width, height, t->n);
    for (int k = 0; k < n_cols; k++) {
        double x = left + k * cw + cw / 2.0;
        fprintf(out, "<text class=\"col\" x=\"%.1f\" y=\"%d\" transform=\"rotate(-60 %.1f %d)\">", x, top - 6, x,
                top - 6);
        lad__html_text(out, events && cols[k] < events->n ? events->ids[cols[k]] : "?");
        fputs("</text>\n", out);
    }
    for (int i = 0; i < t->n; i++) {
        char key[48];
        lad_features_format_key((enum lad_session_kind)session_kind, t->key[i], key, sizeof key);
        const char *tag = t->label[i] == LAD_LABEL_ANOMALY ? " (labelled anomaly)"
                          : t->label[i] == LAD_LABEL_NORMAL ? " (labelled normal)"
                                                            : "";
        fprintf(out, "<text class=\"row\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s %.4g%s</text>\n", left - 6,
                top + i * ch + 13, key, t->score[i], tag);
        for (int k = 0; k < n_cols; k++) {
            int64_t c = t->counts[(size_t)i * (size_t)t->n_events + (size_t)cols[k]];
            char fill[16];
            heat_colour(c, max, fill, sizeof fill);
            fprintf(out, "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
                         "stroke=\"#fff\"><title>%s, ",
                    left + k * cw, top + i * ch, cw, ch, fill, key);
            lad__html_text(out, events && cols[k] < events->n ? events->ids[cols[k]] : "?");
            fprintf(out, ": %lld line(s)</title></rect>", (long long)c);
            if (c > 0)
                fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"%s\">%lld"
                             "</text>",
                        left + k * cw + cw / 2.0, top + i * ch + 13,
                        max > 1 && log1p((double)c) / log1p((double)max) > 0.6 ? "#fff" : "#000", (long long)c);
            fputc('\n', out);
        }
    }
    fputs("</svg>\n", out);
}

/* One colour per phase, in enum order (Tableau 20). */
static const char *const phase_colour[LAD_PHASE_COUNT] = {
    "#4e79a7", "#a0cbe8", "#f28e2b", "#ffbe7d", "#59a14f", "#8cd17d", "#b6992d", "#f1ce63",
    "#499894", "#86bcb6", "#e15759", "#ff9d9a", "#79706e", "#d37295", "#000000",
};

void lad__svg_rank_bars(FILE *out, const struct lad__rank_table *t)
{
    /* Bars stay readable up to 64 ranks; beyond that they thin out to fit about 1000 pixels. */
    const int left = 330, bar_width = 500, legend = 60;
    double row = t->size <= 64 ? 18.0 : 1024.0 / t->size;
    if (row < 1)
        row = 1;
    double scale = 0;
    for (int r = 0; r < t->size; r++) {
        const double *ph = t->phase + (size_t)r * LAD_PHASE_COUNT;
        double stacked = 0;
        for (int p = 0; p < LAD_PHASE_TOTAL; p++)
            stacked += ph[p];
        scale = fmax(scale, fmax(stacked, ph[LAD_PHASE_TOTAL]));
    }
    if (!(scale > 0))
        scale = 1;
    int height = (int)ceil(row * t->size) + legend + 24;
    fprintf(out, "<svg class=\"ranks\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                 "data-ranks=\"%d\">\n<title>Phase times per rank</title>\n",
            left + bar_width + 20, height, left + bar_width + 20, height, t->size);
    for (int r = 0; r < t->size; r++) {
        const double *ph = t->phase + (size_t)r * LAD_PHASE_COUNT;
        double y = r * row, x = left;
        fprintf(out, "<g class=\"rank-bar\"><title>rank %d (", r);
        lad__html_text(out, t->where + (size_t)r * LAD__WHERE_MAX);
        fprintf(out, "): %.4f s in all, peak RSS %.1f MiB", ph[LAD_PHASE_TOTAL], t->rss_mib[r]);
        for (int p = 0; p < LAD_PHASE_TOTAL; p++)
            if (ph[p] > 0)
                fprintf(out, "; %s %.4f s", lad_phase_name(p), ph[p]);
        fputs("</title>", out);
        if (row >= 12) {
            fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">rank %d, ", left - 6, y + 13, r);
            lad__html_text(out, t->where + (size_t)r * LAD__WHERE_MAX);
            fprintf(out, ", %.1f MiB</text>", t->rss_mib[r]);
        }
        for (int p = 0; p < LAD_PHASE_TOTAL; p++) {
            double w = ph[p] / scale * bar_width;
            if (w <= 0)
                continue;
            fprintf(out, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\"/>", x, y + 1, w,
                    row > 2 ? row - 2 : row, phase_colour[p]);
            x += w;
        }
        double tx = left + ph[LAD_PHASE_TOTAL] / scale * bar_width;
        fprintf(out, "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"#000\" stroke-width=\"2\"/>"
                     "</g>\n",
                tx, y, tx, y + row);
    }
    /* Legend: every phase that ran somewhere, and the total marker. */
    double y = row * t->size + 18, x = 10;
    for (int p = 0; p <= LAD_PHASE_TOTAL; p++) {
        bool ran = false;
        for (int r = 0; r < t->size && !ran; r++)
            ran = t->phase[(size_t)r * LAD_PHASE_COUNT + p] > 0;
        if (!ran)
            continue;
        if (x > left + bar_width - 100) {
            x = 10;
            y += 18;
        }
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"10\" fill=\"%s\"/><text x=\"%.1f\" "
                     "y=\"%.1f\">%s%s</text>\n",
                x, y, p == LAD_PHASE_TOTAL ? 3 : 10, phase_colour[p], x + 14, y + 9, lad_phase_name(p),
                p == LAD_PHASE_TOTAL ? " (so far)" : "");
        x += 110;
    }
    fputs("</svg>\n", out);
}
