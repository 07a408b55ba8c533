/* Gongkai: the helpers Material for MkDocs' bundle expects before it runs (__md_scope, __md_hash,
   __md_get, __md_set). Upstream (Material 9.8.1) writes them as an inline script in
   partials/javascripts/base.html; they live in this file so that the Content-Security-Policy can
   forbid inline scripts. Joined with a11y-init.js into assets/gongkai/init.js (gongkai/engine/bundles.py),
   the page's one synchronous script in <head>; the bundle, deferred, runs after it. */
(function () {
  "use strict";
  var self = document.currentScript;
  // This file is part of <site root>/assets/gongkai/init.<hash>.js: the site root is two folders up.
  // Material names its browser-storage keys after this path, so two sites on one host keep apart.
  var scope = new URL("../../", self ? self.src : location.href);

  // The same 32-bit string hash as upstream (used to remember dismissed announcements).
  function hash(text) {
    return Array.from(text).reduce(function (h, ch) { return (h << 5) - h + ch.charCodeAt(0); }, 0);
  }
  function get(key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  }
  function set(key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try { storage.setItem(base.pathname + "." + key, JSON.stringify(value)); } catch (e) { /* storage full or disabled */ }
  }
  window.__md_scope = scope;
  window.__md_hash = hash;
  window.__md_get = get;
  window.__md_set = set;
})();
