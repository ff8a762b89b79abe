"""Regenerate the sample township files in sample_data/township/ (committed; not run by make).

Needs openpyxl, and xlwt for the one legacy .xls file (a dev-only tool, not a dependency):
    python -m venv /tmp/x && /tmp/x/bin/pip install openpyxl xlwt && /tmp/x/bin/python sample_data/make_samples.py
The ID numbers are made up but carry valid check characters.
"""

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).parent / "township"
W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id(area, born, seq):
    body = f"{area}{born}{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, W)) % 11]


def title(ws, text, width):
    ws.append([text])
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=14)
    ws.cell(ws.max_row, 1).alignment = Alignment(horizontal="center")


def donations_chengguan():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "城关街道"
    title(ws, "城关街道2021年“99公益日”线下捐款登记表", 7)
    ws.append(["填报单位：城关街道慈善工作站", None, None, None, "填报日期：2021年9月10日"])
    ws.append(["序号", "村（社区）", "捐赠人", "捐赠金额（元）", "捐赠日期", "捐赠方式", "备注"])
    rows = [
        ("东关社区", "王建国", "1,000", "2021-09-07", "现金", None),
        ("东关社区", "商洛市东关百货店", 2000, dt.date(2021, 9, 7), "对公转账", None),
        ("东关社区", "李秀兰", "200元", "2021/9/8", "现金", "退休教师"),
        ("西关社区", "陕西秦丰农业有限公司", "￥5,000.00", "2021年9月8日", "银行转账", None),
        ("西关社区", "赵小明", 300.5, 44447, "微信", None),
        ("西关社区", "匿名", "1.2万", "20210909", "现金", None),
    ]
    for i, row in enumerate(rows, 1):
        ws.append([i, *row])
    ws.merge_cells("B4:B6")
    ws.merge_cells("B7:B9")
    ws.append(["合计", None, None, 20500.5])
    ws.append(["制表人：张丽", None, None, "审核人：李强"])
    wb.save(OUT / "donations_城关街道.xlsx")


def donations_townships():
    """One sheet per township; amounts in 万元 (a `单位：万元` line), goods with 数量 × 单价."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    data = {
        "大赵峪街道": [("商州区大赵峪中学", 0.5, None, None, None, None), ("陈某某", 0.12, None, None, None, None),
                      ("商洛某建材厂", None, "水泥", 100, "袋", 25)],
        "沙河子镇": [("沙河子镇人民政府", 1.0, None, None, None, None), ("刘某", 16.62, None, None, None, None),
                    ("商洛某超市", None, "食用油", 40, "桶", 60.5)],
    }
    for town, rows in data.items():
        ws = wb.create_sheet(town)
        title(ws, f"{town}慈善捐赠统计表", 7)
        ws.append(["单位：万元"])
        ws.append(["序号", "捐赠单位（个人）", "捐赠金额", "捐赠物资", "数量", "单位", "单价（元）"])
        for i, row in enumerate(rows, 1):
            ws.append([i, *row])
        ws.append(["制表人：王芳"])
    wb.save(OUT / "donations_各乡镇.xlsx")


def donations_online_csv():
    lines = ["订单号,用户昵称,捐赠金额,捐赠时间,支付方式,捐赠项目",
             "TX20210907000001,爱心人士小王,50.00,2021-09-07 10:01:02,腾讯公益,朝阳助学",
             "TX20210907000002,䶮,99.00,2021-09-07 11:22:03,腾讯公益,朝阳助学",
             "TX20210908000003,,20,2021-09-08 08:00:00,腾讯公益,朝阳助学",
             "TX20210909000004,商洛某商会,1000,2021-09-09 09:09:09,腾讯公益,朝阳助学"]
    (OUT / "donations_99公益日_网络.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))


def donations_legacy_xls():
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("杨峪河镇")
    header = ["序号", "捐款人", "金额(元)", "日期", "方式"]
    ws.write_merge(0, 0, 0, 4, "杨峪河镇慈心一日捐明细（WPS旧模板）")
    for col, text in enumerate(header):
        ws.write(1, col, text)
    rows = [("杨峪河镇中心小学", 3200, "2021.5.20", "转账"), ("杨峪河镇卫生院", 2800, "2021.5.20", "转账"),
            ("周某", 100, "2021.5.21", "现金")]
    for r, row in enumerate(rows, start=2):
        ws.write(r, 0, r - 1)
        for col, value in enumerate(row, start=1):
            ws.write(r, col, value)
    ws.write(5, 0, "合  计")
    ws.write(5, 2, 6100)
    wb.save(str(OUT / "donations_杨峪河镇_一日捐.xls"))


def spring_roster():
    """A two-row header (慰问金额 over 现金 | 物品折价), villages merged down, 小计 per village."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "城关街道"
    title(ws, "商州区2021年春节慰问困难群众发放花名册", 10)
    ws.append(["填报单位：城关街道", None, None, None, None, None, "填报日期：2021年2月6日"])
    ws.append(["序号", "村（社区）", "户主姓名", "身份证号码", "家庭人口", "困难类型", "慰问金额", None, "领取人签字", "备注"])
    ws.append([None, None, None, None, None, None, "现金", "物品折价"])
    for col in (1, 2, 3, 4, 5, 6, 9, 10):
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    ws.merge_cells("G3:H3")
    people = {
        "东关社区": [("王秀珍", make_id("611002", "19450312", 22), 1, "特困供养"),
                    ("李德福", make_id("611002", "19580705", 13), 3, "低保户"),
                    ("张桂兰", make_id("611002", "19620918", 24), 2, "残疾人家庭")],
        "西关社区": [("赵永明", make_id("611002", "19701101", 35), 4, "因病致困"),
                    ("孙玉梅", make_id("611002", "19530228", 46), 1, "低保户")],
    }
    n = 0
    for village, rows in people.items():
        first = ws.max_row + 1
        for name, id_number, size, kind in rows:
            n += 1
            ws.append([n, village, name, id_number, size, kind, 300, 100, None, None])
        ws.merge_cells(start_row=first, start_column=2, end_row=ws.max_row, end_column=2)
        ws.append([None, "小计", None, None, None, None, 300 * len(rows), 100 * len(rows)])
    ws.append(["合计", None, None, None, None, None, 1500, 500])
    ws.append(["制表人：张丽", None, None, "审核人：李强", None, None, "负责人：王伟"])
    wb.save(OUT / "春节花名册_城关街道.xlsx")


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    donations_chengguan()
    donations_townships()
    donations_online_csv()
    donations_legacy_xls()
    spring_roster()
