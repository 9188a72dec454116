/*
** figure.c: charts as files (SVG, PNG, PDF) through cairo, their text set
** by pango with fonts found through fontconfig (Chinese from Noto Sans
** CJK).  The chart's layout is Lua's (lua/zb/present/figure.lua): it
** measures text here, then hands over a list of marks in CSS pixels
** (1/96 inch), which this file draws on a surface of the format asked.
**
** The libraries are opened at the first chart (dlopen), not linked: they
** and what they bring (fontconfig, freetype, harfbuzz, pixman, glib)
** would cost every zb's start-up to relocate.
*/
#include <dlfcn.h>
#include <math.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "lua.h"
#include "lauxlib.h"

#include "figure.h"

#define FIGURE_FONT "Noto Sans CJK SC, Noto Sans, DejaVu Sans, sans-serif"
#define FIGURE_SURFACE "zb.Figure"

/* Process-wide, as the libraries are: filled once, never changed after. */
static struct {
  int opened;
#define CAIRO_FUNCTIONS(X) X(cairo_arc) X(cairo_create) X(cairo_destroy) X(cairo_fill) \
  X(cairo_font_options_create) X(cairo_font_options_destroy) X(cairo_font_options_set_hint_metrics) \
  X(cairo_font_options_set_hint_style) X(cairo_image_surface_create) X(cairo_line_to) X(cairo_move_to) \
  X(cairo_new_path) X(cairo_new_sub_path) X(cairo_paint) X(cairo_pdf_surface_create) X(cairo_rectangle) X(cairo_restore) \
  X(cairo_rotate) X(cairo_save) X(cairo_scale) X(cairo_set_dash) X(cairo_set_line_cap) X(cairo_set_line_join) \
  X(cairo_set_line_width) X(cairo_set_source_rgb) X(cairo_status) X(cairo_status_to_string) X(cairo_stroke) \
  X(cairo_surface_destroy) X(cairo_surface_finish) X(cairo_surface_status) X(cairo_surface_write_to_png) \
  X(cairo_svg_surface_create) X(cairo_translate)
#define PANGO_FUNCTIONS(X) X(pango_font_description_free) X(pango_font_description_from_string) \
  X(pango_font_description_set_absolute_size) X(pango_font_description_set_weight) X(pango_layout_get_baseline) \
  X(pango_layout_get_context) X(pango_layout_get_size) X(pango_layout_get_unknown_glyphs_count) \
  X(pango_layout_set_font_description) X(pango_layout_set_text)
#define PANGOCAIRO_FUNCTIONS(X) X(pango_cairo_context_set_font_options) X(pango_cairo_create_layout) \
  X(pango_cairo_font_map_set_default) X(pango_cairo_show_layout) X(pango_cairo_update_layout)
#define GOBJECT_FUNCTIONS(X) X(g_object_unref)
#define FONTCONFIG_FUNCTIONS(X) X(FcFini) X(FcInit)
#define FIGURE_POINTER(name) __typeof__(name) *name;
  CAIRO_FUNCTIONS(FIGURE_POINTER)
  PANGO_FUNCTIONS(FIGURE_POINTER)
  PANGOCAIRO_FUNCTIONS(FIGURE_POINTER)
  GOBJECT_FUNCTIONS(FIGURE_POINTER)
  FONTCONFIG_FUNCTIONS(FIGURE_POINTER)
  int drawn;  /* fonts and caches made, which figure_close lets go */
} gfx;

/* The sonames Debian's libcairo2, libpango-1.0-0, libpangocairo-1.0-0 and
** libglib2.0-0 ship. */
static const char *open_one(const char *soname, void **handle) {
  if ((*handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) == NULL) return dlerror();
  return NULL;
}

const char *figure_open(void) {
  void *cairo, *pango, *pangocairo, *gobject, *fontconfig;
  const char *why;
  if (gfx.opened) return NULL;
  if ((why = open_one("libcairo.so.2", &cairo)) != NULL || (why = open_one("libpango-1.0.so.0", &pango)) != NULL ||
      (why = open_one("libpangocairo-1.0.so.0", &pangocairo)) != NULL ||
      (why = open_one("libgobject-2.0.so.0", &gobject)) != NULL ||
      (why = open_one("libfontconfig.so.1", &fontconfig)) != NULL)
    return why;
#define FIGURE_RESOLVE_IN(lib, name) { \
    void *found = dlsym(lib, #name); \
    if (found == NULL) return #lib " lacks " #name; \
    memcpy(&gfx.name, &found, sizeof found); \
  }
#define FROM_CAIRO(name) FIGURE_RESOLVE_IN(cairo, name)
#define FROM_PANGO(name) FIGURE_RESOLVE_IN(pango, name)
#define FROM_PANGOCAIRO(name) FIGURE_RESOLVE_IN(pangocairo, name)
#define FROM_GOBJECT(name) FIGURE_RESOLVE_IN(gobject, name)
#define FROM_FONTCONFIG(name) FIGURE_RESOLVE_IN(fontconfig, name)
  CAIRO_FUNCTIONS(FROM_CAIRO)
  PANGO_FUNCTIONS(FROM_PANGO)
  PANGOCAIRO_FUNCTIONS(FROM_PANGOCAIRO)
  GOBJECT_FUNCTIONS(FROM_GOBJECT)
  FONTCONFIG_FUNCTIONS(FROM_FONTCONFIG)
  gfx.opened = 1;
  return NULL;
}

static void open_libraries(lua_State *L) {
  const char *why = figure_open();
  if (why != NULL)
    luaL_error(L, "cannot draw charts as files: %s (Debian's libcairo2, libpangocairo-1.0-0 and fonts-noto-cjk)", why);
  /* fontconfig set up here, before pango would in a thread of its own,
  ** which may still be at it when figure_close lets go of it */
  if (!gfx.drawn) (void)gfx.FcInit();
  gfx.drawn = 1;
}

/* Let go of the fonts and caches pango and fontconfig keep for the
** process, so that a leak checker sees only what is lost.  Not cairo's
** own (cairo_debug_reset_static_data): it asserts that no font of its is
** alive, and one rarely was at exit (a CI run under valgrind aborted
** there); what cairo keeps stays reachable, which no checker counts. */
void figure_close(void) {
  if (!gfx.drawn) return;
  gfx.pango_cairo_font_map_set_default(NULL);
  gfx.FcFini();
  gfx.drawn = 0;
}

/* A surface and its drawing context, released however drawing ends. */
typedef struct figure {
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoLayout *layout;
  PangoFontDescription *font;
  int missing;  /* characters drawn as a missing-glyph box */
  double column_width;  /* of a line's points drawn as one column (column_add) */
} figure;

static void figure_release(figure *f) {
  if (f->font != NULL) gfx.pango_font_description_free(f->font);
  if (f->layout != NULL) gfx.g_object_unref(f->layout);
  if (f->cr != NULL) gfx.cairo_destroy(f->cr);
  if (f->surface != NULL) gfx.cairo_surface_destroy(f->surface);
  f->font = NULL, f->layout = NULL, f->cr = NULL, f->surface = NULL;
}

static int l_figure_gc(lua_State *L) {
  figure_release((figure *)luaL_checkudata(L, 1, FIGURE_SURFACE));
  return 0;
}

/* A figure on surface (owned from now on), text laid out with the same
** metrics whatever the surface: unhinted, so that an SVG, a PDF and a PNG
** of one chart place every glyph alike. */
static figure *figure_new(lua_State *L, cairo_surface_t *surface) {
  figure *f = (figure *)lua_newuserdatauv(L, sizeof *f, 0);
  cairo_font_options_t *options;
  memset(f, 0, sizeof *f);
  f->surface = surface;
  if (luaL_newmetatable(L, FIGURE_SURFACE)) {
    lua_pushcfunction(L, l_figure_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  if (gfx.cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
    luaL_error(L, "%s", gfx.cairo_status_to_string(gfx.cairo_surface_status(surface)));
  f->cr = gfx.cairo_create(surface);
  f->layout = gfx.pango_cairo_create_layout(f->cr);
  f->font = gfx.pango_font_description_from_string(FIGURE_FONT);
  if (f->layout == NULL || f->font == NULL) luaL_error(L, "not enough memory");
  options = gfx.cairo_font_options_create();
  gfx.cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  gfx.cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  gfx.pango_cairo_context_set_font_options(gfx.pango_layout_get_context(f->layout), options);
  gfx.cairo_font_options_destroy(options);
  return f;
}

/* Lay text out at size pixels (bold or not); its width and height and
** the distance from its top to its baseline, in pixels. */
static void layout_text(figure *f, const char *text, double size, int bold, double *w, double *h, double *baseline) {
  int pw, ph;
  gfx.pango_font_description_set_absolute_size(f->font, size * PANGO_SCALE);
  gfx.pango_font_description_set_weight(f->font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  gfx.pango_layout_set_font_description(f->layout, f->font);
  gfx.pango_layout_set_text(f->layout, text, -1);
  gfx.pango_cairo_update_layout(f->cr, f->layout);
  gfx.pango_layout_get_size(f->layout, &pw, &ph);
  *w = (double)pw / PANGO_SCALE, *h = (double)ph / PANGO_SCALE;
  *baseline = (double)gfx.pango_layout_get_baseline(f->layout) / PANGO_SCALE;
}

/* A measuring figure, made once a process and kept in the registry. */
static figure *measuring_figure(lua_State *L) {
  figure *f;
  if (lua_getfield(L, LUA_REGISTRYINDEX, "zb.figure.measure") != LUA_TNIL) {
    f = (figure *)lua_touserdata(L, -1);
    lua_pop(L, 1);
    return f;
  }
  lua_pop(L, 1);
  f = figure_new(L, gfx.cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1));
  lua_setfield(L, LUA_REGISTRYINDEX, "zb.figure.measure");
  return f;
}

/* zb.core.text_extent(text, size [, bold]): width, height and baseline of
** text set at size pixels, and how many of its characters no font has. */
int figure_l_text_extent(lua_State *L) {
  const char *text = luaL_checkstring(L, 1);
  double size = luaL_checknumber(L, 2), w, h, baseline;
  int bold = lua_toboolean(L, 3);
  figure *f;
  open_libraries(L);
  f = measuring_figure(L);
  layout_text(f, text, size, bold, &w, &h, &baseline);
  lua_pushnumber(L, w);
  lua_pushnumber(L, h);
  lua_pushnumber(L, baseline);
  lua_pushinteger(L, gfx.pango_layout_get_unknown_glyphs_count(f->layout));
  return 4;
}

/* Field key of the mark at the top of the stack, as a number (def when
** absent). */
static double number_field(lua_State *L, const char *key, double def) {
  double v;
  lua_getfield(L, -1, key);
  v = lua_isnil(L, -1) ? def : luaL_checknumber(L, -1);
  lua_pop(L, 1);
  return v;
}

static void set_colour(figure *f, lua_State *L, const char *key) {
  unsigned rgb = (unsigned)number_field(L, key, 0);
  gfx.cairo_set_source_rgb(f->cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

/* {kind = "text", x =, y =, text =, size =, align = 0 | 0.5 | 1 (of its
** width left of x), valign = the same of its height above y, or
** "baseline", colour =, bold =, angle = radians}. */
static void draw_text(figure *f, lua_State *L) {
  double size = number_field(L, "size", 12), align = number_field(L, "align", 0), w, h, baseline, valign;
  int bold;
  lua_getfield(L, -1, "bold");
  bold = lua_toboolean(L, -1);
  lua_getfield(L, -2, "text");
  layout_text(f, luaL_checkstring(L, -1), size, bold, &w, &h, &baseline);
  lua_getfield(L, -3, "valign");
  valign = lua_type(L, -1) == LUA_TSTRING ? baseline / h : luaL_optnumber(L, -1, 0);
  lua_pop(L, 3);
  gfx.cairo_save(f->cr);
  set_colour(f, L, "colour");
  gfx.cairo_translate(f->cr, number_field(L, "x", 0), number_field(L, "y", 0));
  gfx.cairo_rotate(f->cr, number_field(L, "angle", 0));
  gfx.cairo_move_to(f->cr, -w * align, -h * valign);
  gfx.pango_cairo_show_layout(f->cr, f->layout);
  gfx.cairo_restore(f->cr);
  f->missing += gfx.pango_layout_get_unknown_glyphs_count(f->layout);
}

/* The points of a polyline within one column of the page (a device pixel
** wide, or a pixel on a vector page): only the first, the lowest,
** the highest and the last of them reach cairo, which draws the same
** column as it would from all of them (M4 aggregation).  A line of 10^5
** points then costs what one of a few thousand does. */
typedef struct column {
  double index;  /* floor(x / width) of its points */
  int count, lowest_first;
  double first[2], low[2], high[2], last[2];
} column;

static void pen_to(figure *f, const double *p, int *pen_down) {
  if (*pen_down) gfx.cairo_line_to(f->cr, p[0], p[1]);
  else gfx.cairo_move_to(f->cr, p[0], p[1]), *pen_down = 1;
}

static void column_flush(figure *f, column *c, int *pen_down) {
  if (c->count == 0) return;
  pen_to(f, c->first, pen_down);
  if (c->count > 2) {
    pen_to(f, c->lowest_first ? c->low : c->high, pen_down);
    pen_to(f, c->lowest_first ? c->high : c->low, pen_down);
  }
  if (c->count > 1) pen_to(f, c->last, pen_down);
  c->count = 0;
}

static void column_add(figure *f, column *c, double x, double y, int *pen_down) {
  double index = floor(x / f->column_width);
  if (c->count > 0 && index != c->index) column_flush(f, c, pen_down);
  c->last[0] = x, c->last[1] = y;
  if (c->count++ == 0) {
    c->index = index;
    memcpy(c->first, c->last, sizeof c->first);
    memcpy(c->low, c->last, sizeof c->low);
    memcpy(c->high, c->last, sizeof c->high);
    return;
  }
  /* y grows downwards: the highest value has the lowest y */
  if (y > c->low[1]) memcpy(c->low, c->last, sizeof c->low), c->lowest_first = 0;
  if (y < c->high[1]) memcpy(c->high, c->last, sizeof c->high), c->lowest_first = 1;
}

/* {kind = "line", xs = {...}, ys = {...}, colour =, width =, dash =}: a
** polyline, broken where a coordinate is NaN. */
static void draw_line(figure *f, lua_State *L) {
  lua_Integer i, n;
  int pen_down = 0;
  double dash = number_field(L, "dash", 0);
  column c = {0};
  gfx.cairo_new_path(f->cr);
  lua_getfield(L, -1, "xs");
  lua_getfield(L, -2, "ys");
  n = luaL_len(L, -2);
  if (luaL_len(L, -1) != n) luaL_error(L, "a line's xs and ys differ in length");
  for (i = 1; i <= n; i++) {
    double x, y;
    lua_geti(L, -2, i);
    lua_geti(L, -2, i);
    x = lua_tonumber(L, -2), y = lua_tonumber(L, -1);
    lua_pop(L, 2);
    if (isnan(x) || isnan(y)) {
      column_flush(f, &c, &pen_down);
      pen_down = 0;
    } else {
      column_add(f, &c, x, y, &pen_down);
    }
  }
  column_flush(f, &c, &pen_down);
  lua_pop(L, 2);
  set_colour(f, L, "colour");
  gfx.cairo_set_line_width(f->cr, number_field(L, "width", 1));
  gfx.cairo_set_dash(f->cr, &dash, dash > 0 ? 1 : 0, 0);
  gfx.cairo_stroke(f->cr);
}

/* A series' point k on the page: 0 where it is missing (its y false),
** else 1 and its place. */
typedef struct series_mark {
  double x0, x_lo, x_scale, y0, y_lo, y_scale, step;
} series_mark;

static int series_point(lua_State *L, const series_mark *m, lua_Integer k, double *at, double *p) {
  int present;
  lua_geti(L, -2, k);
  lua_geti(L, -2, k);
  *at = lua_tonumber(L, -2);
  present = lua_type(L, -1) == LUA_TNUMBER;
  p[0] = m->x0 + (*at - m->x_lo) * m->x_scale;
  p[1] = m->y0 - (lua_tonumber(L, -1) - m->y_lo) * m->y_scale;
  lua_pop(L, 2);
  return present;
}

/* {kind = "series", xs =, ys =, n =, x0 =, x_lo =, x_scale =, y0 =, y_lo
** =, y_scale =, step =, colour =, width =}: a chart's line from its data
** (ys[k] false where missing), placed on the page here: x0 + (x - x_lo) *
** x_scale, y0 - (y - y_lo) * y_scale.  A point joins the one before when
** it is present and at most step after it; a point joined to neither
** side is a dot. */
static void draw_series(figure *f, lua_State *L) {
  series_mark m;
  lua_Integer k, n = (lua_Integer)number_field(L, "n", 0);
  int pen_down = 0, run = 0, pass;
  double before = 0, at, p[2], alone[2] = {0, 0};
  column c = {0};
  m.x0 = number_field(L, "x0", 0), m.x_lo = number_field(L, "x_lo", 0), m.x_scale = number_field(L, "x_scale", 1);
  m.y0 = number_field(L, "y0", 0), m.y_lo = number_field(L, "y_lo", 0), m.y_scale = number_field(L, "y_scale", 1);
  m.step = number_field(L, "step", HUGE_VAL);
  set_colour(f, L, "colour");
  gfx.cairo_set_line_width(f->cr, number_field(L, "width", 1));
  gfx.cairo_set_dash(f->cr, NULL, 0, 0);
  lua_getfield(L, -1, "xs");
  lua_getfield(L, -2, "ys");
  for (pass = 0; pass < 2; pass++) {  /* the lines, then the dots */
    gfx.cairo_new_path(f->cr);
    run = 0;
    for (k = 1; k <= n + 1; k++) {
      int present = k <= n && series_point(L, &m, k, &at, p);
      if (!present || (run > 0 && at - before > m.step)) {
        if (pass == 0) column_flush(f, &c, &pen_down);
        else if (run == 1) gfx.cairo_new_sub_path(f->cr), gfx.cairo_arc(f->cr, alone[0], alone[1], 3, 0, 2 * M_PI);
        pen_down = 0, run = 0;
      }
      if (!present) continue;
      if (pass == 0) column_add(f, &c, p[0], p[1], &pen_down);
      else if (run == 0) memcpy(alone, p, sizeof alone);
      before = at, run++;
    }
    if (pass == 0) gfx.cairo_stroke(f->cr);
    else gfx.cairo_fill(f->cr);
  }
  lua_pop(L, 2);
}

/* {kind = "rect", x =, y =, w =, h =, colour =} filled, or {kind = "dot",
** x =, y =, r =, colour =}. */
static void draw_shape(figure *f, lua_State *L, int dot) {
  double x = number_field(L, "x", 0), y = number_field(L, "y", 0);
  gfx.cairo_new_path(f->cr);
  if (dot) gfx.cairo_arc(f->cr, x, y, number_field(L, "r", 2), 0, 2 * M_PI);
  else gfx.cairo_rectangle(f->cr, x, y, number_field(L, "w", 0), number_field(L, "h", 0));
  set_colour(f, L, "colour");
  gfx.cairo_fill(f->cr);
}

/* zb.core.figure_write(path, format, width, height, scale, marks): the
** marks drawn on a width x height pixel page (white), written to path as
** format ("svg", "png" or "pdf"); a PNG has scale device pixels a pixel,
** the others are sized in points (3/4 of a pixel).  Returns how many
** characters came out as a missing-glyph box. */
int figure_l_write(lua_State *L) {
  const char *path = luaL_checkstring(L, 1), *format = luaL_checkstring(L, 2);
  double width = luaL_checknumber(L, 3), height = luaL_checknumber(L, 4), scale = luaL_checknumber(L, 5);
  cairo_surface_t *surface;
  cairo_status_t status;
  lua_Integer i, n;
  figure *f;
  luaL_checktype(L, 6, LUA_TTABLE);
  open_libraries(L);
  if (strcmp(format, "png") == 0)
    surface = gfx.cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(width * scale), (int)ceil(height * scale));
  else if (strcmp(format, "svg") == 0) surface = gfx.cairo_svg_surface_create(path, width * 0.75, height * 0.75);
  else if (strcmp(format, "pdf") == 0) surface = gfx.cairo_pdf_surface_create(path, width * 0.75, height * 0.75);
  else return luaL_error(L, "unknown chart format '%s' (svg, png or pdf)", format);
  f = figure_new(L, surface);
  f->column_width = strcmp(format, "png") == 0 ? 1 / scale : 1;
  gfx.cairo_scale(f->cr, strcmp(format, "png") == 0 ? scale : 0.75, strcmp(format, "png") == 0 ? scale : 0.75);
  gfx.cairo_set_source_rgb(f->cr, 1, 1, 1);
  gfx.cairo_paint(f->cr);
  gfx.cairo_set_line_join(f->cr, CAIRO_LINE_JOIN_ROUND);
  gfx.cairo_set_line_cap(f->cr, CAIRO_LINE_CAP_BUTT);
  n = luaL_len(L, 6);
  for (i = 1; i <= n; i++) {
    const char *kind;
    lua_geti(L, 6, i);
    luaL_checktype(L, -1, LUA_TTABLE);
    lua_getfield(L, -1, "kind");
    kind = luaL_checkstring(L, -1);
    lua_pop(L, 1);
    if (strcmp(kind, "text") == 0) draw_text(f, L);
    else if (strcmp(kind, "line") == 0) draw_line(f, L);
    else if (strcmp(kind, "series") == 0) draw_series(f, L);
    else if (strcmp(kind, "rect") == 0 || strcmp(kind, "dot") == 0) draw_shape(f, L, kind[0] == 'd');
    else return luaL_error(L, "unknown mark '%s'", kind);
    lua_pop(L, 1);
  }
  status = gfx.cairo_status(f->cr);
  if (status == CAIRO_STATUS_SUCCESS && strcmp(format, "png") == 0)
    status = gfx.cairo_surface_write_to_png(f->surface, path);
  gfx.cairo_surface_finish(f->surface);
  if (status == CAIRO_STATUS_SUCCESS) status = gfx.cairo_surface_status(f->surface);
  if (status != CAIRO_STATUS_SUCCESS) return luaL_error(L, "%s", gfx.cairo_status_to_string(status));
  lua_pushinteger(L, f->missing);
  figure_release(f);
  return 1;
}
