/*
 * svg.c - the report's score plots as inline SVG: histogram against the threshold, precision-recall
 * curve, confusion matrix, and the small bars of the tables.
 *
 * Plots are plain SVG elements with <title> tooltips, so the browser needs no script to show them,
 * and every number is printed with a fixed format, so the same statistics give the same bytes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lad_metrics.h"
#include "report_internal.h"

#define C_NORMAL "#4e79a7"
#define C_ANOMALY "#e15759"
#define C_ALL "#59a14f"
#define C_AXIS "#444"
#define C_GRID "#ddd"

void lad__html_text(FILE *out, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*p, out);
        }
    }
}

/* A plot area inside an SVG: the data rectangle and the axis range it shows. */
struct frame {
    double left, top, width, height;
    double x0, x1, y0, y1;
};

static double fx(const struct frame *fr, double x)
{
    return fr->left + (x - fr->x0) / (fr->x1 - fr->x0) * fr->width;
}

static double fy(const struct frame *fr, double y)
{
    return fr->top + fr->height - (y - fr->y0) / (fr->y1 - fr->y0) * fr->height;
}

static void x_tick(FILE *out, const struct frame *fr, double x, const char *label)
{
    double px = fx(fr, x), base = fr->top + fr->height;
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", px, base, px, base + 4,
            C_AXIS);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", px, base + 16, label);
}

static void y_tick(FILE *out, const struct frame *fr, double y, const char *label)
{
    double py = fy(fr, y);
    fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", fr->left, py,
            fr->left + fr->width, py, C_GRID);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", fr->left - 4, py + 4, label);
}

static void frame_box(FILE *out, const struct frame *fr)
{
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"%s\"/>\n",
            fr->left, fr->top, fr->width, fr->height, C_AXIS);
}

/* Score of an axis value, as a label: the inverse of lad__axis_value. */
static void axis_label(enum lad_score_axis axis, double x, char *buf, size_t cap)
{
    if (axis == LAD_SCORE_AXIS_LOG10)
        snprintf(buf, cap, "%.3g", pow(10.0, x));
    else
        snprintf(buf, cap, "%.3g", 1.0 / (1.0 + exp(-x)));
}

/* Ticks at whole decades (PCA) or at chosen probabilities (logit); the range ends when none fits. */
static void score_ticks(FILE *out, const struct frame *fr, enum lad_score_axis axis)
{
    char label[32];
    int n = 0;
    if (axis == LAD_SCORE_AXIS_LOG10) {
        double first = ceil(fr->x0), last = floor(fr->x1);
        double step = ceil((last - first) / 8.0);
        for (double k = first; step >= 1 && k <= last; k += step, n++) {
            snprintf(label, sizeof label, "%g", pow(10.0, k));
            x_tick(out, fr, k, label);
        }
        if (step < 1 && first <= last) {
            snprintf(label, sizeof label, "%g", pow(10.0, first));
            x_tick(out, fr, first, label);
            n++;
        }
    } else {
        static const double probs[] = {1e-12, 1e-9, 1e-6, 1e-3, 0.5};
        static const char *const low[] = {"1e-12", "1e-9", "1e-6", "0.001", "0.5"};
        static const char *const high[] = {"1-1e-12", "1-1e-9", "1-1e-6", "0.999", "0.5"};
        for (int i = 0; i < 5; i++)
            for (int side = 0; side < (i < 4 ? 2 : 1); side++) {
                double x = lad__axis_value(axis, side ? 1.0 - probs[i] : probs[i]);
                if (x >= fr->x0 && x <= fr->x1) {
                    x_tick(out, fr, x, side ? high[i] : low[i]);
                    n++;
                }
            }
    }
    if (n == 0) {
        axis_label(axis, fr->x0, label, sizeof label);
        x_tick(out, fr, fr->x0, label);
        axis_label(axis, fr->x1, label, sizeof label);
        x_tick(out, fr, fr->x1, label);
    }
}

/* Counts on a log scale, so that a handful of anomalies shows next to thousands of normal blocks. */
static double log_count(int64_t c)
{
    return log10(1.0 + (double)c);
}

void lad__svg_histogram(FILE *out, const struct lad__hist *h, bool labelled)
{
    const int group = LAD__FINE_BINS / LAD__SHOW_BINS;
    int64_t shown[LAD__CLASSES][LAD__SHOW_BINS];
    int64_t ymax = 1;
    memset(shown, 0, sizeof shown);
    for (int c = 0; c < LAD__CLASSES; c++)
        for (int b = 0; b < LAD__FINE_BINS; b++) {
            shown[c][b / group] += h->count[c][b];
            if (shown[c][b / group] > ymax)
                ymax = shown[c][b / group];
        }
    struct frame fr = {60, 24, 640, 200, h->lo, h->hi, 0, log_count(ymax)};
    fprintf(out, "<svg class=\"hist\" width=\"720\" height=\"290\" viewBox=\"0 0 720 290\" role=\"img\" "
                 "data-blocks=\"%lld\">\n<title>Score histogram</title>\n",
            (long long)(h->total[0] + h->total[1] + h->total[2]));
    for (int64_t v = 1; v <= ymax; v *= 10) {
        char label[32];
        snprintf(label, sizeof label, "%lld", (long long)v);
        y_tick(out, &fr, log_count(v), label);
    }
    static const char *const colour[LAD__CLASSES] = {C_NORMAL, C_ANOMALY, C_ALL};
    static const char *const name[LAD__CLASSES] = {"labelled normal", "labelled anomaly", "no label"};
    double bw = fr.width / LAD__SHOW_BINS;
    for (int c = 0; c < LAD__CLASSES; c++)
        for (int b = 0; b < LAD__SHOW_BINS; b++) {
            if (shown[c][b] == 0)
                continue;
            char from[32], to[32];
            double x0 = h->lo + (h->hi - h->lo) * b / LAD__SHOW_BINS, x1 = h->lo + (h->hi - h->lo) * (b + 1) / LAD__SHOW_BINS;
            axis_label(h->axis, x0, from, sizeof from);
            axis_label(h->axis, x1, to, sizeof to);
            double top = fy(&fr, log_count(shown[c][b]));
            fprintf(out, "<rect class=\"bin\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                         "fill-opacity=\"0.65\"><title>%s to %s: %lld %s</title></rect>\n",
                    fr.left + b * bw, top, bw, fr.top + fr.height - top, colour[c], from, to,
                    (long long)shown[c][b], labelled ? name[c] : "blocks");
        }
    frame_box(out, &fr);
    score_ticks(out, &fr, h->axis);
    char thr[32];
    axis_label(h->axis, h->threshold, thr, sizeof thr);
    double tx = fx(&fr, h->threshold);
    fprintf(out, "<line class=\"threshold\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000\" "
                 "stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n",
            tx, fr.top - 6, tx, fr.top + fr.height);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">threshold %s</text>\n", tx + (tx > 560 ? -6 : 6),
            fr.top + 8, tx > 560 ? "end" : "start", thr);
    fprintf(out, "<text x=\"%.1f\" y=\"284\" text-anchor=\"middle\">%s</text>\n", fr.left + fr.width / 2,
            h->axis == LAD_SCORE_AXIS_LOG10 ? "score: squared prediction error (log scale)"
                                            : "score: probability of anomaly (logit scale)");
    fprintf(out, "<text x=\"14\" y=\"%.1f\" transform=\"rotate(-90 14 %.1f)\" text-anchor=\"middle\">blocks "
                 "(log scale)</text>\n",
            fr.top + fr.height / 2, fr.top + fr.height / 2);
    /* Legend: the classes present, with their totals. */
    double lx = fr.left + 8;
    for (int c = 0; c < LAD__CLASSES; c++) {
        if (h->total[c] == 0)
            continue;
        fprintf(out, "<rect x=\"%.1f\" y=\"250\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%.1f\" "
                     "y=\"259\">%s: %lld</text>\n",
                lx, colour[c], lx + 14, labelled ? name[c] : "blocks", (long long)h->total[c]);
        lx += 190;
    }
    fputs("</svg>\n", out);
}

void lad__svg_pr_curve(FILE *out, const struct lad__hist *h, const struct lad_metrics *m)
{
    int64_t positives = h->total[LAD__ANOMALY];
    struct frame fr = {50, 16, 280, 240, 0, 1, 0, 1};
    fprintf(out, "<svg class=\"pr\" width=\"360\" height=\"300\" viewBox=\"0 0 360 300\" role=\"img\">\n"
                 "<title>Precision-recall curve</title>\n");
    for (int i = 0; i <= 5; i++) {
        char label[8];
        snprintf(label, sizeof label, "%.1f", i / 5.0);
        y_tick(out, &fr, i / 5.0, label);
        x_tick(out, &fr, i / 5.0, label);
    }
    frame_box(out, &fr);
    double ap = 0;
    if (positives > 0) {
        /* Lowering the threshold bin by bin from the top: each bin edge is one point of the curve. */
        fputs("<polyline class=\"pr-curve\" fill=\"none\" stroke=\"" C_NORMAL "\" stroke-width=\"2\" points=\"", out);
        int64_t tp = 0, fp = 0;
        double last_r = 0, last_p = -1;
        for (int b = LAD__FINE_BINS - 1; b >= 0; b--) {
            tp += h->count[LAD__ANOMALY][b];
            fp += h->count[LAD__NORMAL][b];
            if (tp + fp == 0)
                continue;
            double r = (double)tp / (double)positives, p = (double)tp / (double)(tp + fp);
            ap += (r - last_r) * p;
            if (r != last_r || p != last_p)
                fprintf(out, "%.1f,%.1f ", fx(&fr, r), fy(&fr, p));
            last_r = r;
            last_p = p;
        }
        fputs("\"/>\n", out);
    } else {
        fprintf(out, "<text x=\"190\" y=\"130\" text-anchor=\"middle\">no labelled anomaly</text>\n");
    }
    if (m != NULL && m->tp + m->fp > 0 && positives > 0)
        fprintf(out, "<circle class=\"operating-point\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"><title>at the "
                     "threshold: precision %.4f, recall %.4f</title></circle>\n",
                fx(&fr, m->recall), fy(&fr, m->precision), C_ANOMALY, m->precision, m->recall);
    fprintf(out, "<text x=\"190\" y=\"292\" text-anchor=\"middle\">recall</text>\n"
                 "<text x=\"12\" y=\"136\" transform=\"rotate(-90 12 136)\" text-anchor=\"middle\">precision</text>\n");
    if (positives > 0)
        fprintf(out, "<text x=\"320\" y=\"250\" text-anchor=\"end\">area %.4f</text>\n", ap);
    fputs("</svg>\n", out);
}

void lad__svg_confusion(FILE *out, const struct lad_metrics *m)
{
    /* Rows: the truth; columns: the verdict. Cells are shaded by their share of the row. */
    const int64_t cell[2][2] = {{m->tp, m->fn}, {m->fp, m->tn}};
    static const char *const row_name[2] = {"labelled anomaly", "labelled normal"};
    static const char *const col_name[2] = {"flagged anomaly", "flagged normal"};
    fprintf(out, "<svg class=\"confusion\" width=\"400\" height=\"200\" viewBox=\"0 0 400 200\" role=\"img\">\n"
                 "<title>Confusion matrix</title>\n");
    for (int j = 0; j < 2; j++)
        fprintf(out, "<text x=\"%d\" y=\"20\" text-anchor=\"middle\">%s</text>\n", 200 + 110 * j, col_name[j]);
    for (int i = 0; i < 2; i++) {
        int64_t row = cell[i][0] + cell[i][1];
        fprintf(out, "<text x=\"140\" y=\"%d\" text-anchor=\"end\">%s</text>\n", 70 + 70 * i, row_name[i]);
        for (int j = 0; j < 2; j++) {
            double share = row ? (double)cell[i][j] / (double)row : 0.0;
            bool right = i == j;
            fprintf(out, "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"110\" height=\"70\" fill=\"%s\" "
                         "fill-opacity=\"%.3f\" stroke=\"#fff\"/>\n",
                    145 + 110 * j, 30 + 70 * i, right ? C_ALL : C_ANOMALY, 0.15 + 0.75 * share);
            fprintf(out, "<text class=\"count\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">%lld"
                         "</text><text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%.1f%%</text>\n",
                    200 + 110 * j, 62 + 70 * i, (long long)cell[i][j], 200 + 110 * j, 80 + 70 * i, 100.0 * share);
        }
    }
    fputs("</svg>\n", out);
}

void lad__svg_bar(FILE *out, double fraction)
{
    double w = fraction > 0 ? (fraction < 1 ? fraction : 1) * 160 : 0;
    fprintf(out, "<svg class=\"bar\" width=\"160\" height=\"12\" viewBox=\"0 0 160 12\"><rect width=\"%.1f\" "
                 "height=\"12\" fill=\"%s\"/></svg>",
            w, C_ANOMALY);
}
