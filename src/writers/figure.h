/*
** figure.h: charts as SVG, PNG or PDF files (cairo, pango).
*/
#ifndef ZB_FIGURE_H
#define ZB_FIGURE_H

#include "lua.h"

/* zb.core.figure_write(path, format, width, height, scale, marks): draw
** marks (text, lines, rectangles, dots in pixels) on a white page written
** to path; returns how many characters no font could draw. */
int figure_l_write(lua_State *L);

/* zb.core.text_extent(text, size [, bold]): width, height, baseline and
** characters no font has, of text set at size pixels. */
int figure_l_text_extent(lua_State *L);

/* Open cairo and pango now (a safe session does, before the kernel's
** sandbox closes their files); NULL, or why they cannot be. */
const char *figure_open(void);

/* After the last chart (the Lua state closed): let go of the fonts and
** caches the libraries keep for the process. */
void figure_close(void);

#endif
