// The cable page's "Similar cables": fetch /cable/<id>/similar/ (a cached archive
// page of its own) and put its section in place of the link. Without script, or if
// the fetch fails, the link stays.
(function () {
  "use strict";
  var section = document.querySelector("section#similar[data-similar-src]");
  if (!section || !window.fetch || !window.DOMParser) return;
  section.setAttribute("aria-busy", "true");
  fetch(section.getAttribute("data-similar-src"), { headers: { Accept: "text/html" } })
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    })
    .then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var found = page.querySelector("section#similar");
      if (found) section.replaceWith(document.importNode(found, true));
    })
    .catch(function () {})
    .finally(function () { section.removeAttribute("aria-busy"); });
})();
