/* Gongkai: 字体[大 中 小] on plan pages. Remembers the choice in localStorage; init.js (a11y-init.js)
   applies a stored choice before the first paint, as data-gk-font on <html>, which the CSS reads.
   Without JavaScript the switch stays hidden and the page reads normally. */
(function () {
  "use strict";
  var KEY = "gongkai.fontsize";
  function apply(size) {
    if (size === "large" || size === "small") document.documentElement.setAttribute("data-gk-font", size);
    else document.documentElement.removeAttribute("data-gk-font");
    document.querySelectorAll("[data-gk-fontsize] button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-size") === size ? "true" : "false");
    });
  }
  function stored() {
    try { return localStorage.getItem(KEY) || "medium"; } catch (e) { return "medium"; }
  }
  document.querySelectorAll("[data-gk-fontsize]").forEach(function (box) {
    box.hidden = false;
    box.addEventListener("click", function (ev) {
      var btn = ev.target.closest("button[data-size]");
      if (!btn) return;
      var size = btn.getAttribute("data-size");
      try { localStorage.setItem(KEY, size); } catch (e) { /* private mode: still applies */ }
      apply(size);
    });
  });
  apply(stored());
})();

/* Gongkai: site search. Nothing of it is downloaded until the visitor focuses a search box
   (on the search page: at once); then assets/gongkai/search.js loads as a module and does the rest. */
(function () {
  "use strict";
  var box = document.querySelector("[data-gk-search]");
  if (!box) return;
  var started = false;
  function start() {
    if (started) return;
    started = true;
    var script = document.createElement("script");
    script.type = "module";
    script.src = box.getAttribute("data-gk-search-src");
    document.head.appendChild(script);
  }
  if (box.hasAttribute("data-gk-search-page")) start();
  else box.addEventListener("focusin", start);
})();

/* Gongkai: 栏目导航 (components/site_nav) is a <details>, so it opens and closes without JavaScript;
   this only adds Esc (close, back to the button) and closes a drop-down list on a click outside it. */
(function () {
  "use strict";
  var nav = document.querySelector("[data-gk-sitenav]");
  if (!nav) return;
  nav.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && nav.open) {
      nav.open = false;
      nav.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (ev) {
    if (nav.open && !nav.contains(ev.target) && !document.documentElement.classList.contains("gk-elder")) nav.open = false;
  });
})();
