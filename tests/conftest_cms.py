"""Helpers for the web editor's browser test (issue 16) and scripts/editor_screenshots.py.

- ``EditorServer(root)``: ``gongkai serve`` of ``root`` on free ports of 127.0.0.1, with the editor's local
  backend (decap-server) that it starts itself; ``stop()`` ends both;
- ``git_repo(dest)``: a copy of the sample project committed into a new git repository;
- ``editor_page(browser)``: a page whose every request is routed: anything not on 127.0.0.1 is refused
  and listed in ``page.gk_outside``;
- ``open_editor``, ``select``, ``fill_new_plan``, ``publish``: drive Decap CMS's form like a person does.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from conftest import ServeProcess, free_port  # noqa: F401 - free_port: used by the editor tests too
from conftest_editors import copy_repo

NEW_PLAN = {
    "标识": "keji-chuangxin-jihua",
    "名称": "示例市科学技术局科技创新工作计划",
    "发布机构": ("skjj", "示例市科学技术局(skjj)"),
    "组配分类": "规划计划",
    "主题分类": ("科技、教育\\科技", "科技、教育 › 科技"),
    "生成日期": f"{dt.date.today().year}-01-05",
    "发布日期": f"{dt.date.today().year}-01-08",
    "发布时间": "09:30",
    "正文": ["一、总体目标", "全年新增高新技术企业30家，技术合同成交额达到12亿元。"],
    "指标": [
        {"编号": "gaoqi", "指标": "高新技术企业数量", "类型": "达到", "目标值": 30},
        {"编号": "jishu-hetong", "指标": "技术合同成交额", "类型": "达到", "目标值": 12},
    ],
}


def git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "测试", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "测试", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


def git_repo(dest: Path) -> Path:
    root = copy_repo(dest)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "示例网站")
    return root


class EditorServer(ServeProcess):
    def __init__(self, root: Path):
        self.cms_port = free_port()
        super().__init__(root, "--cms-port", str(self.cms_port), ready="admin/", seconds=120)
        assert "decap-cms.js" in self.get("admin/"), "the editor page did not appear\n" + self.output()
        self.wait_until(self.backend_info, 60, "decap-server did not answer")

    def backend_info(self) -> dict:
        request = urllib.request.Request(f"http://127.0.0.1:{self.cms_port}/api/v1", method="POST",
                                         data=b'{"action": "info"}', headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=5) as r:
                return json.loads(r.read())
        except OSError:
            return {}


def editor_page(browser, width: int = 1280, height: int = 900):
    """A new context and page; requests outside 127.0.0.1 are aborted and recorded in ``page.gk_outside``."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.gk_outside, page.gk_errors = [], []

    def route(r):
        parts = urlsplit(r.request.url)
        if parts.scheme in ("data", "blob") or parts.hostname == "127.0.0.1":
            r.continue_()
        else:
            page.gk_outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda exc: page.gk_errors.append(str(exc)))
    return page


def open_editor(page, url: str, fragment: str = "") -> None:
    page.goto(url + "admin/")
    page.get_by_role("button", name="登录").click()  # the local backend: no password, the files on disk
    page.get_by_text("政府信息公开条目").first.wait_for()
    if fragment:
        page.goto(url + "admin/#" + fragment)


def field(page, name: str, nth: int = 0):
    """The nth input of the fields called ``name`` (Decap gives each input the id <name>-field-<n>)."""
    return page.locator(f'input[id^="{name}-field-"], textarea[id^="{name}-field-"]').nth(nth)


def select(page, name: str, label: str, nth: int = 0) -> None:
    """A Decap select (react-select): type the option's label and take it with Enter."""
    box = field(page, name, nth)
    box.click()
    box.fill(label)
    page.get_by_role("option", name=label).first.click()


def fill_new_plan(page, plan: dict = NEW_PLAN) -> None:
    field(page, "标识").wait_for()
    for name in ("标识", "名称"):
        if plan[name]:  # left empty: the form must refuse to save
            field(page, name).fill(plan[name])
    select(page, "发布机构", plan["发布机构"][1])
    select(page, "组配分类", plan["组配分类"])
    select(page, "主题分类", plan["主题分类"][1])
    for name in ("生成日期", "发布日期", "发布时间"):
        field(page, name).fill(plan[name])
    body = page.locator('[aria-label="markdown field"] [contenteditable="true"]').first
    body.click()
    for i, paragraph in enumerate(plan["正文"]):
        if i:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)
    for _ in plan["指标"]:
        page.get_by_role("button", name="新增指标").click()
    for i, target in enumerate(plan["指标"]):
        field(page, "编号", i).fill(target["编号"])
        select(page, "指标", target["指标"], i)
        select(page, "类型", target["类型"], i)
        field(page, "目标值", i).fill(str(target["目标值"]))


def publish(page, wait: bool = True) -> None:
    """Save: 发布 → 立即发布 (simple publish mode against the local backend); wait for “已发布”."""
    page.get_by_role("button", name="发布", exact=True).first.click()
    page.get_by_text("立即发布").click()
    if wait:
        page.get_by_role("button", name="已发布").first.wait_for(timeout=30_000)
