"""The preview server's caches (gongkai serve): what did not change is not parsed or rendered again,
and what did change always is."""
from __future__ import annotations

import os

from markupsafe import Markup

from gongkai.data import loader
from gongkai.pages.components import RenderMemo


def test_render_memo_reuses_equal_params_and_forgets_the_rest():
    memo, calls = RenderMemo(), []

    def render(params):
        return memo.get("box", params, lambda: calls.append(params) or Markup(f"<p>{params['text']}</p>"))

    memo.start("templates-1")
    assert render({"text": "甲"}) == Markup("<p>甲</p>")
    assert render({"text": "甲"}) == Markup("<p>甲</p>") and len(calls) == 1  # equal params: rendered once
    assert render({"text": Markup("甲")}) and len(calls) == 2  # trusted html is not the same input as text
    memo.start("templates-1")  # next build, same templates: last build's results are kept
    render({"text": "甲"})
    assert len(calls) == 2
    memo.start("templates-1")  # {"text": Markup("甲")} was not used in the build before: forgotten
    render({"text": Markup("甲")})
    assert len(calls) == 3
    memo.start("templates-2")  # a template changed: everything is rendered again
    render({"text": "甲"})
    assert len(calls) == 4


def test_render_memo_renders_params_it_cannot_key():
    memo = RenderMemo()
    memo.start(1)
    assert memo.get("box", {"f": lambda: 1}, lambda: Markup("x")) == Markup("x")


def test_parse_cache_reparses_only_changed_files_and_hands_out_fresh_data(project, monkeypatch):
    parsed = []
    real = loader._parse_one
    monkeypatch.setattr(loader, "_parse_one", lambda path: parsed.append(path.name) or real(path))
    cache: dict = {}
    first, problems = loader.load_project(project, reuse=cache)
    assert first is not None and len(parsed) == len(first.plans) and len(cache) == len(first.plans)

    parsed.clear()
    again, _ = loader.load_project(project, reuse=cache)
    assert parsed == [] and [p.title for p in again.plans] == [p.title for p in first.plans]
    assert again.plans[0] is not first.plans[0]

    plan = project / "data/plans/skjj/2021/keji-gongzuo-yaodian.yml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("名称: 市科学技术局2021年全市科技工作要点", "名称: 改过的名称"), encoding="utf-8")
    st = plan.stat()
    os.utime(plan, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # a later save, even on a coarse clock
    parsed.clear()
    edited, _ = loader.load_project(project, reuse=cache)
    assert parsed == ["keji-gongzuo-yaodian.yml"]
    assert "改过的名称" in [p.title for p in edited.plans]
    assert len(cache) == len(edited.plans)  # the old entry of the edited file is gone


def test_memory_stays_flat_over_40_saves_of_a_body_in_preview(project):
    """The body memos are keyed by the whole text: a preview session saving one body 40 times must hold
    one version of it (gongkai.markup.prime.keep_only), not 40, and its memory must not grow with the saves.
    Traced saves are slow (tracemalloc makes a load and generate of the sample ~0.5 s instead of 0.04 s),
    so the warm-up is untraced and the memory is compared across the last 20 saves."""
    import gc
    import tracemalloc

    from gongkai.markup import anchors, body, removed
    from gongkai.pages.components import make_env
    from gongkai.pages.generate import generate

    plan = project / "data/plans/skjj/2021/keji-gongzuo-yaodian.yml"
    text = plan.read_text(encoding="utf-8")
    env, cache, memo = make_env(project / "templates"), {}, RenderMemo()
    sizes, bodies = [], set()

    def save(n: int) -> None:
        plan.write_text(text.replace("正文: |", f"正文: |\n  第{n}次保存的段落，含<b>加粗</b>和[链接](https://example.org/{n})。\n", 1),
                        encoding="utf-8")
        st = plan.stat()
        os.utime(plan, ns=(st.st_atime_ns, st.st_mtime_ns + n * 1_000_000))
        loaded, problems = loader.load_project(project, reuse=cache)
        assert loaded is not None, problems.report()
        memo.start("templates")
        generate(loaded, env, memo=memo)
        bodies.update(hash(p.body) for p in loaded.plans)  # hashes: the test must not keep the bodies itself

    def sample() -> None:
        gc.collect()  # count what is kept, not garbage waiting for the collector
        sizes.append(tracemalloc.get_traced_memory()[0])

    for n in range(15):  # warm up: every cache at its working size
        save(n)
    tracemalloc.start()  # objects made before this are not counted: judge from the second sample on
    for n in range(15, 40):
        save(n)
        if n in (19, 39):
            sample()
    tracemalloc.stop()
    plans = len(loader.load_project(project, reuse=cache)[0].plans)
    assert len(bodies) >= 40  # the saves really produced 40 different bodies
    for memo_table in (body.BODY_CACHE, anchors.ANCHORED_CACHE, removed.REMOVED_CACHE):
        assert len(memo_table) <= plans, len(memo_table)
    assert len(sizes) == 2 and sizes[1] - sizes[0] < 500_000, sizes  # flat: 20 more saves, no more memory
