/* view_matrix.c — the matrix view's panel: a queries x keys attention
 * heatmap. Row r is the query at the r-th of `rows` instants spread evenly
 * over the video, weighed with the kernel of that instant; columns are the
 * keys. Rows fill in as their instant comes, and the latest one reached is
 * outlined: the query's current row. The plane stays beside it, so one sees
 * where the query is and what it attends to at once. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "painter.h"
#include "views.h"

/* Layout units (1/1000 of the frame height). */
#define PAD 20.0             /* inside the panel's edge */
#define HEADER_SIZE 26.0     /* the panel's title */
#define HEADER_ROW 44.0      /* the header's line */
#define LABEL_TEXT 18.0      /* keys' and rows' labels */
#define LABEL_LINE 23.0      /* the room a label takes across its line */
#define CHIP_ROW 16.0        /* the keys' colour chips over the columns */
#define TIME_GUTTER 76.0     /* left of the cells: the rows' times */
#define BAR_GAP 22.0         /* between the cells and the colour bar */
#define BAR_WIDTH 22.0       /* the colour bar */
#define BAR_NUMBERS 52.0     /* right of the colour bar: its numbers */
#define LABEL_ROOM 80.0      /* at most, for the keys' labels (rotated) */
#define CELL_GAP_MAX_KEYS 32 /* more keys than this: cells touch */
#define HIGHLIGHT_WIDTH 4.0  /* the current row's outline */
#define PENDING_ALPHA 0.06   /* rows still to come: a faint box of the line colour */
#define BAR_STEPS 64         /* the colour bar's gradient stops */

typedef struct grid {
    sk_rect cells; /* pixels */
    double cell_w, cell_h;
    double label_top; /* the keys' labels end at the chips, which start here */
} grid;

/* The weights of every row, rows x n, and the largest of them. False when
 * memory ran out. */
static bool row_weights(const painter *p, double *w, double *largest)
{
    const sk_scene *s = p->scene;
    int rows = s->matrix_rows, n = s->key_count;
    sk_vec2 *keys = malloc((size_t)n * sizeof *keys);
    double *scratch = malloc((size_t)n * sizeof *scratch);
    if (!keys || !scratch) {
        free(keys);
        free(scratch);
        return false;
    }
    for (int i = 0; i < n; i++)
        keys[i] = s->keys[i].at;
    int64_t frames = sk_timeline_frame_count(p->timeline);
    *largest = 0.0;
    for (int r = 0; r < rows; r++) {
        sk_frame_state state;
        sk_timeline_state_at(p->timeline, sk_matrix_row_frame(r, rows, frames), &state);
        double *row = w + (size_t)r * n;
        sk_attention_weights(&state.kernel, state.query, keys, (size_t)n, row, scratch);
        for (int i = 0; i < n; i++)
            *largest = fmax(*largest, row[i]);
    }
    free(keys);
    free(scratch);
    return true;
}

/* Label every `stride`-th of `count` items `pitch` pixels apart so that each
 * label has `need` pixels: the smallest such stride (count when nothing fits). */
static int label_stride(double pitch, double need, int count)
{
    if (!(pitch > 0.0))
        return count > 1 ? count : 1;
    double stride = ceil(need / pitch);
    return stride < 1.0 ? 1 : (stride > count ? (count > 1 ? count : 1) : (int)stride);
}

static grid grid_of(const painter *p)
{
    const sk_rect *r = &p->layout->panel;
    double pad = sk_u(p, PAD);
    double left = r->x + pad + sk_u(p, TIME_GUTTER);
    double right = r->x + r->w - pad - sk_u(p, BAR_GAP + BAR_WIDTH + BAR_NUMBERS);
    /* Only the labels drawn are measured: with 100000 keys, a few hundred. */
    int stride = label_stride((right - left) / p->scene->key_count, sk_u(p, LABEL_LINE),
                              p->scene->key_count);
    double longest = 0.0;
    for (int i = 0; i < p->scene->key_count; i += stride)
        longest =
            fmax(longest, sk_text_width((painter *)p, p->scene->keys[i].label, LABEL_TEXT, false));
    double labels = fmin(longest, sk_u(p, LABEL_ROOM)) + sk_u(p, 8);
    double top = r->y + pad + sk_u(p, HEADER_ROW) + labels + sk_u(p, CHIP_ROW + 6);
    double bottom = r->y + r->h - pad;
    grid g = {.cells = {left, top, right - left, bottom - top}};
    g.cell_w = g.cells.w / p->scene->key_count;
    g.cell_h = g.cells.h / p->scene->matrix_rows;
    g.label_top = top - sk_u(p, CHIP_ROW + 6);
    return g;
}

/* Each key's colour as a chip over its column, and its label above, rotated
 * to read upwards; with many keys only every few labels, so none overlap. */
static void paint_columns(painter *p, const grid *g)
{
    cairo_t *cr = p->cr;
    int n = p->scene->key_count, stride = label_stride(g->cell_w, sk_u(p, LABEL_LINE), n);
    double room = sk_u(p, LABEL_ROOM);
    text_style s = {.size = LABEL_TEXT,
                    .color = p->pal->text,
                    .align_x = 0.0,
                    .align_y = 0.5,
                    .max_width = room};
    for (int i = 0; i < n; i++) {
        double x = g->cells.x + i * g->cell_w;
        cairo_rectangle(cr, x, g->label_top, fmax(1.0, g->cell_w - (n > 1 ? 1 : 0)),
                        sk_u(p, CHIP_ROW));
        sk_set_color(cr, sk_key_colour(p, i), 1.0);
        cairo_fill(cr);
        if (i % stride != 0)
            continue;
        cairo_save(cr);
        cairo_translate(cr, x + g->cell_w / 2, g->label_top - sk_u(p, 6));
        cairo_rotate(cr, -M_PI / 2);
        sk_draw_text(p, p->scene->keys[i].label, 0, 0, &s);
        cairo_restore(cr);
    }
}

/* The rows' times down the left, as many as fit a line each. */
static void paint_times(painter *p, const grid *g, int current)
{
    int rows = p->scene->matrix_rows;
    int stride = label_stride(g->cell_h, sk_u(p, LABEL_LINE), rows);
    int64_t frames = sk_timeline_frame_count(p->timeline);
    for (int r = 0; r < rows; r++) {
        if (r % stride != 0 && r != current)
            continue;
        if (r != current && abs(r - current) < stride) /* the current row's label wins */
            continue;
        char label[32];
        snprintf(label, sizeof label, "%.1f s",
                 (double)sk_matrix_row_frame(r, rows, frames) / p->scene->fps);
        text_style s = {.size = LABEL_TEXT,
                        .bold = r == current,
                        .color = r == current ? p->pal->text : p->pal->muted,
                        .align_x = 1.0,
                        .align_y = 0.5};
        sk_draw_text(p, label, g->cells.x - sk_u(p, 10), g->cells.y + (r + 0.5) * g->cell_h, &s);
    }
}

static void paint_cells(painter *p, const grid *g, const double *w, double largest, int current)
{
    cairo_t *cr = p->cr;
    int n = p->scene->key_count, rows = p->scene->matrix_rows;
    double gap = n <= CELL_GAP_MAX_KEYS && g->cell_w > 4 ? 1.0 : 0.0;
    for (int r = 0; r < rows; r++) {
        double y = g->cells.y + r * g->cell_h;
        if (r > current) { /* still to come */
            cairo_rectangle(cr, g->cells.x, y, g->cells.w, g->cell_h - gap);
            sk_set_color(cr, p->pal->line, PENDING_ALPHA);
            cairo_fill(cr);
            continue;
        }
        for (int i = 0; i < n; i++) {
            cairo_rectangle(cr, g->cells.x + i * g->cell_w, y, g->cell_w - gap, g->cell_h - gap);
            sk_set_color(cr, sk_scalar_colour(w[(size_t)r * n + i], 0.0, largest), 1.0);
            cairo_fill(cr);
        }
    }
    double inset = sk_u(p, HIGHLIGHT_WIDTH) / 2;
    cairo_rectangle(cr, g->cells.x - inset, g->cells.y + current * g->cell_h - inset,
                    g->cells.w + 2 * inset - gap, g->cell_h + 2 * inset - gap);
    cairo_set_line_width(cr, sk_u(p, HIGHLIGHT_WIDTH));
    sk_set_color(cr, p->pal->line, 1.0);
    cairo_stroke(cr);
}

/* The colour map from 0 (bottom) to the largest weight (top). */
static void paint_colour_bar(painter *p, const grid *g, double largest)
{
    cairo_t *cr = p->cr;
    double x = g->cells.x + g->cells.w + sk_u(p, BAR_GAP), w = sk_u(p, BAR_WIDTH);
    cairo_pattern_t *ramp = cairo_pattern_create_linear(0, g->cells.y + g->cells.h, 0, g->cells.y);
    for (int i = 0; i <= BAR_STEPS; i++) {
        sk_rgb c = sk_scalar_colour(i, 0, BAR_STEPS);
        cairo_pattern_add_color_stop_rgb(ramp, (double)i / BAR_STEPS, c.r, c.g, c.b);
    }
    cairo_rectangle(cr, x, g->cells.y, w, g->cells.h);
    cairo_set_source(cr, ramp);
    cairo_fill(cr);
    cairo_pattern_destroy(ramp);
    char top[32];
    snprintf(top, sizeof top, "%.2f", largest);
    text_style s = {.size = LABEL_TEXT, .color = p->pal->muted, .align_y = 0.0};
    sk_draw_text(p, top, x + w + sk_u(p, 8), g->cells.y, &s);
    s.align_y = 1.0;
    sk_draw_text(p, "0", x + w + sk_u(p, 8), g->cells.y + g->cells.h, &s);
}

void sk_paint_matrix(painter *p)
{
    const sk_scene *s = p->scene;
    const sk_layout *l = p->layout;
    cairo_t *cr = p->cr;
    sk_rounded_rect(cr, l->panel, sk_u(p, 14));
    sk_set_color(cr, p->pal->line, 0.045);
    cairo_fill(cr);
    text_style h = {.size = HEADER_SIZE,
                    .bold = true,
                    .color = p->pal->text,
                    .max_width = l->panel.w - 2 * sk_u(p, PAD)};
    sk_draw_text(p, "Attention: query over time × key", l->panel.x + sk_u(p, PAD),
                 l->panel.y + sk_u(p, PAD), &h);

    double *w = malloc((size_t)s->matrix_rows * (size_t)s->key_count * sizeof *w);
    double largest = 0.0;
    if (!w || !row_weights(p, w, &largest)) { /* without memory, the panel stays empty */
        free(w);
        return;
    }
    grid g = grid_of(p);
    int current = sk_matrix_current_row(p->frame->state->frame, s->matrix_rows,
                                        sk_timeline_frame_count(p->timeline));
    paint_columns(p, &g);
    paint_times(p, &g, current);
    paint_cells(p, &g, w, largest > 0.0 ? largest : 1.0, current);
    paint_colour_bar(p, &g, largest);
    free(w);
}
