"""Regenerate the sample township files in sample_data/township/ and the online-platform and bank
files in sample_data/platforms/ (committed; not run by make). No real personal data.

Needs openpyxl, and xlwt for the one legacy .xls file (a dev-only tool, not a dependency):
    python -m venv /tmp/x && /tmp/x/bin/pip install openpyxl xlwt && /tmp/x/bin/python sample_data/make_samples.py
(``--platforms-only`` writes only sample_data/platforms/, which needs openpyxl alone.)
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


PLATFORMS = Path(__file__).parent / "platforms"


def tencent_orders():
    """腾讯公益 order export, as the open platform's 用户订单 fields: 28-digit order numbers (text),
    amounts in 分, times with +08:00 (the first is just after midnight), one order refunded (state 12)."""
    rows = [("1465188602202109070000000125", "2021090701", 5000, "2021-09-07T00:06:24+08:00", 11, "2021年99公益日·朝阳助学", "晨曦"),
            ("1465188602202109070000000126", "2021090701", 1999, "2021-09-07T09:15:02+08:00", 11, "2021年99公益日·朝阳助学", "小鱼儿"),
            ("1465188602202109080000000127", "2021090701", 10000, "2021-09-08T21:40:55+08:00", 12, "2021年99公益日·朝阳助学", "李**"),
            ("1465188602202109090000000128", "2021090701", 100, "2021-09-08T16:30:00Z", 11, "2021年99公益日·朝阳助学", "")]
    text = "transcode,pid,money,trans_time,trans_state,proj_name,nickname\r\n" + "".join(
        ",".join(str(v) for v in row) + "\r\n" for row in rows)
    (PLATFORMS / "腾讯公益_订单.csv").write_bytes(text.encode("utf-8-sig"))


def tencent_matched():
    """A 99公益日 list with matched funds (配捐) beside each gift."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "捐款明细"
    title(ws, "2021年99公益日 朝阳助学 捐款明细", 4)
    ws.append(["捐款时间", "昵称", "捐赠金额", "配捐金额"])
    for row in [("2021-09-07 10:02:11", "晴天", 50, 25), ("2021-09-07 11:30:40", "阿福", 100, 50),
                ("2021-09-09 23:59:01", "匿名爱心人士", 20, 0)]:
        ws.append(list(row))
    wb.save(PLATFORMS / "腾讯公益_配捐.xlsx")


def alipay_list():
    """支付宝公益 donor list saved by Chinese Windows Excel: GB18030, a refunded order."""
    rows = [("2021090722001400001", "2021-09-07 08:12:00", "30.00", "陈**", "朝阳助学", "交易成功"),
            ("2021090722001400002", "2021-09-07 12:40:19", "200.00", "周**", "朝阳助学", "交易成功"),
            ("2021090822001400003", "2021-09-08 19:03:55", "5.00", "吴**", "朝阳助学", "已退款")]
    text = "交易号,捐赠时间,捐赠金额（元）,用户昵称,项目名称,交易状态\r\n" + "".join(",".join(row) + "\r\n" for row in rows)
    (PLATFORMS / "支付宝公益_捐赠明细.csv").write_bytes(text.encode("gb18030"))


def unionpay_list():
    """云闪付 donor list: masked payers, amounts as numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "捐赠名单"
    ws.append(["交易时间", "付款人", "交易金额（元）", "交易流水号", "交易状态"])
    for row in [("2021-09-07 14:21:09", "赵**", 66.6, "U20210907142109001", "成功"),
                ("2021-09-08 07:55:30", "孙**", 100, "U20210908075530002", "成功")]:
        ws.append(list(row))
    wb.save(PLATFORMS / "云闪付_捐赠名单.xlsx")


def bank_statement():
    """A township's bank statement: account lines above the header, credits and debits, times of day."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "账户明细"
    ws.append(["中国农业银行 对公账户交易明细"])
    ws.append(["户名：商州区慈善协会城关街道工作站"])
    ws.append(["账号：6228 **** **** 0001", None, None, "币种：人民币"])
    ws.append(["查询期间：2021-10-01 至 2021-10-31"])
    ws.append(["交易日期", "交易时间", "借方发生额", "贷方发生额", "余额", "对方户名", "对方账号", "摘要", "流水号"])
    for row in [("2021-10-08", "09:31:02", None, 3000, 3000, "商洛市东关百货店", "6217****0001", "捐款 重阳敬老", "B2021100800001"),
                ("2021-10-12", "15:02:44", 12.5, None, 2987.5, "中国农业银行", None, "账户管理费", "B2021101200002"),
                ("2021-10-20", "10:00:00", None, 800, 3787.5, "李秀兰", "6228****0002", "个人捐款", "B2021102000003")]:
        ws.append(list(row))
    wb.save(PLATFORMS / "银行流水_城关街道.xlsx")


if __name__ == "__main__":
    import sys

    OUT.mkdir(exist_ok=True)
    PLATFORMS.mkdir(exist_ok=True)
    if "--platforms-only" not in sys.argv:
        donations_chengguan()
        donations_townships()
        donations_online_csv()
        donations_legacy_xls()
        spring_roster()
    tencent_orders()
    tencent_matched()
    alipay_list()
    unionpay_list()
    bank_statement()
