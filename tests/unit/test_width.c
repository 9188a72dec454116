/*
** test_width.c: zb's display widths agree with the C library's wcswidth
** (under C.UTF-8) on real Chinese text from the datasets.
*/
#include <locale.h>
#include <stdlib.h>
#include <wchar.h>

#include "width.h"
#include "unit.h"

static const char *const samples[] = {
  "杭州市", "钱塘区白杨街道邻里社区", "临安区於潜镇", "亿元", "万人", "万件", "%",
  "创新驱动", "改革牵引", "民生保障", "杭州市发展和改革委员会",
  "地区生产总值(亿元)", "数据库：分省年度数据", "时间：最近20年", "数据来源：国家统计局",
  "注：按照我国国民经济核算数据修订制度和国际通行做法，在第五次全国经济普查后，对1992年-2023年地区生产总值历史数据进行了系统修订。",
  "内蒙古自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
  "GDP 18109 亿元, +8.5%", "城乡居民人均可支配收入分别为74700元和42692元",
  "“10个共”协作帮扶", "《杭州市“扩中”“提低”行动方案》", "1.8:30.3:67.9", "（１２３）",
  "한국어", "にほんご", "e\xcc\x81t\xc3\xa9", "",
};

int main(void) {
  size_t i;
  if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
    CHECK(0, "the C.UTF-8 locale is available");
    return unit_done();
  }
  for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    wchar_t wide[512];
    size_t n = mbstowcs(wide, samples[i], 512);
    int expected = n == (size_t)-1 ? -1 : wcswidth(wide, n);
    char name[600];
    snprintf(name, sizeof name, "width of \"%s\" = wcswidth's %d", samples[i], expected);
    CHECK((int)width_of(samples[i], strlen(samples[i])) == expected, name);
  }
  CHECK(width_of("\x1b[31mred\x1b[0m", 12) == 3, "escape sequences take no columns");
  CHECK(width_of("a\xff" "b", 3) == 3, "a byte that is not UTF-8 takes one column");
  return unit_done();
}
