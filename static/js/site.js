/* Cable Archive: the little script the pages use. Every page works without it.
 *
 * - "/" focuses the search box (the search page's own, else the header's), as on
 *   GitHub or MDN; not while typing in a field.
 * - Disclosures marked data-open-wide (the search page's "Filters", the cable's
 *   header panel) start open on a wide screen and closed on a narrow one, so the
 *   results and the cable text start on the first screen of a phone. Without the
 *   script they stay as the HTML has them.
 * - A search form leaves its empty fields out of the URL (no "&from=&to="); the
 *   server redirects such URLs to the short one too.
 */
(function () {
  "use strict";
  var NARROW = "(max-width: 56rem)";

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var box = document.getElementById("q") || document.getElementById("site-q");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  function placeDisclosures() {
    var narrow = window.matchMedia && window.matchMedia(NARROW).matches;
    var all = document.querySelectorAll("details[data-open-wide]");
    for (var i = 0; i < all.length; i++) {
      if (narrow) all[i].removeAttribute("open");
      else all[i].setAttribute("open", "");
    }
  }

  function dropEmptyFields(event) {
    var fields = event.target.querySelectorAll("input[name], select[name]");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.type !== "checkbox" && field.type !== "submit" && !field.value) field.disabled = true;
    }
    // Back to this page with the browser's back button: the fields work again.
    window.setTimeout(function () {
      for (var j = 0; j < fields.length; j++) fields[j].disabled = false;
    }, 0);
  }

  function ready() {
    placeDisclosures();
    var forms = document.querySelectorAll("form[role=search]");
    for (var i = 0; i < forms.length; i++) forms[i].addEventListener("submit", dropEmptyFields);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
