/* Gongkai site search (ES module). Loaded by gongkai.js only when the visitor focuses a search
   box, or at once on the search page. Reads the index that gongkai.search.write_index() wrote
   into <site>/search-index/: the term rules below must stay identical to the Python ones
   (site_hooks/gongkai/pages/search.py; tests/test_search_browser.py checks both give the same results).
   No request leaves the site; results are built with DOM methods, never from HTML strings. */

const CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
const TOKEN = new RegExp("[" + CJK + "]+|[0-9a-z]+", "g");
const OPEN = "〔\\[【(（〈<{［｛";
const CLOSE = "〕\\]】)）〉>}］｝";
const DOC_NO = new RegExp("^([^\\s\\d" + OPEN + CLOSE + "]+?)\\s*[" + OPEN + "]\\s*(\\d{4})\\s*[" + CLOSE + "]\\s*第?\\s*(\\d+)\\s*号?$", "u");
const INDEX_NO = /^([0-9A-Z]{9}|[0-9A-Z]{18})\s*[/\\|]\s*(\d{4}|\d{6})\s*[-—–_－]\s*(\d{1,5})$/;
const TF_MAX = 7, META_BIT = 8, TITLE_BIT = 16;
const FILTERS = ["department", "year", "category", "topic"];
const DROPDOWN_SIZE = 8, PAGE_SIZE = 20, DEBOUNCE_MS = 100;

/* --- terms: the same rules as gongkai.search.query_terms / doc_no_key / index_no_key --- */

const fold = (text) => String(text).normalize("NFKC").toLowerCase();
const isCjk = (run) => !/^[0-9a-z]/.test(run);

export function queryTerms(query) {
  const terms = [];
  for (const run of fold(query).match(TOKEN) || []) {
    const chars = Array.from(run);
    const parts = !isCjk(run) || chars.length === 1 ? [run] : chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
    for (const t of parts) if (!terms.includes(t)) terms.push(t);
  }
  return terms;
}

export function docNoKey(text) {
  const m = DOC_NO.exec(String(text).normalize("NFKC").trim());
  if (!m || Number(m[3]) === 0) return null;
  const agency = Array.from(m[1], (c) => c.codePointAt(0).toString(16).padStart(5, "0")).join("");
  return "gkwh" + agency + "y" + m[2] + "n" + Number(m[3]) + "z";
}

export function indexNoKey(text) {
  const m = INDEX_NO.exec(String(text).normalize("NFKC").trim().toUpperCase());
  if (!m) return null;
  return "gksy" + m[1].toLowerCase() + m[2] + String(Number(m[3])).padStart(5, "0") + "z";
}

function shardOf(term, shards) {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h % shards;
}

/* --- the index: fetched piece by piece, each piece once --- */

class Index {
  constructor(base) {
    this.base = base;
    this.cache = new Map();
    this.meta = this.json("meta.json", { cache: "no-cache" });
  }
  json(path, init) {
    if (!this.cache.has(path)) {
      const p = this.meta && path !== "meta.json"
        ? this.meta.then((m) => fetch(new URL(path + "?v=" + m.build, this.base), init))
        : fetch(new URL(path, this.base), init);
      this.cache.set(path, p.then((r) => {
        if (!r.ok) throw new Error(path + ": HTTP " + r.status);
        return r.json();
      }));
    }
    return this.cache.get(path);
  }
  async postings(term) {
    const meta = await this.meta;
    const shard = await this.json("t/" + shardOf(term, meta.shards) + ".json");
    const docs = [], weights = [];
    let doc = -1;
    for (const v of shard[term] || []) {
      doc += Math.floor(v / 32);
      docs.push(doc);
      weights.push(v % 32);
    }
    return { docs, weights };
  }
  doc(n) { return this.json("d/" + n + ".json"); }
  filters() { return this.json("f.json"); }

  /* Ranked document numbers for a query and the active filters: same scoring as gongkai.search.search(). */
  async search(query, active) {
    const meta = await this.meta;
    const key = docNoKey(query) || indexNoKey(query);
    const terms = key ? [] : queryTerms(query); /* a 文号 or 索引号 is looked up exactly */
    const keyHits = key ? await this.postings(key) : null;
    /* All terms must match: stop waiting as soon as one of them has no document at all. */
    const pending = terms.map((t) => this.postings(t));
    const missing = new Promise((resolve) => pending.forEach((p) => p.then((l) => { if (!l.docs.length) resolve(null); }, () => {})));
    const lists = pending.length ? (await Promise.race([Promise.all(pending), missing])) || [] : [];
    const scores = new Map();
    if (keyHits) for (const d of keyHits.docs) scores.set(d, 1000);
    if (lists.length) {
      let matched = null;
      for (const list of lists) {
        const df = list.docs.length;
        const idf = Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5));
        const here = new Map();
        list.docs.forEach((d, i) => {
          const w = list.weights[i], tf = w & TF_MAX;
          here.set(d, idf * (tf / (tf + 1.2)) * (1 + (w & META_BIT ? 1.5 : 0) + (w & TITLE_BIT ? 3 : 0)));
        });
        if (matched === null) matched = here;
        else {
          const next = new Map();
          for (const [d, s] of matched) if (here.has(d)) next.set(d, s + here.get(d));
          matched = next;
        }
      }
      for (const [d, s] of matched) scores.set(d, (scores.get(d) || 0) + s);
    }
    let ids = Array.from(scores.keys());
    const wanted = FILTERS.filter((f) => active && active[f]);
    if (wanted.length) {
      const columns = await this.filters();
      const values = Object.fromEntries(meta.filters.map((f) => [f.name, f.values]));
      ids = ids.filter((d) => wanted.every((f) => {
        const want = values[f].indexOf(active[f]), have = columns[f][d];
        return Array.isArray(have) ? have.includes(want) : have === want;
      }));
    }
    const rounded = (d) => Math.round(scores.get(d) * 1e6);
    ids.sort((a, b) => rounded(b) - rounded(a) || a - b);
    return { ids, key: Boolean(keyHits && keyHits.docs.length) };
  }
}

/* --- results --- */

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function highlightTerms(query) {
  const runs = (fold(query).match(TOKEN) || []).filter((r) => isCjk(r) || r.length > 1);
  return runs.sort((a, b) => b.length - a.length);
}

/* A piece of the text around the first match, with every match in <mark>. */
function snippet(text, terms) {
  const lower = fold(text);
  let words = terms.filter((t) => lower.includes(t));
  if (!words.length) words = terms.flatMap((t) => queryTerms(t)).filter((t) => t.length > 1 && lower.includes(t));
  const first = words.length ? Math.min(...words.map((t) => lower.indexOf(t))) : 0;
  const start = Math.max(0, first - 30), end = Math.min(text.length, start + 110);
  const p = el("p", "gk-search__snippet");
  const piece = text.slice(start, end).replace(/\s+/g, " ");
  const pieceLower = lower.slice(start, end).replace(/\s+/g, " ");
  if (start > 0) p.append("…");
  let i = 0;
  while (i < piece.length) {
    let hit = null;
    for (const w of words) if (pieceLower.startsWith(w, i)) { hit = w; break; }
    if (hit) {
      p.append(el("mark", "", piece.slice(i, i + hit.length)));
      i += hit.length;
    } else {
      let j = i + 1;
      while (j < piece.length && !words.some((w) => pieceLower.startsWith(w, j))) j++;
      p.append(piece.slice(i, j));
      i = j;
    }
  }
  if (end < text.length) p.append("…");
  return p;
}

function resultItem(doc, root, query, keyMatch) {
  const li = el("li", "gk-search__item");
  const a = el("a", "gk-search__title", doc.t);
  a.href = new URL(doc.u, root).href;
  li.append(a);
  const meta = el("p", "gk-search__meta");
  const field = (label, value, mark) => {
    if (!value) return;
    const span = el("span", "gk-search__field");
    span.append(label + "：");
    span.append(mark ? el("mark", "", value) : value);
    meta.append(span, " ");
  };
  const key = keyMatch ? (docNoKey(query) ? "w" : "s") : "";
  field("发布机构", doc.d);
  field("发布日期", doc.p);
  field("文号", doc.w, key === "w");
  if (key === "s") field("索引号", doc.s, true);
  if (doc.v) field("有效性", doc.v);
  if (meta.childNodes.length) li.append(meta);
  li.append(snippet(doc.x || "", highlightTerms(query)));
  return li;
}

function helpText(query) {
  const box = el("div", "gk-search__empty");
  box.append(el("p", "", "没有找到与“" + query + "”相关的信息。"));
  const tips = el("ul");
  ["检查是否有错别字，或换用更短、更常用的词语；",
    "文号、索引号请完整输入，例如 示科〔2021〕5号，括号和全角数字都可以；",
    "如果选了筛选条件，请改为“全部”再试；",
    "也可以在“政府信息公开”目录中按发布机构、分类和年度查找。"].forEach((t) => tips.append(el("li", "", t)));
  box.append(tips);
  return box;
}

/* --- one search box (header dropdown or the search page) --- */

function attach(box) {
  if (box.__gkSearch) return;
  box.__gkSearch = true;
  const root = new URL(box.getAttribute("data-gk-search-root") || "./", document.baseURI);
  const index = new Index(new URL("search-index/", root));
  const page = box.hasAttribute("data-gk-search-page");
  const form = box.querySelector("form");
  const input = box.querySelector("input[type=search]");
  const results = box.querySelector("#search-results") || box.querySelector(".gk-search-results");
  const status = box.querySelector("[role=status]");
  const selects = Object.fromEntries(FILTERS.map((f) => [f, box.querySelector("select[name=" + f + "]")]).filter(([, s]) => s));
  let sequence = 0, timer = 0, shown = 0, current = { ids: [] }, lastAnnounced = "";

  function announce(text) {
    if (status && text !== lastAnnounced) { status.textContent = text; lastAnnounced = text; }
  }
  function active() {
    const out = {};
    for (const [name, s] of Object.entries(selects)) if (s.value) out[name] = s.value;
    return out;
  }
  /* A stable hook for tests and scripts: the query and filters the shown results belong to. */
  function mark(query) {
    results.setAttribute("data-gk-query", query);
    results.setAttribute("data-gk-filters", new URLSearchParams(active()).toString());
  }
  function close() {
    if (!page) results.hidden = true;
  }
  function links() { return Array.from(results.querySelectorAll("a")); }

  async function showMore(query, list, count) {
    const ids = current.ids.slice(shown, shown + count);
    const docs = await Promise.all(ids.map((d) => index.doc(d)));
    for (const doc of docs) list.append(resultItem(doc, root, query, current.key && shown === 0));
    shown += ids.length;
  }

  async function run() {
    const query = input.value.trim();
    const mine = ++sequence;
    if (page) syncUrl(query);
    if (!query) {
      results.replaceChildren();
      mark("");
      announce("");
      close();
      return;
    }
    try {
      const found = await index.search(query, active());
      if (mine !== sequence) return;
      current = found;
      shown = 0;
      const list = el("ol", "gk-search__list");
      await showMore(query, list, page ? PAGE_SIZE : DROPDOWN_SIZE);
      if (mine !== sequence) return;
      const total = found.ids.length;
      const count = el("p", "gk-search__count", total ? "共找到 " + total + " 条结果" : "没有找到结果");
      const parts = [count];
      if (total) parts.push(list); else parts.push(helpText(query));
      if (page && total > shown) {
        const more = el("button", "gk-search__more", "显示更多结果");
        more.type = "button";
        more.addEventListener("click", async () => {
          const before = shown;
          await showMore(query, list, PAGE_SIZE);
          const next = list.children[before] && list.children[before].querySelector("a");
          if (next) next.focus();
          if (shown >= current.ids.length) more.remove();
        });
        parts.push(more);
      }
      if (!page) {
        const all = el("a", "gk-search__all", total > shown ? "查看全部 " + total + " 条结果和筛选" : "到搜索页筛选");
        all.href = new URL("search/?q=" + encodeURIComponent(query), root).href;
        const footer = el("p", "gk-search__footer");
        footer.append(all);
        parts.push(footer);
      }
      results.replaceChildren(...parts);
      mark(query);
      results.hidden = false;
      announce(count.textContent);
      if (page) updateCounts(query);
    } catch (err) {
      if (mine !== sequence) return;
      results.replaceChildren(el("p", "gk-search__error", "搜索暂时无法使用，请稍后再试，或在“政府信息公开”目录中查找。"));
      mark(query);
      results.hidden = false;
      announce("搜索暂时无法使用");
    }
  }

  /* Option labels with the number of results each would give (search page only). */
  async function updateCounts(query) {
    if (!Object.keys(selects).length) return;
    const meta = await index.meta;
    const columns = await index.filters();
    const base = await index.search(query, {});
    for (const f of meta.filters) {
      const s = selects[f.name];
      if (!s) continue;
      const others = Object.fromEntries(Object.entries(active()).filter(([k]) => k !== f.name));
      const pool = Object.keys(others).length ? (await index.search(query, others)).ids : base.ids;
      const counts = new Array(f.values.length).fill(0);
      for (const d of pool) {
        const have = columns[f.name][d];
        for (const v of Array.isArray(have) ? have : [have]) if (v >= 0) counts[v]++;
      }
      for (const option of s.options) {
        const i = f.values.indexOf(option.value);
        if (i >= 0) option.textContent = f.values[i] + "（" + counts[i] + "）";
      }
    }
  }

  function syncUrl(query) {
    const params = new URLSearchParams();
    if (query) params.set("q", query);
    for (const [k, v] of Object.entries(active())) params.set(k, v);
    const search = params.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }

  input.addEventListener("input", schedule);
  if (page) { /* on the search page Enter searches in place; in the header it opens the search page */
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      clearTimeout(timer);
      run().then(() => { const first = links()[0]; if (first) first.focus(); });
    });
  }
  for (const s of Object.values(selects)) s.addEventListener("change", () => { clearTimeout(timer); run(); });

  /* Keyboard: ↓ from the box to the results, ↑/↓ between them, Esc back to the box. */
  box.addEventListener("keydown", (ev) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (ev.key === "ArrowDown" && (ev.target === input || at >= 0) && all.length) {
      ev.preventDefault();
      results.hidden = false;
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (ev.key === "ArrowUp" && at >= 0) {
      ev.preventDefault();
      (at === 0 ? input : all[at - 1]).focus();
    } else if (ev.key === "Escape" && !page) {
      close();
      input.focus();
    }
  });
  if (!page) {
    box.addEventListener("focusout", (ev) => { if (!box.contains(ev.relatedTarget)) close(); });
    input.addEventListener("focus", (ev) => { /* coming back from elsewhere on the page: show the last results again */
      if (!box.contains(ev.relatedTarget) && results.childNodes.length && input.value.trim()) results.hidden = false;
    });
  }

  if (page) {
    const params = new URLSearchParams(location.search);
    index.meta.then((meta) => {
      for (const f of meta.filters) {
        const s = selects[f.name];
        if (!s) continue;
        for (const value of f.values) {
          const option = el("option", "", value);
          option.value = value;
          s.append(option);
        }
        if (params.get(f.name) && f.values.includes(params.get(f.name))) s.value = params.get(f.name);
      }
      if (params.get("q")) input.value = params.get("q");
      if (input.value.trim()) run();
    }).catch(() => announce("搜索暂时无法使用"));
  } else if (input.value.trim()) {
    run();
  }
  box.setAttribute("data-gk-search-ready", "");
}

document.querySelectorAll("[data-gk-search]").forEach(attach);
