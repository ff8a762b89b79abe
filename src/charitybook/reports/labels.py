"""The words of the published reports, chosen by the run's language.

Report words are not gettext messages: the Chinese report prints the terms of the county tables
exactly (渠道, 笔数, 金额（元）…), whatever a catalogue says, and a template an association copied
keeps working. Each phrase is written once in both languages (``WORDS``); the names of the
books' own terms (channels, fund kinds, purposes, donor types, relief categories, hardship types,
holidays, units) come from ``charitybook.vocabulary``, their one owner.
"""

from __future__ import annotations

from charitybook import vocabulary as v
from charitybook.i18n import language

# key: (Chinese, English)
WORDS = {
    "none": ("（未填）", "(not given)"), "wan": ("万元", "×10k yuan"), "yuan": ("元", "yuan"), "total": ("合计", "Total"),
    "channel_h": ("渠道", "Channel"), "count_h": ("笔数", "Count"), "amount_h": ("金额（元）", "Amount (yuan)"),
    "cash_h": ("现金（元）", "Cash (yuan)"), "goods_h": ("物资折价（元）", "Goods (yuan)"),
    "donor_type_h": ("捐赠人类型", "Donor type"), "township_h": ("乡镇（街道）", "Township"), "month_h": ("月份", "Month"),
    "project_h": ("项目 / 基金", "Project / fund"), "donor_h": ("捐赠人", "Donor"), "category_h": ("救助类别", "Category"),
    "recipients_h": ("受助人数", "Recipients"), "hardship_h": ("困难类型", "Hardship type"), "fund_h": ("基金", "Fund"),
    "kind_h": ("性质", "Kind"), "opening_h": ("期初", "Opening"), "in_h": ("本期收入", "In"), "out_h": ("本期支出", "Out"),
    "closing_h": ("期末", "Closing"), "principal_h": ("留本本金", "Principal"), "rule_h": ("指标", "Rule"),
    "actual_h": ("实际", "Actual"), "base_h": ("基数", "Base"), "percent_h": ("比例（%）", "Percent"),
    "actual_yuan_h": ("实际（元）", "Actual (yuan)"), "base_yuan_h": ("基数（元）", "Base (yuan)"), "ratio_h": ("比例", "Ratio"),
    "status_h": ("结论", "Result"), "holiday_h": ("节日", "Holiday"), "total_h": ("合计（元）", "Total (yuan)"),
    "date_h": ("日期", "Date"), "receipt_h": ("票据号", "Receipt"), "item_h": ("物品", "Item"), "quantity_h": ("数量", "Quantity"),
    "value_h": ("价值（元）", "Value (yuan)"), "campaign_h": ("募捐活动", "Campaign"), "line_h": ("项目", "Line"),
    "unit_h": ("单位", "Unit"), "figure_h": ("数值", "Figure"), "note_h": ("说明", "Note"), "share_h": ("占比", "Share"),
    "tier_h": ("往来类型", "Between tiers"), "body_h": ("往来单位", "Body"),
    "made": ("制表时间：{time}", "Made {time}"),
    "station_h": ("工作站 / 联络站", "Station"), "collected_h": ("募集（元）", "Collected (yuan)"),
    "given_h": ("救助支出（元）", "Relief given (yuan)"), "cases_h": ("其中：个案救助", "of which relief cases"),
    "holiday_given_h": ("其中：节日慰问", "of which holiday relief"), "held_h": ("自有基金年末结存（元）", "Own funds at year end (yuan)"),
    "households_h": ("受助户数", "Households"), "persons_h": ("受助人数（按人）", "Persons (rosters by person)"),
    # the report's name, under the association's on every sheet
    "title": {"annual": ("{year}年度工作报告", "Annual report {year}"), "holiday": ("{year}年节日慰问汇总", "Holiday relief {year}"),
              "compliance": ("{year}年支出比例", "Statutory ratios {year}"), "funds": ("{year}年基金收支", "Funds {year}"),
              "donor": ("{donor} {year}年捐赠明细", "{donor}: gifts in {year}"),
              "station": ("{year}年各工作站收支", "Stations {year}"),
              "statements": ("{year}年度财务报表", "Financial statements {year}"),
              "disclosure": ("{year}年度慈善信息公开", "Disclosure {year}"),
              "correction": ("{year}年度更正说明", "Correction notice {year}")},
    # disclose annual / disclose correction (慈善中国)
    "dc": {"title": ("{year}年度慈善信息公开（慈善中国）", "Disclosure {year} (慈善中国)"),
           "annual": ("年度工作报告和财务会计报告", "Annual work report and financial report"),
           "campaign": ("募捐活动：{name}", "Fundraising campaign: {name}"), "project": ("慈善项目：{name}", "Charity project: {name}"),
           "package_h": ("公开条目", "Package"), "income": ("收入来源", "Income by source"),
           "income_line": ("本期收入 {total} 元，其中现金 {cash} 元、物资折价 {goods} 元，共 {count} 笔。",
                           "Income {total} yuan: cash {cash}, goods (appraised) {goods}; {count} gifts."),
           "platform_h": ("募捐平台", "Platform"), "offline": ("（线下）", "(offline)"),
           "donors": ("主要捐赠人", "Largest donors"),
           "donors_rule": ("单位捐赠人列名；个人捐赠人本期捐赠达 {amount} 元的列名，其余个人和匿名捐赠合并列示；不公开任何身份证号码。",
                           "Organisations are named; a person is named when their gifts in the package reach {amount} yuan; other "
                           "persons and anonymous gifts are shown together by type. No ID number is ever shown."),
           "others": ("其他{type}捐赠人（{donors} 位）", "Other donors: {type} ({donors})"),
           "spending": ("支出", "Spending"), "charitable_h": ("慈善活动支出（元）", "Charitable (yuan)"),
           "management_h": ("管理费用（元）", "Management (yuan)"), "fundraising_h": ("筹资费用（元）", "Fundraising (yuan)"),
           "costs": ("管理费用 {management} 元，筹资费用 {fundraising} 元；支出合计 {total} 元。",
                     "Management costs {management} yuan, fundraising costs {fundraising} yuan; spending {total} yuan."),
           "recipients": ("受助情况（汇总，不列个人）", "Recipients (aggregates; no person is named)"),
           "balance": ("项目资金：期初 {opening} 元，本期收入 {in} 元，本期支出 {out} 元，期末结余 {closing} 元。",
                       "Project fund: opening {opening} yuan, in {in}, out {out}, left at the end {closing}."),
           "ratios": ("比例", "Ratios"),
           "charitable_of_income": ("慈善活动支出占本期收入", "Charitable spending of income"),
           "costs_of_spending": ("管理和筹资费用占支出", "Costs of spending"),
           "statements": ("财务会计报表（摘要，全文见 report statements）", "Financial statements (summary; in full: report statements)"),
           "work": ("年度工作报告数据", "Annual work-report data"),
           "correction": ("更正说明", "Correction notice"),
           "corrects": ("更正 {date} 公开的“{package}”（公开记录 #{id}）。以下各项的公开数与现数不同：",
                        "Corrects “{package}” as published on {date} (publication #{id}). These lines differ:"),
           "path_h": ("项目（JSON 路径）", "Line (JSON path)"), "published_h": ("原公开数", "Published"), "now_h": ("更正后", "Now"),
           "note": {"campaign_spending": ("账簿不把支出和费用记到募捐活动：此处为本活动款项所入项目的本年支出（含其各项来源）。",
                                          "The ledger does not tie spending or costs to a campaign: shown is the year's spending "
                                          "of the projects its money went to, from all their income."),
                    "campaign_general_fund": ("本活动募得的非限定性款项与本会其他非限定性资金统筹使用，见年度报告条目。",
                                              "What the campaign raised for the unrestricted fund is spent with the association's "
                                              "general spending: see the annual package.")},
           "fingerprints": ("原公开内容 SHA-256：{old}；更正后：{new}", "SHA-256 published: {old}; corrected: {new}")},
    # the financial statements (会民非01/02/03表)
    "fs": {"activities": ("业务活动表（会民非02表）", "Statement of activities (会民非02表)"),
           "position": ("资产负债表（会民非01表）", "Balance sheet (会民非01表)"),
           "cashflow": ("现金流量表（会民非03表）", "Cash-flow statement (会民非03表)"),
           "row_h": ("行次", "Row"), "item_h": ("项目", "Line"), "unrestricted_h": ("非限定性", "Unrestricted"),
           "restricted_h": ("限定性", "Restricted"), "total_h": ("合计", "Total"), "this_h": ("本年数", "This year"),
           "previous_h": ("上年数", "Previous year"), "opening_h": ("年初数", "Start of year"), "closing_h": ("期末数", "End of year"),
           "amount_h": ("本年金额", "This year"), "previous_amount_h": ("上年金额", "Previous year"), "mark_h": ("注", "Note"),
           "unit": ("单位：元", "Unit: yuan"), "chart": ("会计制度：{title}", "Chart of accounts: {title}"),
           "entered": ("※ 该行含会计人员录入的期初数或调整数；其余各行取自账簿。",
                       "※ the line includes the accountant's opening balances or adjustments (`charitybook statement list`); "
                       "every other line comes from the ledger."),
           "uncertain": ("？ 该行的行次或科目未经财政部原文核对：{note}", "? the line's row number or account is not checked against the official text: {note}"),
           "balanced": ("资产总计 = 负债和净资产总计：{amount} 元。", "Total assets = total liabilities and net assets: {amount} yuan."),
           "unbalanced": ("资产总计 {assets} 元，负债和净资产总计 {other} 元，相差 {difference} 元。",
                          "Total assets {assets} yuan, total liabilities and net assets {other} yuan: they differ by {difference} yuan."),
           "unmatched": ("未录入对应科目的会计调整：{line} {effect} 元", "Accountant's entry without its counterpart: {line} {effect} yuan"),
           "release_unconfirmed": ("限定性净资产转为非限定性净资产 {amount} 元按限定性资金的实际使用额计算，尚未经会计人员确认"
                                   "（charitybook statement release --year {year} --confirm --by 姓名）。",
                                   "The release from restriction, {amount} yuan, is proposed from what restricted funds used and is "
                                   "not confirmed yet (`charitybook statement release --year {year} --confirm --by NAME`)."),
           "release_confirmed": ("限定性净资产转为非限定性净资产 {amount} 元已由{by}于{on}确认（第{id}号）。",
                                 "The release from restriction, {amount} yuan, was confirmed by {by} on {on} (no. {id})."),
           "release_differs": ("确认后账簿有变动：{fund} 已确认 {booked} 元，按现账应为 {proposed} 元；请重新确认。",
                               "The ledger changed after the confirmation: {fund} booked {booked} yuan, the ledger now proposes "
                               "{proposed} yuan; confirm the release again."),
           "cash_differs": ("现金及现金等价物净增加额与货币资金的变动相差 {amount} 元。",
                            "The net increase in cash differs from the change in 货币资金 by {amount} yuan.")},
    "status": {"pass": ("达标", "pass"), "breach": ("未达标", "BREACH"), "not enough history": ("历史数据不足", "not enough history"),
               "not applicable": ("不适用", "not applicable")},
    "rule": {"charitable_vs_previous_income": ("慈善活动支出 ≥ 上年总收入的 70%", "charitable spending ≥ 70% of previous year's income"),
             "charitable_vs_three_year_income": ("慈善活动支出 ≥ 前三年平均收入的 70%",
                                                 "charitable spending ≥ 70% of the previous three years' average income"),
             "management_vs_total_spending": ("管理费用 ≤ 当年总支出的 {threshold}%", "management costs ≤ {threshold}% of total spending")},
    "org_type": {"social": ("社会团体", "social organisation"), "foundation": ("基金会", "foundation")},
    "sheet": {"summary": ("概况", "Summary"), "tiers": ("上下级往来", "Between tiers"), "channel": ("按渠道", "By channel"), "donor_type": ("按捐赠人类型", "By donor type"),
              "township": ("按乡镇", "By township"), "month": ("按月", "By month"), "project": ("按项目", "By project"),
              "top": ("主要捐赠人", "Top donors"), "relief": ("救助", "Relief"), "holiday": ("节日慰问", "Holiday relief"),
              "funds": ("基金", "Funds"), "compliance": ("支出比例", "Ratios"), "gifts": ("捐赠明细", "Gifts"), "stock": ("物资库存", "Stock"),
              "stations": ("各工作站", "Stations"), "station_relief": ("工作站救助", "Station relief"),
              "station_funds": ("工作站基金", "Station funds")},
    # the headline sheet's lines
    "headline": {"received": ("募集款物合计", "Money and goods received"), "cash": ("其中：现金", "of which cash"),
                 "goods": ("其中：捐赠物资折价", "of which goods (appraised)"), "online": ("其中：网络募捐", "of which online"),
                 "gifts": ("捐赠笔数", "Gifts"), "growth": ("较上年增减", "Change on the previous year"),
                 "other_income": ("其他收入（利息等）", "Other income (interest etc.)"),
                 "pledges": ("认捐未到账", "Pledges outstanding"),
                 "from_above": ("上级拨入（不计入募集款物）", "Received from a higher body (not money raised)"),
                 "to_above": ("上交上级", "Passed up to a higher body"), "to_below": ("拨付下级", "Passed down to a lower body"), "relief": ("救助支出合计", "Relief paid out"),
                 "holiday": ("{holiday}慰问", "{holiday} gifts"), "spending": ("支出合计", "Spending"),
                 "funds_cash": ("各基金期末现金合计", "Funds' closing cash"), "principal": ("留本基金本金", "Endowment principal")},
    # (one, many) in English: a count's number format says "1 gift", "2 gifts"
    "count_unit": {"gifts": ("笔", ("gift", "gifts")), "household": ("户", ("household", "households")),
                   "person": ("人", ("person", "persons"))},
    "note": {"income": ("机构类型：{org_type}；本年总收入 {income} 元。", "Organisation type: {org_type}; income this year {income} yuan."),
             "tiers": ("本年总收入含上级拨入 {from_above} 元；上交和拨付下级 {passed_on} 元不计入支出；70% 比例的基数已扣除上年上交和拨付下级的 {base} 元。",
                       "Income includes {from_above} yuan received from a higher body; {passed_on} yuan passed up or down is not "
                       "spending; the base of the 70% rule is less the {base} yuan passed on in the previous year."),
             "ratios": ("注：管理费用低于 20 万元时，管理费用比例不适用；上年或前三年没有记录时，写“历史数据不足”，不做推测。",
                        "Management costs under 200,000 yuan: the management ratio does not apply. Without records for the "
                        "base years the result is \"not enough history\", never a guess.")},
}

TERMS = {"channel": v.CHANNELS, "kind": v.FUND_KINDS, "purpose": v.PURPOSES, "unit": v.COUNT_BY, "donor_type": v.DONOR_TYPES,
         "category": v.RELIEF_CATEGORIES, "hardship_type": v.HARDSHIP_TYPES, "holiday": v.HOLIDAYS, "tier": v.TIER_KINDS}


def _pick(words, i: int):
    if isinstance(words, dict):
        return {key: _pick(value, i) for key, value in words.items()}
    return words[i]


def labels(lang: str | None = None) -> dict:
    """Every report word in ``lang`` (default: the run's language). The vocabulary's terms are
    maps from code to label: ``labels()["channel"]["cash"] == "现金"``."""
    lang = lang or language()
    words = _pick(WORDS, 0 if lang == "zh" else 1)
    for key, vocabulary in TERMS.items():
        words[key] = {term.code: vocabulary.label(term.code, lang) for term in vocabulary.terms}
    words["channel"]["goods"] = v.GOODS_CHANNEL.zh if lang == "zh" else v.GOODS_CHANNEL.en
    words["purpose"]["total"] = words["total"]
    return words


def term(value, field: str, lang: str | None = None) -> str:
    """A stored code or word shown in ``lang``: ``term("春节", "holiday", "en") == "Spring Festival"``;
    a word the vocabulary does not know (a township's own hardship type) as written."""
    vocabulary = TERMS[field]
    if value is None:
        return ""
    code = value if value in vocabulary.by_code else vocabulary.parse(value)
    return vocabulary.label(code, lang or language()) if code else str(value)
