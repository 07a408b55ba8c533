/* Gongkai 无障碍, first part: in assets/gongkai/init.js (joined with material-init.js by
   gongkai/engine/bundles.py), loaded synchronously in <head>, so 长辈版 and the toolbar's settings
   apply before the first paint. Reads ?mode=elder|standard and localStorage["gongkai.a11y"], and
   sets classes and data attributes on <html>; a11y.js (deferred) does the rest once the page is parsed. */
(function () {
  "use strict";
  var html = document.documentElement, s = {}, KEY = "gongkai.a11y";
  try { s = JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { s = {}; }
  var m = /[?&]mode=(elder|standard)(?:&|$)/.exec(location.search);
  if (m) {
    s.elder = m[1] === "elder";
    try { localStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* private mode: this page only */ }
  }
  html.classList.add("gk-js");
  var flags = { elder: "gk-elder", spacing: "gk-spacing", cursor: "gk-cursor", guides: "gk-guides", plain: "gk-plain", open: "gk-bar-open" };
  for (var k in flags) if (s[k]) html.classList.add(flags[k]);
  if (s.zoom && s.zoom !== 100) html.setAttribute("data-gk-zoom", String(s.zoom));
  if (s.scheme) html.setAttribute("data-gk-scheme", s.scheme);
  window.gkA11ySettings = s;
  // 字体[大 中 小] on plan pages (gongkai.js saves the choice): applied here too, before the first paint
  var font = null;
  try { font = localStorage.getItem("gongkai.fontsize"); } catch (e) { font = null; }
  if (font === "large" || font === "small") html.setAttribute("data-gk-font", font);
})();
