"""Writes examples/bureau-2020-h1.xlsx: the figures of actuals-2020-h1.csv as a bureau
circulates them (illustrative, not official statistics).

A cover sheet, then a sheet with a title row, a note row (填报单位, 单位), 序号, a 单位
column, the months as columns without their year (the title gives it), last year's levels
and same-period values as columns of their own, and 责任单位. Run it with openpyxl
installed (`pip install '.[test]'`): `python examples/bureau_workbook.py`.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HEADER = ["序号", "指标名称", "单位", "2019年末", "2019年1-6月", "1-3月", "1-6月", "责任单位"]
# 指标名称, 单位, 2019年末, 2019年1-6月, 1-3月, 1-6月, 责任单位
ROWS = [
    ("高新技术企业", "家", 785, None, None, 812, "高新技术处"),
    ("国家科技型中小企业", "家", 702, None, None, 1036, "高新技术处"),
    ("高新技术产业增加值增长", "%", None, None, -4.6, 8.7, "发展计划处"),
    ("国家和省级重点科技项目", "个", None, None, None, 32, "发展计划处"),
    ("国家和省级重点科技项目资金", "万元", None, None, None, 4600, "发展计划处"),
    ("高层次科技人才团队", "个", None, None, 4, 12, "人才工作处"),
    ("省级以上科技研发机构", "家", None, None, None, 4, "创新平台处"),
    ("科技企业孵化器、众创空间", "家", None, None, None, 0, "创新平台处"),
    ("产学研合作对接活动", "次", None, None, None, 14, "成果转化处"),
    ("登记科技成果", "件", None, None, None, 430, "成果转化处"),
    ("研发经费投入", "亿元", None, None, None, 44.6, "发展计划处"),
    ("地区生产总值", "亿元", None, None, None, 1708.9, "市统计局"),
    ("企业吸纳技术合同成交额", "亿元", None, 30.5, None, 34.8, "成果转化处"),
]
ILLUSTRATIVE = "示例数据，非官方统计 (illustrative example - not official statistics)"


def write(path: Path) -> None:
    book = openpyxl.Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "封面"
    cover.append(["芜湖市科学技术局"])
    cover.append(["2020年科技统计月报"])
    cover.append([ILLUSTRATIVE])
    sheet = book.create_sheet("主要指标")
    sheet.append(["2020年1-6月主要科技指标完成情况"])
    sheet.append(["填报单位：市科技局（示例）", None, None, None, None, None, None, ILLUSTRATIVE])
    sheet.append(HEADER)
    for number, row in enumerate(ROWS, 1):
        sheet.append([number, *row])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (6, 28, 6, 10, 12, 8, 8, 12), strict=True):
        sheet.column_dimensions[column].width = width
    book.save(path)


if __name__ == "__main__":
    write(Path(__file__).resolve().parent / "bureau-2020-h1.xlsx")
