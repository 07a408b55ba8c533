"""The national format of the 政府信息公开工作年度报告: its parts, tables, rows and columns.

Source: 国务院办公厅政府信息与政务公开办公室《中华人民共和国政府信息公开工作年度报告格式》
(国办公开办函〔2021〕30号, 2021-09-26), the format every report since the 2021 report follows; the
labels and their order are checked against published reports (see docs/nianbao.md).

Plain constants, no imports of ours: the schema (:mod:`gongkai.data.schema`), the checks
(:mod:`gongkai.data.nianbao`), the pages and the importer all read the structure from here, so the
data file, the page, the open data and the import always agree on rows and columns.

In the data file a row or column is named by its label without the numbering (``予以公开``, not
``（一）予以公开``); the numbering and the long forms of the format are in :data:`RESULT_GROUPS`.
"""
from __future__ import annotations

FORMAT_DOC = "国办公开办函〔2021〕30号"

# The six parts, in order: (key in the data file, heading on the page)
PARTS = [
    ("总体情况", "一、总体情况"),
    ("主动公开政府信息情况", "二、主动公开政府信息情况"),
    ("收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开申请情况"),
    ("政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议、行政诉讼情况"),
    ("存在的主要问题及改进情况", "五、存在的主要问题及改进情况"),
    ("其他需要报告的事项", "六、其他需要报告的事项"),
]
PROSE_PARTS = ("总体情况", "存在的主要问题及改进情况", "其他需要报告的事项")
T2, T3, T4 = PARTS[1][0], PARTS[2][0], PARTS[3][0]

# --- 表二 主动公开政府信息情况 -------------------------------------------------------------------
# (第二十条第…项, [(row, [columns])]); 本年收费金额 is money (万元), every other cell a count.
T2_GROUPS = [
    ("第二十条第（一）项", [("规章", ["本年制发件数", "本年废止件数", "现行有效件数"]),
                        ("行政规范性文件", ["本年制发件数", "本年废止件数", "现行有效件数"])]),
    ("第二十条第（五）项", [("行政许可", ["本年处理决定数量"])]),
    ("第二十条第（六）项", [("行政处罚", ["本年处理决定数量"]), ("行政强制", ["本年处理决定数量"])]),
    ("第二十条第（八）项", [("行政事业性收费", ["本年收费金额"])]),
]
T2_COLUMN_TEXT = {"本年收费金额": "本年收费金额（单位：万元）"}
AMOUNT_COLUMNS = {"本年收费金额"}

# --- 表三 收到和处理政府信息公开申请情况 ----------------------------------------------------------
ORG_PARTS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
PERSON, ORG, TOTAL = "自然人", "法人或其他组织", "总计"
T3_COLUMNS = [PERSON, *ORG_PARTS, TOTAL]  # the cells of every row, in the table's order
T3_NOTE = "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"

NEW, CARRIED_IN, RESULTS, CARRIED_OUT = "本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年度办理结果", "结转下年度继续办理"
T3_TOP = [  # (key, label on the page)
    (NEW, "一、本年新收政府信息公开申请数量"),
    (CARRIED_IN, "二、上年结转政府信息公开申请数量"),
    (RESULTS, "三、本年度办理结果"),
    (CARRIED_OUT, "四、结转下年度继续办理"),
]
RESULTS_TOTAL = "总计"
# 本年度办理结果: (key, label, numbered items or None for a single row); (七)总计 comes last
RESULT_GROUPS: list[tuple[str, str, list[str] | None]] = [
    ("予以公开", "（一）予以公开", None),
    ("部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None),
    ("不予公开", "（三）不予公开", ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
                             "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"]),
    ("无法提供", "（四）无法提供", ["本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"]),
    ("不予处理", "（五）不予处理", ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                             "要求行政机关确认或重新出具已获取信息"]),
    ("其他处理", "（六）其他处理", ["申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                             "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"]),
]
RESULTS_TOTAL_LABEL = "（七）总计"
SUBTOTAL = "小计"  # optional in a group of numbered items (the format has no such row; some reports add it)

# --- 表四 政府信息公开行政复议、行政诉讼情况 -----------------------------------------------------
T4_CELLS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
REVIEW, LITIGATION = "行政复议", "行政诉讼"
T4_LITIGATION = ["未经复议直接起诉", "复议后起诉"]


def t3_rows() -> list[tuple[tuple[str, ...], str]]:
    """Every row of table 三 that holds cells, in the table's order: (path in the data, label for messages)."""
    out: list[tuple[tuple[str, ...], str]] = [((NEW,), T3_TOP[0][1]), ((CARRIED_IN,), T3_TOP[1][1])]
    for key, label, items in RESULT_GROUPS:
        if items is None:
            out.append(((RESULTS, key), f"三、本年度办理结果{label}"))
        else:
            for n, item in enumerate(items, 1):
                out.append(((RESULTS, key, item), f"三、本年度办理结果{label}{n}.{item}"))
    out.append(((RESULTS, RESULTS_TOTAL), f"三、本年度办理结果{RESULTS_TOTAL_LABEL}"))
    out.append(((CARRIED_OUT,), T3_TOP[3][1]))
    return out
