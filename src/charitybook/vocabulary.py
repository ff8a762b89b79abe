"""The words of the books: channels, donor types, purposes, fund kinds, hardship types … — what the
ledger stores (a code), how people write it (in Chinese and English, in cells and in options),
and how it is shown. The one owner: the importer, the command line and the reports all ask here.

``parse`` is forgiving about form (full-width, case, spaces, a trailing 类/型) and strict about
meaning: a word it does not know is None, never a guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from charitybook.i18n import language


@dataclass(frozen=True)
class Term:
    code: str                   # what the ledger stores
    zh: str                     # how it is shown in Chinese
    en: str                     # and in English
    words: tuple[str, ...] = ()  # other ways people write it


class Vocabulary:
    def __init__(self, name: str, terms: list[Term]):
        self.name, self.terms = name, terms
        self.by_code = {term.code: term for term in terms}
        self._words: dict[str, str] = {}
        self._seen: dict[str, str | None] = {}
        for term in terms:
            for word in (term.code, term.zh, term.en, *term.words):
                self._words.setdefault(normal(word), term.code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.by_code)

    def parse(self, value: object) -> str | None:
        """The code a written value means, or None."""
        if value is None:
            return None
        if value in self._seen:
            return self._seen[value]
        key = normal(value)
        found = self._words.get(key)
        if found is None and key.endswith(("类", "型")):
            found = self._words.get(key[:-1])
        if len(self._seen) < 10_000 and isinstance(value, str):
            self._seen[value] = found   # files repeat their few channels and types a million times
        return found

    def label(self, code: str | None, lang: str | None = None) -> str:
        """How a code is shown in ``lang`` (default: the run's language); a code the vocabulary
        does not know (a clerk's own holiday or category) as it is."""
        term = self.by_code.get(code) if code is not None else None
        if term is None:
            return code or ""
        return term.zh if (lang or language()) == "zh" else term.en

    def choices(self, lang: str | None = None, codes: tuple[str, ...] | None = None) -> str:
        """The values, as a clerk may type them, in ``lang``: ``现金 (cash), 银行转账 (bank), …`` in
        Chinese, ``cash, bank, …`` in English (``individual (个人), …`` where the code is Chinese).
        ``codes``: only these terms (a fund is never added as the general fund)."""
        lang, shown = lang or language(), []
        for term in self.terms:
            if codes is not None and term.code not in codes:
                continue
            if lang == "zh":
                shown.append(term.zh if term.code == term.zh or not term.code.isascii() else f"{term.zh} ({term.code})")
            else:
                shown.append(term.code if term.code.isascii() else f"{term.en} ({term.zh})")
        return ", ".join(shown)


@lru_cache(maxsize=8192)
def normal(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    return re.sub(r"[\s_\-·•]+", "", text)


CHANNELS = Vocabulary("channel", [
    Term("cash", "现金", "cash", ("现金捐赠", "现款", "现金捐款")),
    Term("bank", "银行转账", "bank transfer", ("银行", "转账", "对公转账", "银行汇款", "汇款", "对公", "bank transfer", "电汇")),
    Term("online", "网络募捐", "online", ("网络", "线上", "网络捐赠", "网上捐赠", "互联网募捐")),
    Term("other", "其他", "other", ("其它",)),
])
# a gift of goods only is on channel 'goods' (derived, never given)
GOODS_CHANNEL = Term("goods", "物资", "goods")
# every channel a donation is on, as the ledger keeps it: for showing one, not for reading one
RECORDED_CHANNELS = Vocabulary("channel", [*CHANNELS.terms, GOODS_CHANNEL])

# online platforms: the platform is kept with the donation, the channel is 'online'
PLATFORMS = Vocabulary("platform", [
    Term("腾讯公益", "腾讯公益", "Tencent Gongyi", ("99公益日", "腾讯", "腾讯乐捐", "微信公益")),
    Term("支付宝公益", "支付宝公益", "Alipay Gongyi", ("支付宝", "蚂蚁公益", "alipay")),
    Term("微信", "微信", "WeChat", ("微信支付", "wechat", "微信转账")),
    Term("云闪付", "云闪付", "UnionPay QuickPass", ("银联", "云闪付公益")),
    Term("水滴筹", "水滴筹", "Shuidichou", ("水滴", "水滴公益")),
    Term("轻松筹", "轻松筹", "Qingsongchou", ("轻松公益",)),
    Term("新浪微公益", "新浪微公益", "Weibo Gongyi", ("微公益",)),
])

DONOR_TYPES = Vocabulary("donor_type", [
    Term("个人", "个人", "individual", ("自然人", "爱心人士", "群众", "居民", "个人捐赠", "individual")),
    Term("企业", "企业", "enterprise", ("公司", "企业单位", "民营企业", "国有企业", "国企", "私营企业", "个体工商户", "个体户",
                                         "个体", "商户", "律师事务所", "会计师事务所", "事务所", "合作社", "enterprise", "company")),
    Term("机关事业单位", "机关事业单位", "government or public institution",
         ("机关", "机关单位", "事业单位", "党政机关", "政府机关", "行政机关", "行政事业单位", "国家机关", "学校", "医院",
          "村委会", "居委会", "村(居)委会", "基层组织", "government")),
    Term("社会组织", "社会组织", "social organisation",
         ("社会团体", "社团", "民办非企业单位", "民非", "民办非企业", "社会服务机构", "基金会", "商会", "行业协会", "协会",
          "慈善组织", "志愿者组织", "social organisation")),
    Term("匿名", "匿名", "anonymous", ("匿名捐赠", "匿名人士", "不具名", "无名氏", "anonymous")),
])

PURPOSES = Vocabulary("purpose", [
    Term("charitable", "慈善活动支出", "charitable activities", ("慈善活动", "慈善支出", "业务活动成本", "公益支出", "charity")),
    Term("management", "管理费用", "management cost", ("管理费", "行政费用", "管理", "management")),
    Term("fundraising", "筹资费用", "fundraising cost", ("筹资费", "募捐成本", "募资费用", "筹资", "fundraising")),
])

# money between tiers of the charity network (county, city, province; a lower body with its own
# legal personality): kept apart from money raised, so that each yuan is counted once. Not a
# purpose: it is not the association's own spending. (Its own stations are the same books.)
TIER_KINDS = Vocabulary("tier_kind", [
    Term("from_above", "上级拨入", "grant from a higher body",
         ("上级拨款", "上级拨付", "上级资助", "上级定向资助", "拨入", "上级", "from above", "grant")),
    Term("to_above", "上交", "passed up to a higher body",
         ("上缴", "代收上交", "上解", "上交上级", "passed up", "up", "remit up")),
    Term("to_below", "拨付下级", "passed down to a lower body",
         ("下拨", "拨付下级单位", "拨给下级", "下级", "passed down", "down", "grant down")),
])
TIER_OUT = ("to_above", "to_below")   # what leaves the association for another legal entity

PERIOD_ACTIONS = Vocabulary("period_action", [
    Term("close", "结账", "close"), Term("reopen", "反结账", "reopen")])
PERIOD_STATES = Vocabulary("period_state", [
    Term("closed", "已结账", "closed"), Term("open", "未结账", "open")])
REPORTS = Vocabulary("report", [
    Term("annual", "年度工作报告", "annual"), Term("holiday", "节日慰问汇总", "holiday"),
    Term("compliance", "支出比例", "compliance"), Term("funds", "基金收支", "funds"), Term("donor", "捐赠人明细", "donor")])
DUE_STATES = Vocabulary("due_state", [
    Term("overdue", "已逾期", "overdue"), Term("due", "30天内到期", "due within 30 days"), Term("later", "未到期", "later"),
    Term("done", "已公开", "published"), Term("done late", "已逾期公开", "published late")])
PUBLICATION_STATES = Vocabulary("publication_state", [
    Term("current", "现行", "current"), Term("superseded", "已被更正", "superseded")])
DUE_KINDS = Vocabulary("due_kind", [
    Term("annual", "年度报告", "annual report"), Term("campaign", "募捐活动", "fundraising campaign"),
    Term("project", "慈善项目", "charity project"), Term("notice", "30日内公开事项", "30-day notice")])
NOTICE_STATES = Vocabulary("notice_state", [
    Term("current", "现行", "current"), Term("replaced", "已更正", "replaced"), Term("withdrawn", "已撤回", "withdrawn"),
    Term("withdrawal", "撤回记录", "withdrawal")])
# What 慈善组织信息公开办法 Arts. 12-14 ask to be published within 30 days (``notice add``).
NOTICE_KINDS = Vocabulary("notice_kind", [
    Term("asset", "重大资产变动", "major asset change", ("资产变动", "重大资产", "asset change")),
    Term("investment", "重大投资", "major investment", ("投资",)),
    Term("transaction", "重大交易及资金往来", "major transaction", ("重大交易", "资金往来", "交易")),
    Term("related_party", "关联交易", "related-party transaction", ("关联方", "关联方交易", "related party", "related-party")),
    Term("trust", "设立慈善信托", "charity trust set up", ("慈善信托", "信托"))])

FUND_KINDS = Vocabulary("fund_kind", [
    Term("general", "非限定性", "unrestricted", ("非限定性基金", "非限定", "一般", "unrestricted")),
    Term("restricted", "限定性", "restricted", ("限定性基金", "限定", "定向", "专项", "专项基金")),
    Term("named", "冠名基金", "named fund", ("冠名", "冠名基金", "named fund")),
    Term("endowment", "留本基金", "endowment", ("留本", "留本冠名基金", "捐息留本", "本金不动", "endowment")),
])

COUNT_BY = Vocabulary("count_by", [
    Term("household", "户", "households", ("按户", "户数", "households")),
    Term("person", "人", "persons", ("按人", "人数", "人次", "persons")),
])

CASE_STATUSES = Vocabulary("case_status", [
    Term("open", "待审核", "open", ("申请", "已申请", "审核中", "待批")),
    Term("approved", "已批准", "approved", ("批准", "同意", "已同意")),
    Term("rejected", "不予批准", "rejected", ("不批准", "驳回", "未批准", "拒绝")),
    Term("paying", "发放中", "paying", ("部分发放", "发放")),
    Term("closed", "已结案", "closed", ("结案", "已发放", "发放完毕")),
])

RELIEF_CATEGORIES = Vocabulary("category", [
    Term("助医", "助医", "medical", ("医疗救助", "大病救助", "助医救助", "医疗")),
    Term("助学", "助学", "education", ("助学金", "教育救助", "奖助学", "助学救助", "教育")),
    Term("助困", "助困", "hardship", ("生活救助", "困难救助", "扶贫济困", "济困")),
    Term("助残", "助残", "disability", ("残疾人救助", "扶残")),
    Term("安老", "安老", "elderly", ("助老", "敬老", "养老")),
    Term("救急难", "救急难", "emergency", ("临时救助", "急难救助", "救急")),
    Term("救灾", "救灾", "disaster", ("灾害救助", "赈灾")),
    Term("抗疫", "抗疫", "epidemic", ("疫情防控", "防疫")),
    Term("节日慰问", "节日慰问", "holiday relief", ("慰问", "节日")),
    Term("项目支出", "项目支出", "project spending", ("项目",)),
])

HOLIDAYS = Vocabulary("holiday", [
    Term(name, name, english, (f"{name}节", f"{name}慰问", f"{name}节慰问")) for name, english in (
        ("元旦", "New Year's Day"), ("春节", "Spring Festival"), ("元宵", "Lantern Festival"), ("六一", "Children's Day"),
        ("端午", "Dragon Boat Festival"), ("中秋", "Mid-Autumn Festival"), ("重阳", "Double Ninth Festival"),
        ("国庆", "National Day"))
] + [Term("双节", "双节", "two holidays", ("双节慰问",))])


def holiday(name: str) -> str:
    """A holiday campaign's name: 春节 however it is written (春 节, 春节慰问); one of the clerk's own as written."""
    return HOLIDAYS.parse(name) or name

# hardship types of a beneficiary: the common ones and how rosters write them; others are kept as written
HARDSHIP_TYPES = Vocabulary("hardship_type", [
    Term("低保户", "低保户", "minimum-subsistence household", ("低保", "低保家庭", "城乡低保", "农村低保", "城市低保", "低保对象")),
    Term("特困供养", "特困供养", "extreme-poverty support", ("特困", "特困人员", "特困供养人员", "五保", "五保户", "分散供养", "集中供养")),
    Term("残疾人家庭", "残疾人家庭", "household with a disabled member", ("残疾", "残疾人", "重度残疾", "残疾户")),
    Term("因病致困", "因病致困", "poverty through illness", ("因病致贫", "大病", "因病")),
    Term("脱贫监测户", "脱贫监测户", "monitored household", ("监测户", "防返贫监测户", "脱贫户", "边缘户", "边缘易致贫户")),
    Term("孤儿", "孤儿", "orphan", ("事实无人抚养儿童", "孤残儿童")),
    Term("留守儿童", "留守儿童", "left-behind child", ("留守",)),
    Term("失能老人", "失能老人", "disabled elderly", ("失能", "半失能老人", "失能半失能老人")),
    Term("困难群众", "困难群众", "people in hardship", ("困难户", "困难家庭", "一般困难")),
])

# a beneficiary's sex, from the ID number's sequence digit (idnumbers.gender)
SEXES = Vocabulary("gender", [
    Term("male", "男", "male", ("男性",)),
    Term("female", "女", "female", ("女性",)),
])

# the association's organisation type: it sets the ceiling on management costs
ORG_TYPES = Vocabulary("org_type", [
    Term("social", "社会团体", "social organisation", ("社团", "协会", "social")),
    Term("foundation", "基金会", "foundation", ("foundation",)),
])

# what an entry of the journal is
ENTRY_KINDS = Vocabulary("entry_kind", [
    Term("opening", "期初余额", "opening balance"),
    Term("donation", "捐赠收入", "donation"),
    Term("income", "其他收入", "other income"),
    Term("disbursement", "支出", "disbursement"),
    Term("purchase", "购入物资", "purchase"),
    Term("transfer", "基金间转账", "transfer"),
    Term("void", "冲销", "void"),
    # as `show` names a pass-through gift's entries (kind donation / disbursement, schema.m018_pass_through)
    Term("pass_through", "受托代理（收到）", "pass-through gift received"),
    Term("hand_over", "受托代理交付", "pass-through hand-over"),
])

# what a file imports, or a profile reads
IMPORT_KINDS = Vocabulary("import_kind", [
    Term("donations", "捐赠", "donations"),
    Term("relief", "救助发放", "relief"),
])

# an order's payment state (腾讯公益 trans_state 11 is paid): unpaid and refunded orders are not gifts
PAYMENT_STATES = Vocabulary("status", [
    Term("paid", "已支付", "paid", ("支付成功", "成功", "已完成", "交易成功", "已到账", "到账", "完成", "11", "paid", "success")),
    Term("unpaid", "未支付", "not paid", ("待支付", "支付失败", "失败", "已退款", "退款", "全额退款", "已关闭", "关闭", "已取消",
                                          "取消", "未到账", "refunded", "unpaid", "failed")),
])

BY_FIELD = {"channel": CHANNELS, "donor_type": DONOR_TYPES, "hardship_type": HARDSHIP_TYPES, "platform": PLATFORMS,
            "purpose": PURPOSES, "category": RELIEF_CATEGORIES}


# --- a donor's type from the name, when the list gives none --------------------------------
# Most specific first: a 律师事务所 is a firm, not an office; a 青少年服务中心 is a social
# organisation, not a 中心 of the government.
_NAME_RULES = (
    (re.compile(r"(服务中心|服务社|社工|志愿者|志愿服务|公益|慈善|基金会|商会|协会|联合会|促进会|研究会|学会|联谊会|民办)"), "社会组织"),
    (re.compile(r"(公司|集团|厂|店|银行|合作社|超市|酒店|事务所|工作室|经营部|门市部|诊所|药房|商行|农场|养殖场|宾馆|饭店)$|有限公司|股份|有限责任"), "企业"),
    (re.compile(r"(局|委|办|政府|学校|医院|街道办事处|村委会|居委会|中学|小学|幼儿园|法院|检察院|中心|站|大学|学院|所|队|馆|院)$"),
     "机关事业单位"),
)
ANONYMOUS = ("匿名", "匿名捐赠", "爱心人士", "anonymous", "无名氏")


def infer_donor_type(name: str) -> str:
    """个人 unless the name says otherwise (see _NAME_RULES); 匿名 for an anonymous gift."""
    name = name.strip()
    if normal(name) in {normal(word) for word in ANONYMOUS}:
        return "匿名"
    for pattern, donor_type in _NAME_RULES:
        if pattern.search(name):
            return donor_type
    return "个人"

# official donation receipts (公益事业捐赠票据): their kind and the state of a number
RECEIPT_KINDS = Vocabulary("receipt_kind", [
    Term("paper", "纸质", "paper", ("纸质票据", "纸票")),
    Term("electronic", "电子", "electronic", ("电子票据", "财政电子票据", "e")),
])
RECEIPT_STATES = Vocabulary("receipt_state", [
    Term("issued", "已开具", "issued", ("开具", "已开", "正常")),
    Term("voided", "已作废", "voided", ("作废", "冲红", "已冲红", "void", "red")),
    Term("skipped", "跳号", "skipped", ("漏号", "跳过")),
    Term("on_hand", "未用", "on hand", ("结存", "库存", "未使用")),
    Term("outside", "号段外", "outside any range", ("范围外",)),
])
