"""The one schema: every data file's fields, their Chinese names, types and help text.

The same dictionaries drive validation (:mod:`gongkai.validate`), the editor's
JSON Schema (``gongkai schema`` writes ``schema/*.schema.json`` for VS Code) and
the documentation. Field names in the data files are the Chinese names editors
know (名称, 发布日期 …). Checks that need more than JSON Schema can say (dates
that exist, 文号 with a suggested correction, check characters) are named by
``x-check`` and implemented in :mod:`gongkai.validate`.
"""
from __future__ import annotations

import copy
from typing import Any

from gongkai.data import nianbao_format as nf

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MAX_BODY_CHARS = 50_000  # 5万字: ten times the longest sample plan; keeps Markdown rendering within seconds


def _text(title: str, description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "title": title, "description": description, **extra}


SITE: dict[str, Any] = {
    "$id": "site.schema.json",
    "title": "网站设置（data/site.yml）",
    "type": "object",
    "additionalProperties": False,
    "required": ["网站名称", "网站域名", "主办单位", "联系方式", "网站标识码", "ICP备案号", "公安机关备案号", "找错链接", "索引号"],
    "properties": {
        "网站名称": _text("网站名称", "显示在页头和浏览器标题上，例如“广德市科学技术局”。", minLength=1),
        "网站域名": _text("网站域名", "不带 https:// 的域名，例如 kjj.guangde.gov.cn。", pattern=r"^[a-z0-9.-]+(:[0-9]+)?$"),
        "网站地址": _text("网站地址", "完整网址，用于站点地图和订阅，例如 https://kjj.guangde.gov.cn/。不填则由网站域名生成。"),
        "主办单位": _text("网站主办单位", "页脚显示的主办单位全称。", minLength=1),
        "承办单位": _text("承办单位", "页脚显示的承办单位（可不填）。"),
        "联系方式": {
            "type": "object",
            "title": "联系方式",
            "description": "页脚“联系我们”显示的内容。",
            "additionalProperties": False,
            "properties": {
                "电话": _text("电话", "例如 0563-6012345。"),
                "地址": _text("地址", "办公地址。"),
                "邮箱": _text("邮箱", "电子邮箱。"),
                "邮编": _text("邮编", "6位邮政编码。", pattern=r"^[0-9]{6}$"),
            },
        },
        "网站标识码": _text("网站标识码", "政府网站标识码：10位数字，或部委网站的 bm 加8位数字。", pattern=r"^([0-9]{10}|bm[0-9]{8})$", **{"x-check": "site-id"}),
        "ICP备案号": _text("ICP备案号", "例如 皖ICP备05001234号。", minLength=1),
        "ICP备案链接": _text("ICP备案链接", "点击备案号打开的网址，默认 https://beian.miit.gov.cn/。", **{"x-check": "url"}),
        "公安机关备案号": _text("公安机关备案号", "例如 皖公网安备 34188202000001号。", minLength=1),
        "公安机关备案链接": _text("公安机关备案链接", "点击公安备案号打开的网址（可不填）。", **{"x-check": "url"}),
        "党政机关网站标识": {
            "type": "object",
            "title": "党政机关网站标识",
            "description": "开办单位领取的红色标识图片和它的链接。图片放在 content/assets/ 下。",
            "additionalProperties": False,
            "required": ["图片"],
            "properties": {
                "图片": _text("标识图片", "图片路径，相对于 content/，例如 assets/dzjg.png。"),
                "链接": _text("标识链接", "点击标识打开的网址。", **{"x-check": "url"}),
            },
        },
        "找错链接": _text("我为政府网站找错链接", "“我为政府网站找错”入口网址。", **{"x-check": "url"}),
        "索引号": {
            "type": "object",
            "title": "索引号规则",
            "description": "本站索引号的格式和序号规则。",
            "additionalProperties": False,
            "required": ["格式"],
            "properties": {
                "格式": {"type": "string", "title": "索引号格式", "enum": ["全国", "安徽", "广东"],
                         "description": "全国：9位组织机构代码/YYYY-NNNNN；安徽：18位统一社会信用代码/YYYYMM-NNNNN；广东：18位统一社会信用代码/YYYY-NNNNN。"},
                "序号范围": {"type": "string", "title": "序号范围", "enum": ["部门", "全站"],
                           "description": "每个发布机构各自编号（部门），或全站统一编号（全站）。默认：部门。"},
                "序号周期": {"type": "string", "title": "序号周期", "enum": ["年", "月"],
                           "description": "序号每年或每月从 00001 重新开始。默认：安徽格式按月，其他按年。"},
            },
        },
    },
}

DEPARTMENT: dict[str, Any] = {
    "$id": "department.schema.json",
    "title": "发布机构（data/departments/<标识>.yml）",
    "type": "object",
    "additionalProperties": False,
    "required": ["标识", "全称", "简称", "组配分类"],
    "properties": {
        "标识": _text("标识", "网址里用的英文短名，只用小写字母、数字和连字符，必须与文件名相同，例如 gdkjj。", pattern=SLUG_PATTERN),
        "全称": _text("全称", "发布机构全称，例如“广德市科学技术局”。", minLength=1),
        "简称": _text("简称", "页面上“发布机构”“来源”显示的名称，例如“市科技局”。", minLength=1),
        "统一社会信用代码": _text("统一社会信用代码", "18位，最后一位是校验位（GB 32100-2015）。与组织机构代码至少填一个。", **{"x-check": "uscc"}),
        "组织机构代码": _text("组织机构代码", "9位，最后一位是校验位（GB 11714）。全国格式的索引号使用它；填了统一社会信用代码可不填。", **{"x-check": "org"}),
        "组配分类": {
            "type": "array", "title": "组配分类", "minItems": 1, "uniqueItems": True,
            "description": "本机构主动公开基本目录的分类，取自 data/vocab/categories.yml。",
            "items": {"type": "string", "x-vocab": "组配分类"},
        },
        "简介": _text("简介", "发布机构页面顶部显示的一段简介（可不填）。"),
    },
}

TARGET_KINDS = ["达到", "不少于", "增长", "保持", "定性"]
QUALITATIVE_STATES = ["已完成", "未完成"]
_NUMBER = {"type": ["number", "string"], "x-check": "number"}  # strings are explained by gongkai.targets

PROGRESS: dict[str, Any] = {
    "type": "object",
    "title": "进展",
    "description": "年度中途报告的一次进展：日期、当时的数值、说明和数据来源。",
    "additionalProperties": False,
    "required": ["日期"],
    "properties": {
        "日期": _text("日期", "数据截至的日期，格式 YYYY-MM-DD，不能早于计划的生成日期。", **{"x-check": "date"}),
        "数值": {**_NUMBER, "title": "数值",
               "description": "截至该日期的实际数值，只写数字，单位与指标相同（“增长”类指标写当年的实际数值，不写增长率）。定性指标不填。"},
        "状态": {"type": "string", "title": "状态", "enum": QUALITATIVE_STATES,
               "description": "只用于定性指标：已完成 或 未完成。数量指标的状态由数值自动判断。"},
        "说明": _text("说明", "一句话说明，例如“上半年新认定12家”。"),
        "来源": _text("来源", "数据来源：文件名称或网址，例如“市统计局2024年二季度快报”。"),
    },
}

TARGET: dict[str, Any] = {
    "type": "object",
    "title": "指标",
    "description": "计划中的一项目标任务，例如“高新技术企业达200家”。",
    "additionalProperties": False,
    "required": ["编号", "指标", "类型"],
    "properties": {
        "编号": _text("编号", "本计划内唯一的英文短名，只用小写字母、数字和连字符，例如 gaoqi；发布后不要修改（网址和开放数据用它）。", pattern=SLUG_PATTERN),
        "指标": _text("指标", "取自 data/vocab/indicators.yml 的指标名称，例如“高新技术企业数量”，同一指标在不同年度、不同机构之间可以比较。", **{"x-vocab": "指标"}),
        "类型": {"type": "string", "title": "类型", "enum": TARGET_KINDS,
               "description": "达到：达到某一数值；不少于：至少达到（……以上）；增长：比上年增长百分之几（需要基数）；保持：保持在某一数值；定性：没有数值的任务。"},
        "目标值": {**_NUMBER, "title": "目标值", "description": "只写数字，例如 200；“增长”类写百分数的数字，例如 10 表示增长10%。定性指标不填。"},
        "单位": _text("单位", "取自 data/vocab/units.yml，例如 家、项、亿元、%；不填则用指标的单位，“增长”类为 %。", **{"x-vocab": "单位"}),
        "基数": {**_NUMBER, "title": "基数", "description": "上一年的实际数值，单位与指标相同；“增长”类指标必须填写。"},
        "期限": _text("期限", "完成期限，格式 YYYY-MM-DD；不填为计划年度的12月31日。", **{"x-check": "date"}),
        "责任单位": _text("责任单位", "牵头负责的单位或科室；不填为发布机构。"),
        "原文": _text("原文", "正文中的原话，例如“确保实现我市高新技术企业达200家”。"),
        "出处": _text("出处", "目标出自正文的哪一段：写段首的序号，如“（三）”“5.”“二是”“二、5.”；或段落的标识“#gaoqi”（在正文中该段落的下一行写 {#gaoqi}）；或正文中的一句原话。"),
        "进展": {"type": "array", "title": "进展", "description": "年度中途的进展，每次一项。", "items": PROGRESS},
        "待核对": _text("待核对", "gongkai import 自动填写的目标要核对什么（指标怎样对应、类型按什么措辞）。"
                               "有这一行时不能发布（预览中标为待核对）；核对指标、类型、目标值、单位和出处无误后删除这一行。"),
    },
}

CLOSING: dict[str, Any] = {
    "type": "object",
    "title": "目标完成情况",
    "description": "工作总结报告的上一年（或更早）目标的最终完成值；被总结的计划页面显示这个结果。",
    "additionalProperties": False,
    "required": ["计划", "编号"],
    "properties": {
        "计划": _text("计划", "目标所在的计划，写 机构标识/年度/文件名，例如 skjj/2021/keji-gongzuo-yaodian。", pattern=r"^[a-z0-9-]+/\d{4}/[a-z0-9-]+$"),
        "编号": _text("编号", "该计划中目标的编号。", pattern=SLUG_PATTERN),
        "数值": {**_NUMBER, "title": "数值", "description": "最终完成的数值，只写数字，单位与指标相同。定性指标不填。"},
        "状态": {"type": "string", "title": "状态", "enum": QUALITATIVE_STATES, "description": "只用于定性指标：已完成 或 未完成。"},
        "日期": _text("日期", "数据截至的日期，格式 YYYY-MM-DD；不填为本总结的生成日期。", **{"x-check": "date"}),
        "说明": _text("说明", "一句话说明，例如“完成率101.4%”。"),
    },
}

RELATED: dict[str, Any] = {
    "type": "object",
    "title": "相关文件",
    "description": "站内文件写“文件: 机构标识/年度/文件名”；站外文件写“名称”和“链接”。",
    "additionalProperties": False,
    "properties": {
        "文件": _text("站内文件", "例如 gdkjj/2024/gongzuo-jihua（对应 data/plans/gdkjj/2024/gongzuo-jihua.yml）。", pattern=r"^[a-z0-9-]+/[0-9]{4}/[a-z0-9-]+$"),
        "名称": _text("名称", "站外文件的名称。"),
        "链接": _text("链接", "站外文件的完整网址（https://…）。", **{"x-check": "url"}),
        "关系": {"type": "string", "title": "关系", "enum": ["解读", "总结", "计划", "附件", "其他"], "description": "与本文件的关系，默认“其他”。"},
    },
}

REVISION: dict[str, Any] = {
    "type": "object",
    "title": "修订说明",
    "description": "发布后每修改一次写一项：修改的日期和一句话说明。它们显示在页面的“修订记录”中，是公开的内容，请像正文一样措辞。",
    "additionalProperties": False,
    "required": ["日期", "说明"],
    "properties": {
        "日期": _text("日期", "修改生效的日期，格式 YYYY-MM-DD，不能早于发布日期。", **{"x-check": "date"}),
        "说明": _text("说明", "一句话说明改了什么，例如“更正第三部分高新技术企业培育目标。”（最多200字）。", minLength=1, maxLength=200),
    },
}

# 附件: the types the site accepts (checked by content in gongkai.data.attachments) and the size limit
ATTACHMENT_TYPES = ["PDF", "OFD", "DOC", "DOCX", "XLS", "XLSX", "WPS", "ZIP", "JPG", "PNG"]
ATTACHMENT_MAX_MB = 20  # 20 MB: a scanned 100-page PDF; larger files belong on a download service
ATTACHMENT_NAME_MAX = 120  # characters in a file name (most file systems allow 255 bytes ≈ 85 汉字 in UTF-8)

ATTACHMENT: dict[str, Any] = {
    "type": "object",
    "title": "附件",
    "description": "一个附件：文件名和显示的名称。",
    "additionalProperties": False,
    "required": ["文件"],
    "properties": {
        "文件": _text("文件", "附件的文件名（不含文件夹），文件放在本计划的“附件”文件夹里，例如 2023年工作要点.pdf。",
                    minLength=1, **{"x-check": "attachment"}),
        "名称": _text("名称", "页面上显示的名称；不填为文件名去掉扩展名。"),
    },
}

PLAN: dict[str, Any] = {
    "$id": "plan.schema.json",
    "title": "政府信息公开条目（data/plans/<机构>/<年度>/<文件名>.yml）",
    "type": "object",
    "additionalProperties": False,
    "required": ["名称", "组配分类", "主题分类", "生成日期", "发布日期", "正文"],
    "properties": {
        "标识": _text("标识", "可不填；填写时必须与文件名相同（不含 .yml）。", pattern=SLUG_PATTERN),
        "名称": _text("名称", "文件的正式标题，例如“广德市科技局2024年工作计划”。", minLength=1),
        "索引号": _text("索引号", "已发布的索引号永远不变，不要修改或删除。新文件不填：合并到主分支后自动编号并写回（也可运行 gongkai validate --fix）。", **{"x-check": "index-no"}),
        "历史索引号": {"type": "boolean", "title": "历史索引号",
                  "description": "true 表示“索引号”是从旧平台迁移来的、按当时的规则编写（其他格式、其他年月写法或旧的机构代码）："
                                 "原样保留，不按今天的索引号规则检查格式，仍检查是否与其他文件重复，gongkai validate --fix 不会重新编号。"
                                 "只在迁移旧信息时由 gongkai import 写入；新文件不要填写。"},
        "发布机构": _text("发布机构", "发布机构的标识，必须与所在文件夹相同；可不填。", pattern=SLUG_PATTERN),
        "组配分类": _text("组配分类", "取自本机构的组配分类，计划类填“规划计划”。", **{"x-vocab": "组配分类"}),
        "主题分类": _text("主题分类", "取自 data/vocab/topics.yml，写一级分类（如“其他”）或“一级\\二级”（如“科技、教育\\科技”）。", **{"x-vocab": "主题分类"}),
        "文号": {"type": ["string", "null"], "title": "文号", "description": "有文号必须填写，格式 机关代字〔年份〕序号号，例如 广科〔2024〕3号；没有文号留空。", "x-check": "doc-no"},
        "生成日期": _text("生成日期", "成文日期（签发日期），格式 YYYY-MM-DD。", **{"x-check": "date"}),
        "发布日期": _text("发布日期", "在网站公开的日期，格式 YYYY-MM-DD，不能早于生成日期。", **{"x-check": "date"}),
        "发布时间": _text("发布时间", "发布的时刻，24小时制 HH:MM，请加英文引号，例如 \"15:00\"。", **{"x-check": "time"}),
        "来源": _text("来源", "页面“来源”显示的内容，不填则为发布机构简称。"),
        "有效性": _text("有效性", "取自 data/vocab/validity.yml，不填为“有效”。文件被修订、废止或失效时改为对应的值，网址不变。", **{"x-vocab": "有效性"}),
        "失效日期": _text("失效日期", "有效性为已修订、已废止或已失效时，从哪一天起不再有效，格式 YYYY-MM-DD。", **{"x-check": "date"}),
        "替代文件": _text("替代文件", "代替本文件的新文件：站内文件写 机构标识/年度/文件名（例如 skjj/2024/gongzuo-jihua），站外文件写完整网址。", **{"x-check": "replacement"}),
        "失效说明": _text("失效说明", "一句话说明修订或废止的依据，例如“根据示科〔2024〕3号文件废止”（可不填）。"),
        "关键词": {"type": "array", "title": "关键词", "description": "用于检索的关键词。", "items": {"type": "string"}},
        "摘要": _text("摘要", "一两句话的内容提要，用于目录和搜索结果（可不填）。"),
        "草稿": {"type": "boolean", "title": "草稿",
               "description": "true 表示还在起草：预览中标为草稿，检查（gongkai validate）和发布不会通过。可以公开时删除这一行或改为 false。"},
        "待核对": {"type": "array", "title": "待核对",
                "description": "gongkai import 没有把握、需要编辑核对的内容，每项一句（例如未能对应到指标词表的候选目标和它的原句）。"
                               "有这一项时不能发布（预览中标为待核对）；逐项处理后删除，全部处理完后删除“待核对”。",
                "items": {"type": "string", "minLength": 1}},
        "正文": _text("正文", "正文内容，Markdown 格式：段落之间空一行；“## 一、……”表示一级标题。最多5万字（更长的文件请作为附件）。", minLength=1, maxLength=MAX_BODY_CHARS),
        "指标": {"type": "array", "title": "指标", "description": "计划中的目标任务（主要目标表、目标任务和开放数据都由它生成）。", "items": TARGET},
        "目标完成情况": {"type": "array", "title": "目标完成情况", "description": "工作总结填写：以前计划中目标的最终完成值。", "items": CLOSING},
        "相关文件": {"type": "array", "title": "相关文件", "description": "相关的计划、总结、解读等。", "items": RELATED},
        "修订说明": {"type": "array", "title": "修订说明", "description": REVISION["description"], "items": REVISION},
        "原网址": {
            "type": "array", "title": "原网址", "uniqueItems": True,
            "description": "这个文件在原来的信息公开平台上的网址，迁移后旧链接自动跳转到新页面。"
                           "写完整网址（http://kjj.example.gov.cn/art/2023/3/8/art_1234_5678.html）或以 / 开头的站内路径；只用路径部分。",
            "items": _text("原网址", "完整网址或以 / 开头的路径。", minLength=1, **{"x-check": "old-url"}),
        },
        "附件": {
            "type": "array", "title": "附件",
            "description": "随文件公开的附件，文件放在 data/plans/<机构>/<年度>/<文件名>/附件/ 下。"
                           f"可用的类型：{'、'.join(ATTACHMENT_TYPES)}；每个不超过 {ATTACHMENT_MAX_MB} MB。",
            "items": ATTACHMENT,
        },
    },
}

# --- 政府信息公开工作年度报告 (data/nianbao/<机构>/<年度>.yml); rows and columns from gongkai.data.nianbao_format ---
_CELL = {"type": ["number", "string"], "x-check": "nianbao-cell"}  # strings and decimals are explained by gongkai.data.nianbao


def _cells(names: list[str], title: str, description: str, required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "title": title, "description": description, "additionalProperties": False,
            "required": list(names if required is None else required),
            "properties": {n: {**_CELL, "title": n, "description": f"{n}：非负整数。"} for n in names}}


def _t3_row(title: str) -> dict[str, Any]:
    row = _cells(nf.T3_COLUMNS, title, "这一行的各列：自然人；法人或其他组织的五类（商业企业、科研机构、社会公益组织、法律服务机构、其他）；总计。"
                 "原报告只有“法人或其他组织”合计、没有五类时，写“法人或其他组织”，五类不写。", [nf.PERSON, nf.TOTAL])
    row["properties"][nf.ORG] = {**_CELL, "title": nf.ORG, "description": "法人或其他组织的合计（可不填；填写五类时必须等于五类之和）。"}
    return row


def _t3_results() -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key, label, items in nf.RESULT_GROUPS:
        if items is None:
            props[key] = _t3_row(label)
        else:
            group = {"type": "object", "title": label, "description": f"{label}的各项（按格式的顺序）；“{nf.SUBTOTAL}”可不填，填写时必须等于各项之和。",
                     "additionalProperties": False, "required": list(items),
                     "properties": {item: _t3_row(f"{n}.{item}") for n, item in enumerate(items, 1)}}
            group["properties"][nf.SUBTOTAL] = _t3_row(f"{label}{nf.SUBTOTAL}")
            props[key] = group
    props[nf.RESULTS_TOTAL] = _t3_row(nf.RESULTS_TOTAL_LABEL)
    return {"type": "object", "title": "三、本年度办理结果", "description": "（一）至（六）各项和（七）总计。", "additionalProperties": False,
            "required": [*(k for k, _, _ in nf.RESULT_GROUPS), nf.RESULTS_TOTAL], "properties": props}


def _nianbao() -> dict[str, Any]:
    t2_props: dict[str, Any] = {}
    for clause, rows in nf.T2_GROUPS:
        for row, columns in rows:
            t2_props[row] = _cells(columns, row, f"{clause}：{row}的" + "、".join(nf.T2_COLUMN_TEXT.get(c, c) for c in columns)
                                   + ("（万元，最多两位小数）。" if set(columns) & nf.AMOUNT_COLUMNS else "（件数，非负整数）。"))
    t3_props = {nf.NEW: _t3_row(nf.T3_TOP[0][1]), nf.CARRIED_IN: _t3_row(nf.T3_TOP[1][1]),
                nf.RESULTS: _t3_results(), nf.CARRIED_OUT: _t3_row(nf.T3_TOP[3][1])}
    t4_row = lambda title: _cells(nf.T4_CELLS, title, "结果维持、结果纠正、其他结果、尚未审结、总计（总计等于前四项之和）。")
    t4_props = {nf.REVIEW: t4_row(nf.REVIEW),
                nf.LITIGATION: {"type": "object", "title": nf.LITIGATION, "description": "未经复议直接起诉、复议后起诉。",
                                "additionalProperties": False, "required": list(nf.T4_LITIGATION),
                                "properties": {k: t4_row(k) for k in nf.T4_LITIGATION}}}
    prose = {key: _text(head, f"第{head[0]}部分的文字，Markdown 格式：段落之间空一行，“（一）……”可作小标题。", minLength=1, maxLength=MAX_BODY_CHARS)
             for key, head in nf.PARTS if key in nf.PROSE_PARTS}
    heads = dict(nf.PARTS)
    return {
        "$id": "nianbao.schema.json",
        "title": "政府信息公开工作年度报告（data/nianbao/<机构>/<年度>.yml）",
        "description": f"格式依据{nf.FORMAT_DOC}：六个部分，其中二、三、四为固定表格。文件名是报告的年度（统计年度），例如 2024.yml。",
        "type": "object",
        "additionalProperties": False,
        "required": ["发布日期", *(k for k, _ in nf.PARTS)],
        "properties": {
            "名称": _text("名称", "报告的标题；不填为“<机构全称><年度>年政府信息公开工作年度报告”。"),
            "发布日期": _text("发布日期", "在网站公开的日期，格式 YYYY-MM-DD；条例第四十九条要求在次年1月31日前公布。", **{"x-check": "date"}),
            "前言": _text("前言", "标题下、“一、总体情况”前的说明（报告的依据、统计期限、电子版下载等），Markdown 格式（可不填）。"),
            **{k: prose[k] for k in ("总体情况",)},
            nf.T2: {"type": "object", "title": heads[nf.T2], "description": "表二：第二十条第（一）（五）（六）（八）项的数字。",
                    "additionalProperties": False, "required": list(t2_props), "properties": t2_props},
            nf.T3: {"type": "object", "title": heads[nf.T3], "description": "表三：申请人情况（列）× 申请和办理情况（行）。",
                    "additionalProperties": False, "required": list(t3_props), "properties": t3_props},
            nf.T4: {"type": "object", "title": heads[nf.T4], "description": "表四：行政复议和行政诉讼的结果。",
                    "additionalProperties": False, "required": list(t4_props), "properties": t4_props},
            **{k: prose[k] for k in ("存在的主要问题及改进情况", "其他需要报告的事项")},
        },
    }


NIANBAO: dict[str, Any] = _nianbao()

VOCAB_CATEGORIES: dict[str, Any] = {
    "$id": "categories.schema.json",
    "title": "组配分类词表（data/vocab/categories.yml）",
    "type": "array",
    "items": {
        "type": "object", "additionalProperties": False, "required": ["名称", "标识"],
        "properties": {
            "名称": _text("名称", "分类名称。", minLength=1),
            "标识": _text("标识", "网址中使用的英文短名。", pattern=SLUG_PATTERN),
            "说明": _text("说明", "这个分类包括哪些信息。"),
        },
    },
}

VOCAB_TOPICS: dict[str, Any] = {
    "$id": "topics.schema.json",
    "title": "主题分类词表（data/vocab/topics.yml）",
    "type": "array",
    "items": {
        "type": "object", "additionalProperties": False, "required": ["名称", "标识"],
        "properties": {
            "名称": _text("名称", "一级分类名称。", minLength=1),
            "标识": _text("标识", "网址中使用的英文短名。", pattern=SLUG_PATTERN),
            "子类": {
                "type": "array", "title": "子类",
                "items": {
                    "type": "object", "additionalProperties": False, "required": ["名称", "标识"],
                    "properties": {
                        "名称": _text("名称", "二级分类名称。", minLength=1),
                        "标识": _text("标识", "网址中使用的英文短名。", pattern=SLUG_PATTERN),
                    },
                },
            },
        },
    },
}

VOCAB_VALIDITY: dict[str, Any] = {
    "$id": "validity.schema.json",
    "title": "有效性词表（data/vocab/validity.yml）",
    "type": "array",
    "items": {
        "type": "object", "additionalProperties": False, "required": ["名称", "标识"],
        "properties": {
            "名称": _text("名称", "例如 有效、已废止。", minLength=1),
            "标识": _text("标识", "英文短名。", pattern=SLUG_PATTERN),
            "失效": {"type": "boolean", "title": "失效", "description": "true 表示文件已不再有效，页面醒目标注。"},
            "说明": _text("说明", "含义说明。"),
        },
    },
}

VOCAB_UNITS: dict[str, Any] = {
    "$id": "units.schema.json",
    "title": "计量单位词表（data/vocab/units.yml）",
    "type": "array",
    "items": {
        "type": "object", "additionalProperties": False, "required": ["名称"],
        "properties": {
            "名称": _text("名称", "单位，例如 家、亿元、%。", minLength=1),
            "整数": {"type": "boolean", "title": "整数", "description": "true 表示数值只能是整数（例如 家、人、项）。"},
            "说明": _text("说明", "这个单位用于哪些指标。"),
        },
    },
}

VOCAB_INDICATORS: dict[str, Any] = {
    "$id": "indicators.schema.json",
    "title": "指标词表（data/vocab/indicators.yml）",
    "type": "array",
    "items": {
        "type": "object", "additionalProperties": False, "required": ["名称", "标识"],
        "properties": {
            "名称": _text("名称", "指标名称，例如 高新技术企业数量。计划的“指标”字段写这个名称。", minLength=1),
            "标识": _text("标识", "网址中使用的英文短名，例如 gaoqi-shuliang；发布后不要修改。", pattern=SLUG_PATTERN),
            "单位": _text("单位", "取自 data/vocab/units.yml，例如 家。同一指标的目标和进展都用这个单位；没有数值的定性指标不填。", minLength=1),
            "说明": _text("说明", "指标的含义和统计口径。"),
            "别名": {
                "type": "array", "title": "别名", "uniqueItems": True,
                "description": "原文中对这个指标的其他叫法，gongkai import 用它把候选指标对应到这个指标，例如 [高企， 培育高企]。"
                               "原文含有名称（去掉末尾的“数量”“数”“人数”）或某个别名时即认为是这个指标，几个指标都对得上时取最长的；"
                               "“…”表示中间可以有其他字（不超过10个），例如“新增…科技型中小企业”。",
                "items": {"type": "string", "minLength": 2},
            },
        },
    },
}

_ALIAS_MAP = {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}}
VOCAB_ALIASES: dict[str, Any] = {
    "$id": "aliases.schema.json",
    "title": "词表别名（data/vocab/aliases.yml）",
    "description": "旧平台上的写法 → 本站词表中的名称。gongkai import 导入旧网页和目录时用它把分类对应到本站的词表，"
                   "例如信息分类“计划总结”→ 组配分类“规划计划”，主题分类“科技”→“科技、教育\\科技”。"
                   "编辑可以增加别名：每行写“旧写法: 本站名称”；本站名称必须在对应的词表中（发布机构写机构标识）。"
                   "对应不上的值，gongkai import 会列出文件、原值和可选的名称。",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "组配分类": {**_ALIAS_MAP, "title": "组配分类别名", "description": "旧写法 → data/vocab/categories.yml 中的名称。"},
        "主题分类": {**_ALIAS_MAP, "title": "主题分类别名", "description": "旧写法 → data/vocab/topics.yml 中的名称（一级，或“一级\\二级”）。"},
        "有效性": {**_ALIAS_MAP, "title": "有效性别名", "description": "旧写法 → data/vocab/validity.yml 中的名称，例如 现行有效： 有效。"},
        "发布机构": {**_ALIAS_MAP, "title": "发布机构别名", "description": "旧平台上显示的机构名称 → 发布机构标识（data/departments/<标识>.yml），例如 示例市科学技术局办公室： skjj。"},
    },
}

SCHEMAS = {
    "site": SITE,
    "department": DEPARTMENT,
    "plan": PLAN,
    "nianbao": NIANBAO,
    "categories": VOCAB_CATEGORIES,
    "topics": VOCAB_TOPICS,
    "validity": VOCAB_VALIDITY,
    "units": VOCAB_UNITS,
    "indicators": VOCAB_INDICATORS,
    "aliases": VOCAB_ALIASES,
}


def field_title(schema: dict[str, Any], path: tuple) -> str:
    """The Chinese title of the field at ``path`` (list indexes shown as 第N项)."""
    names: list[str] = []
    node: dict[str, Any] | None = schema
    for part in path:
        if node is None:
            break
        if isinstance(part, int):
            names.append(f"第{part + 1}项")
            node = node.get("items")
        else:
            node = (node.get("properties") or {}).get(part)
            names.append(part)
    return ".".join(names)


def editor_schema(kind: str, vocab: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """JSON Schema for VS Code: the validation schema with today's vocabularies as enums."""
    schema = copy.deepcopy(SCHEMAS[kind])
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            name = node.get("x-vocab")
            if name and vocab and vocab.get(name):
                node["enum"] = list(vocab[name])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return schema
