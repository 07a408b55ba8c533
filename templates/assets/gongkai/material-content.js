/* Gongkai: what Material 9.8.1 does inline in partials/javascripts/content.html, as a file for the
   Content-Security-Policy. Runs right after the page content, before Material's bundle:
   opens the content tab named in the address (#__tabbed_…) and, with the feature
   content.tabs.link, the tabs the visitor chose on other pages. */
(function () {
  "use strict";
  var self = document.currentScript;
  if (self && self.hasAttribute("data-tabs-link")) {
    var chosen = window.__md_get && window.__md_get("__tabs");
    if (Array.isArray(chosen)) {
      document.querySelectorAll(".tabbed-set").forEach(function (set) {
        var labels = set.querySelector(".tabbed-labels");
        if (!labels) return;
        var all = Array.prototype.slice.call(labels.getElementsByTagName("label"));
        for (var i = 0; i < chosen.length; i++) {
          for (var j = 0; j < all.length; j++) {
            if (all[j].innerText.trim() === chosen[i]) {
              document.getElementById(all[j].htmlFor).checked = true;
              return;
            }
          }
        }
      });
    }
  }
  var target = document.getElementById(location.hash.slice(1));
  if (target && target.name) target.checked = target.name.indexOf("__tabbed_") === 0;
})();
