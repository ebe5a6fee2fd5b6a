// Tryggspor: a page that answers a POST (a form refused with its messages,
// the kept form after the session ended) takes the address of the form's own
// GET page in the browser's history. Back and reload then never meet
// "Confirm Form Resubmission": the entry is a GET, and nothing is sent twice.
// Without JavaScript the page works the same; only that prompt can appear.
(function () {
  "use strict";
  var m = document.querySelector('meta[name="tryggspor-get-url"]');
  if (m && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", m.getAttribute("content"));
  }
})();
