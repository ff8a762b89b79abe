#!/bin/sh
# Builds a demo ledger from sample_data/ and shows what is in it. Run by `make demo`.
set -eu
OUT=${1:-demo}
HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf "$OUT" && mkdir -p "$OUT"
export CHARITYBOOK_DB="$OUT/charitybook.db"
run() { echo "\$ charitybook $*"; charitybook "$@"; }

run init --name 商州区慈善协会
# the register of stations: every township and village the entries and the sample files name
run station add 城关街道 --alias 城关镇
run station add 东关社区 --in 城关街道
run station add 西关社区 --in 城关街道
run station add 大赵峪街道
run station add 刘湾村 --in 大赵峪街道
run station add 沙河子镇
run station add 杨峪河镇
run station alias 城关街道办 --to 城关街道
run station list
run fund opening general --date 2020-12-31 --cash 200000
# the books start with the audited balance of 2020: close it (nothing later is dated in 2020)
run period close 2020 --by 张会计 --note 期初余额已审计
run fund add 张氏留本助学基金 --kind endowment
run fund add 王氏冠名基金 --kind named --sponsor 王某某
run add-donation --donor 商州区教育局 --amount 52,000 --date 2021-01-08 --channel bank --campaign 慈心一日捐
run add-donation --donor 陕西秦岭粮油有限公司 --goods 大米 --quantity 400 --unit 袋 --unit-value 50 --date 2021-01-10
run add-donation --donor 张某某 --amount 100000 --fund 张氏留本助学基金 --date 2021-01-15
run add-donation --donor 李某 --amount 1.2万 --date 2021-02-01 --project 朝阳助学 --new-project --channel online --platform 腾讯公益
run add-pledge --donor 商洛某建设集团 --amount 50000 --due 2021-12-31 --date 2021-03-01
run add-donation --donor 商洛某建设集团 --amount 20000 --date 2021-06-01 --pledge 1 --channel bank
run add-purchase --item 米面油 --amount 6000 --quantity 60 --unit 份 --date 2021-01-20
run add-income --amount 3500 --fund 张氏留本助学基金 --note 定期存款利息 --date 2021-12-21
run transfer --from 张氏留本助学基金 --to 朝阳助学 --amount 3500 --date 2021-12-22
run add-disbursement --payee 区慈善协会办公室 --amount 8000 --purpose management --category 办公 --date 2021-06-30
run add-disbursement --payee 某网络平台 --amount 1200 --purpose fundraising --date 2021-09-10
run add-donation --donor 王某 --amount 500 --date 2021-03-05
run void 12 --reason 录入错误 --date 2021-03-06

# relief: a case and holiday gifts
run case open --name 张小红 --id-number 61100220100315002X --category 助医 --amount 30000 --reason 白血病治疗 --health 急性淋巴细胞白血病 --township 城关镇 --date 2021-04-01
run case approve 1 --amount 20000 --date 2021-04-10
run case pay 1 --amount 10000 --project 朝阳助学 --date 2021-04-12
run relief give --holiday 春节 --name 王大山 --id-number 611002195203040011 --township 城关街道 --village 东关社区 --household-size 2 --hardship-type 低保户 --cash 300 --goods 米面油 --quantity 1 --unit 份 --goods-value 100 --date 2021-02-05
run relief give --holiday 春节 --name 刘秀英 --id-number 611002194811200045 --township 大赵峪街道 --village 刘湾村 --household-size 1 --hardship-type 特困供养 --cash 300 --goods 大米 --quantity 2 --unit 袋 --goods-value 100 --date 2021-02-05

# official donation receipts: a book of paper receipts at 城关街道, one spoiled, one number left behind
run receipt stock add --code 41010121 --from 0000001201 --to 0000001250 --station 城关街道 --date 2021-01-05
run receipt issue --donation 2021-000001 --station 城关街道 --by 张会计 --reviewer 李某 --date 2021-01-09
run receipt issue --donation 2021-000002 --station 城关街道 --by 张会计 --date 2021-01-11
run receipt void 41010121 0000001202 --reason 物资数量填错 --by 张会计 --date 2021-01-12
run receipt issue --donation 2021-000002 --station 城关街道 --by 张会计 --reviewer 李某 --date 2021-01-12
run receipt issue --donation 2021-000004 --code 41010121 --number 0000001205 --by 张会计 --date 2021-02-03
run receipt list
run receipt gaps --year 2021

if [ -d "$HERE/township" ]; then
  for f in "$HERE"/township/donations_*; do run import donations "$f" --all-sheets --sheet-is-township --date 2021-09-09; done
  run import relief "$HERE/township/春节花名册_城关街道.xlsx" --holiday 春节 --date 2021-02-06 --goods-item 米面油 --dry-run
  run import relief "$HERE/township/春节花名册_城关街道.xlsx" --holiday 春节 --date 2021-02-06 --goods-item 米面油
fi
if [ -d "$HERE/platforms" ]; then
  # online platforms and a bank statement: each imported with its built-in profile only
  run import profiles
  run import donations "$HERE/platforms/腾讯公益_订单.csv" --profile 腾讯公益
  run import donations "$HERE/platforms/腾讯公益_配捐.xlsx" --profile 腾讯公益配捐
  run import donations "$HERE/platforms/支付宝公益_捐赠明细.csv" --profile 支付宝公益
  run import donations "$HERE/platforms/云闪付_捐赠名单.xlsx" --profile 云闪付
  run import donations "$HERE/platforms/银行流水_城关街道.xlsx" --profile 银行流水
  run import batches
fi

run list donations
run balance --year 2021
run case list
run relief list
run check
run statement release --year 2021 --confirm --by 张会计 --date 2022-01-20 --note 按限定性资金实际使用额转出
run period list
run export audit --year 2021 --output "$OUT/审计资料-2021"
if charitybook report --help >/dev/null 2>&1; then
  run report annual --year 2021 --output "$OUT/annual-2021.md"
  run report annual --year 2021 --format xlsx --output "$OUT/annual-2021.xlsx"
  run report holiday --year 2021 --output "$OUT/holiday-2021.md"
  run report holiday --year 2021 --format xlsx --output "$OUT/holiday-2021.xlsx"
  run report statements --year 2021 --output "$OUT/statements-2021.md"
  run report statements --year 2021 --format xlsx --output "$OUT/statements-2021.xlsx"
  run report station --year 2021 --output "$OUT/station-2021.md"
  case "${CHARITYBOOK_LANG:-zh}" in en*) echo "Reports written to $OUT/" ;; *) echo "报表已写入 $OUT/" ;; esac
fi
