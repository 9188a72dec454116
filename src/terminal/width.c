/*
** width.c: display width of UTF-8 text, as a terminal lays it out.  Our own
** table rather than wcwidth(3), which depends on the locale: zb's scripts
** run in the C locale too, and Chinese must align there as well.
*/
#include <stdint.h>
#include <string.h>
#include "lua.h"
#include "lauxlib.h"

#include "width.h"

typedef struct range {
  unsigned first, last;
} range;

/* East Asian Wide (W) and Fullwidth (F) blocks. */
static const range wide[] = {
  {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0},
  {0x23F3, 0x23F3}, {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F},
  {0x2693, 0x2693}, {0x26A1, 0x26A1}, {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5},
  {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5},
  {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728},
  {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
  {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
  {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF},
  {0xA960, 0xA97F}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F},
  {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
  {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A},
  {0x1F200, 0x1F202}, {0x1F210, 0x1F23B}, {0x1F240, 0x1F248}, {0x1F250, 0x1F251},
  {0x1F260, 0x1F265}, {0x1F300, 0x1F320}, {0x1F32D, 0x1F335}, {0x1F337, 0x1F37C},
  {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0},
  {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC},
  {0x1F4FF, 0x1F53D}, {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A},
  {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4}, {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5},
  {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6D7}, {0x1F6EB, 0x1F6EC},
  {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945},
  {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

/* Combining marks and other characters that take no column. */
static const range zero[] = {
  {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A}, {0x064B, 0x065F},
  {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
  {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x302A, 0x302D},
  {0x3099, 0x309A}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

static int in(const range *r, size_t n, unsigned c) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (c < r[mid].first) hi = mid;
    else if (c > r[mid].last) lo = mid + 1;
    else return 1;
  }
  return 0;
}

/* The offset of the first byte that is not valid UTF-8, or n. */
size_t utf8_prefix(const char *text, size_t n) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0;
  while (i < n) {
    unsigned c;
    uint64_t word;
    while (i + 8 <= n && (memcpy(&word, s + i, 8), (word & 0x8080808080808080ULL) == 0)) i += 8;  /* ASCII */
    if (i >= n) break;
    c = s[i];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    size_t k;
    if (len == 0 || i + len > n) return i;
    if ((len == 2 && c < 0xC2) || (len == 4 && c > 0xF4)) return i;
    for (k = 1; k < len; k++)
      if ((s[i + k] & 0xC0) != 0x80) return i;
    if (len == 3 && ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F))) return i;
    if (len == 4 && ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))) return i;
    i += len;
  }
  return n;
}

/* Decode the character at s (len bytes left); returns its length, 0 if not UTF-8. */
static size_t decode(const unsigned char *s, size_t len, unsigned *c) {
  size_t n = s[0] < 0x80 ? 1 : (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ? 3 : (s[0] >> 3) == 30 ? 4 : 0;
  size_t i;
  if (n == 0 || n > len) return 0;
  *c = n == 1 ? s[0] : s[0] & (0x7F >> n);
  for (i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    *c = (*c << 6) | (s[i] & 0x3F);
  }
  return n;
}

size_t width_of(const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0, columns = 0;
  while (i < len) {
    unsigned c;
    size_t n;
    if (s[i] == 0x1B && i + 1 < len && s[i + 1] == '[') {  /* an escape sequence (colour) */
      i += 2;
      while (i < len && !(s[i] >= 0x40 && s[i] <= 0x7E)) i++;
      i++;
      continue;
    }
    n = decode(s + i, len - i, &c);
    if (n == 0) {
      columns++;
      i++;
      continue;
    }
    i += n;
    if (c >= 0x4E00 && c <= 0x9FFF) {  /* the common Chinese characters: wide, none of zero width */
      columns += 2;
      continue;
    }
    if (c >= 0x20 && c < 0x7F) {  /* printable ASCII */
      columns++;
      continue;
    }
    if (c < 0x20 || (c >= 0x7F && c < 0xA0)) continue;  /* controls */
    if (in(zero, sizeof zero / sizeof zero[0], c)) continue;
    columns += in(wide, sizeof wide / sizeof wide[0], c) ? 2 : 1;
  }
  return columns;
}

int width_l(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  lua_pushinteger(L, (lua_Integer)width_of(s, len));
  return 1;
}
