/* Gongkai web editor: the plan preview (Decap CMS preview template), shown with the site's own stylesheet.
   Same markup as templates/components/{metadata,article_info,targets_table}: the metadata block, title,
   发布时间/来源 line, body and 主要目标 table; a button switches between 标准版 and 长辈版 (html.gk-elder).
   Loaded by admin/index.html after decap-cms.js; no inline script, so the editor's CSP needs none. */
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  if (!CMS || !h || !createClass) { return; }
  var css = document.querySelector('meta[name="gongkai-preview-css"]');
  if (css) { CMS.registerPreviewStyle(css.getAttribute("content")); }
  var shortNames = {};
  try { shortNames = JSON.parse(document.querySelector('meta[name="gongkai-departments"]').getAttribute("content")); } catch (e) { shortNames = {}; }

  function text(v) { return v === undefined || v === null ? "" : String(v); }
  function get(entry, name) {
    var v = entry.getIn(["data", name]);
    return v && v.toJS ? v.toJS() : v;
  }
  function row(label, value, wide) {
    return h("div", { className: "gk-meta__row" + (wide ? " gk-meta__row--wide" : ""), key: label },
      h("dt", null, label), h("dd", null, text(value) || "—"));
  }

  var PlanPreview = createClass({
    getInitialState: function () { return { elder: false }; },
    toggle: function () {
      var elder = !this.state.elder;
      var doc = this.props.document || (this.root && this.root.ownerDocument);
      if (doc) { doc.documentElement.classList.toggle("gk-elder", elder); }
      this.setState({ elder: elder });
    },
    render: function () {
      var entry = this.props.entry, self = this;
      var targets = get(entry, "指标") || [];
      var date = text(get(entry, "发布日期")), time = text(get(entry, "发布时间"));
      var dept = text(get(entry, "发布机构")), deptName = shortNames[dept] || dept;
      return h("div", { className: "md-typeset gk-plan", ref: function (el) { self.root = el; } },
        h("p", null, h("button", { type: "button", className: "md-button", onClick: this.toggle, "aria-pressed": this.state.elder ? "true" : "false" },
          this.state.elder ? "切换到标准版" : "切换到长辈版")),
        h("section", { className: "gk-meta", "aria-label": "信息索引" },
          h("dl", { className: "gk-meta__list" },
            row("索引号", get(entry, "索引号") || "(合并后自动编号)"),
            row("组配分类", get(entry, "组配分类")),
            row("发布机构", deptName),
            row("主题分类", text(get(entry, "主题分类")).replace("\\", " › ")),
            row("名称", get(entry, "名称"), true),
            row("文号", get(entry, "文号")),
            row("生成日期", get(entry, "生成日期")),
            row("发布日期", date))),
        h("h1", { className: "gk-plan__title" }, text(get(entry, "名称"))),
        h("p", { className: "gk-info" },
          h("span", null, "发布时间：", h("time", { dateTime: date }, date + (time ? " " + time : ""))),
          h("span", null, "来源：" + (text(get(entry, "来源")) || deptName))),
        h("div", { className: "gk-body" }, this.props.widgetFor("正文")),
        targets.length ? h("section", { className: "gk-targets", "aria-labelledby": "gk-preview-targets" },
          h("h2", { id: "gk-preview-targets" }, "主要目标"),
          h("div", { className: "gk-table-wrap" },
            h("table", { className: "gk-targets__table" },
              h("caption", null, "主要目标(预览)"),
              h("thead", null, h("tr", null, ["指标", "目标", "单位", "期限"].map(function (t) { return h("th", { scope: "col", key: t }, t); }))),
              h("tbody", null, targets.map(function (t, i) {
                return h("tr", { key: i },
                  h("th", { scope: "row" }, text(t["指标"]), t["原文"] ? h("span", { className: "gk-targets__wording" }, "“" + t["原文"] + "”") : null),
                  h("td", { "data-label": "目标" }, h("span", { className: "gk-targets__goal" }, text(t["类型"]) + " " + text(t["目标值"]))),
                  h("td", { "data-label": "单位" }, text(t["单位"])),
                  h("td", { "data-label": "期限" }, text(t["期限"]) || "年底"));
              }))))) : null);
    }
  });
  CMS.registerPreviewTemplate("plans", PlanPreview);

  // Decap's preview <iframe> has no accessible name (axe frame-title): give it one when it appears.
  new MutationObserver(function () {
    var frame = document.getElementById("preview-pane");
    if (frame && !frame.title) { frame.title = "预览(与网站上的样式相同)"; }
  }).observe(document.body, { childList: true, subtree: true });
})();
