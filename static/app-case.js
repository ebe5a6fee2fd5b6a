// Tryggspor: small progressive enhancements for the case pages. Every page
// works without this file (strict CSP: it is loaded from 'self', never inline).
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    // A refused form: move focus to its error summary, so a screen reader
    // reads it and the keyboard starts there.
    var summary = document.querySelector("[data-autofocus]");
    if (summary) {
      summary.focus();
      summary.scrollIntoView({ block: "start" });
    }
    // The session ends after 15 idle minutes; warn at 13 (data-idle-after
    // seconds after this page was loaded, which was the last activity).
    var warn = document.querySelector("[data-idle-warning]");
    if (warn) {
      var after = parseInt(warn.getAttribute("data-idle-after"), 10) || 780;
      window.setTimeout(function () { warn.hidden = false; }, after * 1000);
    }
    // Choosing the field to correct fetches its input at once.
    var choose = document.querySelectorAll(".correction-choose select");
    Array.prototype.forEach.call(choose, function (sel) {
      sel.addEventListener("change", function () { if (sel.value) { sel.form.submit(); } });
    });
  });
})();
