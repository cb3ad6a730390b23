// Country finder: filters the home page's country list as the reader types. Optional: without
// JavaScript the full list is shown. `?country=ger` pre-fills the filter (shareable links).
(function () {
  "use strict";
  var form = document.querySelector(".finder-form");
  var input = document.getElementById("finder-filter");
  var list = document.getElementById("finder-list");
  var none = document.getElementById("finder-none");
  if (!form || !input || !list) return;

  // Case- and accent-insensitive: "cote" finds "Côte d'Ivoire".
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  var items = Array.prototype.slice.call(list.querySelectorAll("li[data-terms]"));
  items.forEach(function (li) { li.dataset.folded = fold(li.dataset.terms); });

  function apply() {
    var q = fold(input.value.trim());
    var shown = 0;
    items.forEach(function (li) {
      var match = q === "" || li.dataset.folded.indexOf(q) !== -1;
      li.hidden = !match;
      if (match) shown += 1;
    });
    if (none) none.hidden = shown > 0;
  }

  form.hidden = false;
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var first = items.filter(function (li) { return !li.hidden; })[0];
    if (first) window.location.href = first.querySelector("a").href;
  });
  input.addEventListener("input", apply);
  var preset = new URLSearchParams(window.location.search).get("country");
  if (preset) input.value = preset;
  apply();
})();
