"""Import profiles shipped with charitybook: what the files of online platforms and banks need.

A profile is what made a source's files import, written down once: header mappings (with the
column's unit: platforms count money in 分), value mappings, and defaults. A clerk's own profiles
are saved in the ledger (``--save-profile``); these are built in. Field names come from the
platforms' published interfaces where we found them (see the sources); where we found no
published export (支付宝公益, 云闪付) the shape is the one their donor lists are seen in, and a
clerk whose file differs saves a profile of their own. Options on the command line win over a
profile's.
"""

from __future__ import annotations

from charitybook.i18n import N_

BUILT_IN: dict[str, dict] = {
    "腾讯公益": {
        "kind": "donations",
        "about": N_("腾讯公益 order export: 订单号 (28 digits, kept as text), 金额 in 分, time with +08:00, only paid orders"),
        "source": "open.gongyi.qq.com server API, 用户订单: transcode, pid, money (分), trans_time (RFC 3339), "
                  "trans_state (11 = paid), proj_name",
        "options": {"platform": "腾讯公益",
                    "maps": ["transcode=reference", "money=amount:分", "trans_time=date",
                             "trans_state=status", "proj_name=campaign", "nickname=donor", "pid=ignored", "bt=ignored",
                             "bid=ignored", "busi_code=ignored", "appid=ignored"],
                    "value_maps": ["status:11=已支付"], "only_paid": True},
    },
    "腾讯公益配捐": {
        "kind": "donations",
        "about": N_("腾讯公益 list with matched funds (配捐): each match is a donation of its own from the matching organisation"),
        "source": "platform list headers 捐款时间 / 昵称 / 捐赠金额 / 配捐金额 (REFERENCE §7); matching by 腾讯公益慈善基金会",
        "options": {"platform": "腾讯公益", "match_donor": "腾讯公益慈善基金会",
                    "maps": ["捐款时间=date", "昵称=donor", "捐赠金额=amount", "配捐金额=match_amount"]},
    },
    "支付宝公益": {
        "kind": "donations",
        "about": N_("支付宝公益 donor list: 交易号, 捐赠时间, 捐赠金额（元）, 用户昵称, 项目名称, 交易状态"),
        "source": "no published donor-level export found; the shape of the lists associations publish",
        "options": {"platform": "支付宝公益",
                    "maps": ["交易号=reference", "用户昵称=donor", "项目名称=campaign", "交易状态=status"]},
    },
    "云闪付": {
        "kind": "donations",
        "about": N_("云闪付 donor list: 交易时间, 付款人, 交易金额, 交易流水号, 交易状态"),
        "source": "no published export found; the shape of 云闪付 donor lists associations publish",
        "options": {"platform": "云闪付",
                    "maps": ["付款人=donor", "交易时间=date", "交易流水号=reference", "交易状态=status"]},
    },
    "银行流水": {
        "kind": "donations",
        "about": N_("bank statement (对公账户明细): credits (贷方发生额) are receipts, debits (借方发生额) are skipped and counted"),
        "source": "the columns Chinese banks' statements share: 交易日期, 交易时间, 借方发生额, 贷方发生额, 余额, 对方户名, "
                  "对方账号, 摘要, 流水号",
        "options": {"channel": "bank"},
    },
}
