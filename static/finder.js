// Country finder: ranks the home page's country list as the reader types (a WAI-ARIA
// combobox over a listbox). Optional: without JavaScript the full list of links is shown.
// `?country=ger` pre-fills it (shareable links). `fold` and `rank` repeat
// src/derive/finder.rs line for line; tests/browser.rs checks that both agree.
(function () {
  "use strict";
  var form = document.querySelector(".finder-form");
  var input = document.getElementById("finder-filter");
  var list = document.getElementById("finder-list");
  var none = document.getElementById("finder-none");
  var status = document.getElementById("finder-status");
  if (!form || !input || !list) return;

  var LETTERS = { "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ı": "i" };
  // Case-, accent- and punctuation-insensitive: "Côte d’Ivoire" → "cote d ivoire".
  function fold(s) {
    return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[ßæœþøłđðı]/g, function (c) { return LETTERS[c]; })
      .replace(/[^\p{Alphabetic}\p{N}]+/gu, " ").trim();
  }

  // 0 equal, 1 the term starts with q, 2 a word of it does, 3 it contains q; codes (kind 0)
  // match only whole; -1 no match.
  function tier(q, kind, term) {
    if (term === q) return 0;
    if (kind === 0) return -1;
    if (term.indexOf(q) === 0) return 1;
    if (term.indexOf(" " + q) !== -1) return 2;
    return term.indexOf(q) !== -1 ? 3 : -1;
  }

  var items = Array.prototype.slice.call(list.querySelectorAll("li[data-terms]"));
  var always = list.querySelector("li[data-always]");
  var terms = items.map(function (li) {
    return li.dataset.terms.split("|").map(function (t) { return [+t.charAt(0), t.slice(1)]; });
  });

  // Best (tier, kind) as tier * 10 + kind; -1 when nothing matches.
  function score(q, i) {
    var best = -1;
    terms[i].forEach(function (t) {
      var s = tier(q, t[0], t[1]);
      if (s >= 0 && (best < 0 || s * 10 + t[0] < best)) best = s * 10 + t[0];
    });
    return best;
  }

  // The countries listed for `query`, best first, ties in list order; an empty query lists
  // the site's own countries (not those only found by name: data-other).
  function rank(query) {
    var q = fold(query);
    if (q === "") return items.filter(function (li) { return !li.hasAttribute("data-other"); });
    return items.map(function (li, i) { return [score(q, i), i]; })
      .filter(function (h) { return h[0] >= 0; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (h) { return items[h[1]]; });
  }

  var active = null;
  function activate(li) {
    if (active) { active.classList.remove("active"); active.setAttribute("aria-selected", "false"); }
    active = li;
    if (!li) { input.removeAttribute("aria-activedescendant"); return; }
    li.classList.add("active");
    li.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", li.id);
    if (li.scrollIntoView) li.scrollIntoView({ block: "nearest" });
  }

  function options() {
    return Array.prototype.filter.call(list.children, function (li) { return !li.hidden; });
  }

  function apply() {
    var ranked = rank(input.value);
    var typed = fold(input.value) !== "";
    items.forEach(function (li) { li.hidden = true; });
    ranked.forEach(function (li) { li.hidden = false; list.insertBefore(li, always); });
    activate(typed && ranked.length ? ranked[0] : null);
    input.setAttribute("aria-expanded", String(options().length > 0));
    if (none) none.hidden = !typed || ranked.length > 0;
    if (status) {
      status.textContent = !typed ? "" : ranked.length === 0 ? "No country matches."
        : ranked.length + (ranked.length === 1 ? " country" : " countries") + "; best: " + ranked[0].textContent;
    }
  }

  function move(step) {
    var shown = options();
    if (!shown.length) return;
    var at = shown.indexOf(active);
    var next = at < 0 ? (step > 0 ? 0 : shown.length - 1) : Math.min(Math.max(at + step, 0), shown.length - 1);
    activate(shown[next]);
  }

  list.setAttribute("role", "listbox");
  items.concat(always ? [always] : []).forEach(function (li) {
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    // An option holds no link of its own (a listbox may not nest interactive controls):
    // its address moves to data-href, and a click or Enter follows it.
    var a = li.querySelector("a");
    if (!a) return;
    li.dataset.href = a.getAttribute("href");
    a.removeAttribute("href");
    li.addEventListener("click", function () { window.location.href = li.dataset.href; });
  });
  form.hidden = false;
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (active && active.dataset.href) window.location.href = active.dataset.href;
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      move(e.key === "ArrowDown" ? 1 : -1);
    }
  });
  input.addEventListener("input", apply);
  var preset = new URLSearchParams(window.location.search).get("country");
  if (preset) input.value = preset;
  apply();
})();
