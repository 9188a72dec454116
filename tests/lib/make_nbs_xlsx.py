# Makes datasets/nbs-province-gdp-2023-2024.xlsx (openpyxl) and .xls (xlwt)
# from the shipped NBS export (datasets/nbs-province-gdp-2006-2024.gbk.csv),
# laid out as a yearbook's table: a title and units above, 2023年 and 2024年
# merged over 绝对数 | 增长% (nominal growth, from the levels), the export's
# notes below.
#   /usr/bin/python3 tests/lib/make_nbs_xlsx.py CSV XLSX XLS
import csv
import sys

import openpyxl
import xlwt
from openpyxl.styles import Alignment

lines = open(sys.argv[1], encoding="gbk").read().splitlines()
rows = list(csv.reader(lines[3:35]))
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "分省GDP"
ws.append(["表1 分省地区生产总值（2023-2024年）"])
ws.append(["单位：亿元；增长为名义增长，%"])
ws.append([])
ws.append(["地区", "2023年", None, "2024年", None])
ws.append([None, "绝对数", "增长%", "绝对数", "增长%"])
ws.merge_cells("A4:A5")
ws.merge_cells("B4:C4")
ws.merge_cells("D4:E4")
years = rows[0][1:]
for r in rows[1:]:
    v = {y: float(x) for y, x in zip(years, r[1:])}
    ws.append([r[0], v["2023年"], round((v["2023年"] / v["2022年"] - 1) * 100, 1),
               v["2024年"], round((v["2024年"] / v["2023年"] - 1) * 100, 1)])
for row in ws.iter_rows(min_row=6):
    for cell in row[1:]:
        cell.number_format = "0.0"
ws.append([lines[-2]])
ws.append([lines[-1] + "；增长由绝对数计算。"])
ws["B4"].alignment = ws["D4"].alignment = Alignment(horizontal="center")
wb.save(sys.argv[2])

# The same cells as an .xls
book = xlwt.Workbook(encoding="utf-8")
sheet = book.add_sheet("分省GDP")
figure = xlwt.easyxf(num_format_str="0.0")
for r, row in enumerate(ws.iter_rows(values_only=True)):
    for c, v in enumerate(row):
        if v is not None and not (3 <= r <= 4):
            sheet.write(r, c, v, figure if isinstance(v, float) else xlwt.Style.default_style)
sheet.write_merge(3, 4, 0, 0, "地区")
sheet.write_merge(3, 3, 1, 2, "2023年")
sheet.write_merge(3, 3, 3, 4, "2024年")
for c, label in enumerate(["绝对数", "增长%", "绝对数", "增长%"]):
    sheet.write(4, c + 1, label)
book.save(sys.argv[3])
