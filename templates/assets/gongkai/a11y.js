/* Gongkai 无障碍, second part (deferred: runs once the page is parsed): the 无障碍 toolbar, the 长辈版 / 标准版 links,
   keyboard shortcuts, read-aloud with the browser's Web Speech API (zh-CN), and keyboard access
   to Material's navigation drawer. a11y-init.js has already applied the stored settings.
   Shortcuts (Alt+Shift+…): W toolbar, Z 长辈版, = / - zoom, C colours, L line spacing, M cursor,
   X guide lines, V plain text, P 指读, R 连读, K pause/resume, S stop, 0 reset; Esc stops / closes. */
(function () {
  "use strict";
  var html = document.documentElement, KEY = "gongkai.a11y";
  var s = window.gkA11ySettings || {};
  var bar = document.querySelector("[data-gk-a11ybar]");
  var ZOOMS = [100, 110, 125, 150, 175, 200];
  var RATES = { slow: 0.7, normal: 1, fast: 1.4 };
  var FLAGS = { elder: "gk-elder", spacing: "gk-spacing", cursor: "gk-cursor", guides: "gk-guides", plain: "gk-plain", open: "gk-bar-open" };
  var NAMES = { spacing: "加大行距", cursor: "大鼠标", guides: "十字线", plain: "纯文本", point: "指读" };
  var synth = window.speechSynthesis;
  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };

  function save() { try { localStorage.setItem(KEY, JSON.stringify(s)); } catch (e) { /* private mode */ } }

  function apply() {
    Object.keys(FLAGS).forEach(function (k) { html.classList.toggle(FLAGS[k], !!s[k]); });
    if (s.zoom && s.zoom !== 100) html.setAttribute("data-gk-zoom", String(s.zoom)); else html.removeAttribute("data-gk-zoom");
    if (s.scheme) html.setAttribute("data-gk-scheme", s.scheme); else html.removeAttribute("data-gk-scheme");
    if (!bar) return;
    $$("[data-gk-cmd]", bar).forEach(function (b) {
      var cmd = b.getAttribute("data-gk-cmd"), v = b.getAttribute("data-gk-value");
      if (cmd === "scheme") b.setAttribute("aria-pressed", String(v === (s.scheme || "")));
      else if (cmd === "rate") b.setAttribute("aria-pressed", String(v === (s.rate || "normal")));
      else if (NAMES[cmd]) b.setAttribute("aria-pressed", String(!!s[cmd]));
    });
    $("[data-gk-out=zoom]", bar).textContent = (s.zoom || 100) + "%";
  }

  // --- messages: the toolbar's visible status line, or a hidden live region when it is closed
  var live = document.createElement("div");
  live.className = "gk-visually-hidden";
  live.setAttribute("role", "status");
  document.body.appendChild(live);
  function say(msg, important) {
    if (important && bar && bar.hidden) openBar(true, false);
    var out = bar && !bar.hidden ? $("[data-gk-out=status]", bar) : live;
    out.textContent = "";
    setTimeout(function () { out.textContent = msg; }, 60);
  }

  // --- the toolbar and the top links
  var a11yLink = $(".gk-toplinks__a11y"), elderLink = $(".gk-toplinks__elder"), standardLink = $(".gk-toplinks__standard");
  function openBar(open, focus) {
    if (!bar) return;
    s.open = open; save();
    bar.hidden = !open;
    html.classList.toggle("gk-bar-open", open);
    if (a11yLink) a11yLink.setAttribute("aria-expanded", String(open));
    if (focus) (open ? $("button", bar) : a11yLink).focus();
  }
  function setElder(on, focus) {
    s.elder = on; save(); apply();
    say(on ? "已进入长辈版" : "已返回标准版");
    if (focus) (on ? standardLink : elderLink).focus();
  }
  if (a11yLink && bar) {
    a11yLink.setAttribute("role", "button");
    a11yLink.setAttribute("aria-controls", bar.id);
    a11yLink.setAttribute("aria-expanded", String(!bar.hidden || !!s.open));
    a11yLink.addEventListener("click", function (e) { e.preventDefault(); openBar(bar.hidden, true); });
    a11yLink.addEventListener("keydown", function (e) { if (e.key === " ") { e.preventDefault(); openBar(bar.hidden, true); } });
  }
  if (elderLink) elderLink.addEventListener("click", function (e) { e.preventDefault(); setElder(true, true); });
  if (standardLink) standardLink.addEventListener("click", function (e) { e.preventDefault(); setElder(false, true); });
  if (/[?&]mode=/.test(location.search) && window.URL && history.replaceState) {
    var url = new URL(location.href);
    url.searchParams.delete("mode");
    history.replaceState(history.state, "", url.href);
  }
  if (bar) {
    bar.hidden = !s.open;
    bar.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-gk-cmd]");
      if (b) run(b.getAttribute("data-gk-cmd"), b.getAttribute("data-gk-value"));
    });
  }

  function toggle(name) {
    s[name] = !s[name]; save(); apply();
    say(NAMES[name] + (s[name] ? "已打开" : "已关闭"));
  }
  function run(cmd, value) {
    var i = ZOOMS.indexOf(s.zoom || 100);
    switch (cmd) {
      case "zoom-in": case "zoom-out":
        i = Math.max(0, Math.min(ZOOMS.length - 1, i + (cmd === "zoom-in" ? 1 : -1)));
        s.zoom = ZOOMS[i]; save(); apply(); say("页面缩放 " + s.zoom + "%"); break;
      case "scheme":
        s.scheme = value || ""; save(); apply();
        say("配色：" + $("[data-gk-cmd=scheme][data-gk-value='" + s.scheme + "']", bar).textContent); break;
      case "next-scheme":
        var opts = $$("[data-gk-cmd=scheme]", bar).map(function (b) { return b.getAttribute("data-gk-value"); });
        run("scheme", opts[(opts.indexOf(s.scheme || "") + 1) % opts.length]); break;
      case "spacing": case "cursor": case "guides": case "plain": case "point":
        toggle(cmd);
        if (cmd === "point" && s.point) voice(function () {});
        if (cmd === "point" && !s.point) stop(); break;
      case "read": read(); break;
      case "pause": pause(); break;
      case "stop": stop(); break;
      case "rate":
        s.rate = value; save(); apply(); say("语速：" + { slow: "慢", normal: "中", fast: "快" }[value]); break;
      case "reset":
        stop();
        s = { elder: s.elder, open: s.open }; save(); apply(); say("已恢复默认设置"); break;
      case "close": openBar(false, true); break;
    }
  }

  // --- read-aloud: 指读 (what the pointer or the keyboard focus is on) and 连读 (the main content)
  var NO_SPEECH = "您的浏览器不支持朗读功能，请换用其他浏览器。";
  var NO_VOICE = "您的浏览器没有中文语音，暂时无法朗读。请在系统设置中安装中文（中国大陆）语音，或换用其他浏览器。";
  var chosen = null;
  function voice(cb) {
    if (!synth || !window.SpeechSynthesisUtterance) { say(NO_SPEECH, true); return; }
    if (chosen) return cb(chosen);
    var done = false, timer;
    function pick() {
      if (done) return;
      done = true; clearTimeout(timer);
      var best = null, top = 0;
      (synth.getVoices() || []).forEach(function (v) {
        var l = String(v.lang || "").toLowerCase().replace("_", "-");
        var score = /^(zh-cn|zh-hans|cmn)/.test(l) ? 3 : /^zh(-tw|-hant|$)/.test(l) ? 2 : /^zh/.test(l) ? 1 : 0;
        if (score > top) { top = score; best = v; }
      });
      if (!best) { say(NO_VOICE, true); return; }
      chosen = best; cb(best);
    }
    if ((synth.getVoices() || []).length) return pick();
    timer = setTimeout(pick, 1500);
    if (synth.addEventListener) synth.addEventListener("voiceschanged", pick);
  }
  function utter(text, v, done) {
    var u = new SpeechSynthesisUtterance(text);
    u.lang = "zh-CN";
    try { u.voice = v; } catch (e) { /* lang is enough */ }
    u.rate = RATES[s.rate] || 1;
    u.onend = u.onerror = done;
    synth.speak(u);
  }
  function textOf(el) {
    var t = el.getAttribute("aria-label") || el.innerText || el.getAttribute("alt") || el.getAttribute("title") || "";
    t = t.split(/\s*\n+\s*/).filter(Boolean).join("，").replace(/\s+/g, " ").trim();
    var tag = el.tagName, role = el.getAttribute("role");
    if (tag === "A" && role !== "button") return "链接：" + t;
    if (tag === "BUTTON" || role === "button") return "按钮：" + t + (el.getAttribute("aria-pressed") === "true" ? "，已选中" : "");
    return t;
  }
  var BLOCKS = "h1,h2,h3,h4,h5,h6,p,li,dt,dd,caption,tr,figcaption,blockquote,.gk-meta__row";
  var POINTABLE = "a,button,input,select,textarea,label,summary,[role=button]," + BLOCKS + ",td,th";
  var lit = [];
  function light(els) {
    lit.forEach(function (e) { e.classList.remove("gk-reading"); });
    lit = els;
    lit.forEach(function (e) { e.classList.add("gk-reading"); });
  }
  var runId = 0, reading = false, paused = false, pointed = null, pointTimer;
  function sayEl(el) {  // 指读; never interrupts 连读
    if (!el || el === pointed || reading) return;
    pointed = el;
    voice(function (v) {
      var t = textOf(el);
      if (!t) return;
      runId++;
      synth.cancel(); light([el]);
      utter(t, v, function () { if (pointed === el) light([]); });
    });
  }
  document.addEventListener("mouseover", function (e) {
    if (!s.point) return;
    var el = e.target.closest && e.target.closest(POINTABLE);
    clearTimeout(pointTimer);
    pointTimer = setTimeout(function () { sayEl(el); }, 250);
  });
  document.addEventListener("focusin", function (e) {
    if (s.point && e.target !== document.body && !e.target.classList.contains("gk-main-target")) sayEl(e.target);
  });

  function blocks() {  // the main content from its title on, sentence by sentence
    var root = $(".md-content__inner") || $("main") || document.body;
    var out = [], els = $$(BLOCKS, root), h1 = $("h1", root);
    if (h1 && els.indexOf(h1) > 0) els = els.slice(els.indexOf(h1));
    els.forEach(function (el) {
      if (el.closest(".gk-breadcrumb,.gk-fontsize,[hidden],[aria-hidden=true]")) return;
      if (el.parentElement.closest(BLOCKS) && root.contains(el.parentElement.closest(BLOCKS))) return;
      if (!el.getClientRects().length) return;
      var t = (el.innerText || "").split(/\s*\n+\s*/).filter(Boolean).join("，");
      // sentences, so that one utterance never runs for minutes (some engines stop after ~15 s)
      (t.match(/[^。！？；!?;]+[。！？；!?;]*/g) || []).forEach(function (part) {
        if (part.trim()) out.push({ el: el, text: part.trim() });
      });
    });
    return out;
  }
  function controls() {
    if (!bar) return;
    var p = $("[data-gk-cmd=pause]", bar), st = $("[data-gk-cmd=stop]", bar);
    if (!reading && (document.activeElement === p || document.activeElement === st)) $("[data-gk-cmd=read]", bar).focus();
    p.disabled = st.disabled = !reading;
    p.textContent = paused ? "继续" : "暂停";
  }
  function read() {
    voice(function (v) {
      var queue = blocks(), i = 0, id = ++runId;
      if (!queue.length) return;
      synth.cancel();
      reading = true; paused = false; pointed = null; controls();
      say("开始连读，按 Alt+Shift+K 暂停，按 Esc 停止");
      (function next() {
        if (id !== runId) return;
        if (i >= queue.length) { reading = false; light([]); controls(); say("朗读完毕"); return; }
        var item = queue[i++];
        light([item.el]);
        if (item.el.scrollIntoView) item.el.scrollIntoView({ block: "nearest" });
        utter(item.text, v, next);
      })();
    });
  }
  function pause() {
    if (!reading) return;
    paused = !paused;
    if (paused) synth.pause(); else synth.resume();
    controls();
    say(paused ? "已暂停" : "继续朗读");
  }
  function stop() {
    var was = reading;
    runId++; reading = false; paused = false; pointed = null;
    if (synth) synth.cancel();
    light([]); controls();
    if (was) say("已停止朗读");
  }

  // --- guide lines: follow the pointer, or the keyboard focus
  var gx = document.createElement("div"), gy = document.createElement("div");
  gx.className = "gk-guide gk-guide--x"; gy.className = "gk-guide gk-guide--y";
  gx.setAttribute("aria-hidden", "true"); gy.setAttribute("aria-hidden", "true");
  document.body.appendChild(gx); document.body.appendChild(gy);
  function guide(x, y) {
    gx.style.transform = "translateY(" + Math.round(y) + "px)";
    gy.style.transform = "translateX(" + Math.round(x) + "px)";
  }
  document.addEventListener("mousemove", function (e) { if (s.guides) guide(e.clientX, e.clientY); }, { passive: true });
  document.addEventListener("focusin", function (e) {
    if (!s.guides || !e.target.getBoundingClientRect) return;
    var r = e.target.getBoundingClientRect();
    guide(r.left + Math.min(r.width / 2, 40), r.bottom + 2);
  });

  // --- Material's navigation drawer (phones): its button is a <label for="__drawer">, which a keyboard
  // cannot reach and which may not take role="button" (ARIA in HTML; Lighthouse's aria-allowed-role).
  // It is replaced by a real <button> with the same classes and icon (.gk-drawer-button in the CSS).
  var drawerToggle = $("#__drawer"), burger = $('.md-header__button[for="__drawer"]'), drawer = $(".md-sidebar--primary");
  if (drawerToggle && burger && drawer) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = burger.className + " gk-drawer-button";
    button.innerHTML = burger.innerHTML;
    burger.parentNode.replaceChild(button, burger);
    burger = button;
  }
  function drawerOpen() { return drawerToggle && drawerToggle.checked && burger && getComputedStyle(burger).display !== "none"; }
  function setDrawer(open, focus) {
    drawerToggle.checked = open;
    drawerToggle.dispatchEvent(new Event("change", { bubbles: true }));
    burger.setAttribute("aria-expanded", String(open));
    if (focus) { var first = open && $("a[href]", drawer); (first || burger).focus(); }
  }
  if (drawerToggle && burger && drawer) {
    drawer.id = drawer.id || "gk-drawer";
    burger.setAttribute("aria-label", "导航菜单");
    burger.setAttribute("aria-controls", drawer.id);
    burger.setAttribute("aria-expanded", String(drawerToggle.checked));
    burger.addEventListener("click", function (e) {
      // a click by keyboard (Enter, Space: detail 0) moves the focus into the open drawer
      setDrawer(!drawerToggle.checked, e.detail === 0);
    });
    drawerToggle.addEventListener("change", function () { burger.setAttribute("aria-expanded", String(drawerToggle.checked)); });
    drawer.addEventListener("focusout", function (e) {
      if (drawerOpen() && e.relatedTarget && !drawer.contains(e.relatedTarget) && e.relatedTarget !== burger) setDrawer(false, false);
    });
  }

  // --- keyboard shortcuts
  var KEYS = { KeyW: "bar", KeyZ: "elder", Equal: "zoom-in", NumpadAdd: "zoom-in", Minus: "zoom-out", NumpadSubtract: "zoom-out",
    KeyC: "next-scheme", KeyL: "spacing", KeyM: "cursor", KeyX: "guides", KeyV: "plain", KeyP: "point", KeyR: "read",
    KeyK: "pause", KeyS: "stop", Digit0: "reset", Numpad0: "reset" };
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      if (reading || lit.length) return stop();
      if (drawerOpen()) return setDrawer(false, true);
      if (bar && !bar.hidden && bar.contains(document.activeElement)) return openBar(false, true);
      return;
    }
    var cmd = e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && KEYS[e.code];
    if (!cmd) return;
    e.preventDefault();
    if (cmd === "bar") openBar(!bar || bar.hidden, true);
    else if (cmd === "elder") setElder(!s.elder, false);
    else run(cmd);
  });

  apply();
  controls();
})();
