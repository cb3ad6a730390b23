// Offline search over the index under /search/ (src/render/search.rs writes it): fetches
// meta.json, then only the term shards of the query's words and the page chunks it shows.
// `tokens`, `shardKey` and `query` repeat src/derive/search.rs; tests/browser.rs checks both
// agree. Without JavaScript the page says so and links to the lists of pages.
(function () {
  "use strict";
  var MAX_TERM = 32;
  var LETTERS = { "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ı": "i" };
  // Case-, accent- and punctuation-insensitive (src/derive/finder.rs `fold`).
  function fold(s) {
    return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[ßæœþøłđðı]/g, function (c) { return LETTERS[c]; })
      .replace(/[^\p{Alphabetic}\p{N}]+/gu, " ").trim();
  }
  function tokens(text) {
    return fold(text).split(" ").filter(function (t) {
      return t !== "" && Array.from(t).length <= MAX_TERM;
    });
  }
  function shardKey(term, prefix) { return Array.from(term).slice(0, prefix).join(""); }
  function shardFile(key) {
    if (key === "") return "_";
    return Array.from(key).map(function (c) {
      return /^[a-z0-9]$/i.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }).join("");
  }

  var base = "/search/";
  var cache = {};
  function getJSON(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return r.json();
      });
    }
    return cache[path];
  }

  // The shard keys a word needs: its own, or (the last word, a prefix shorter than the keys)
  // every key it starts.
  function keysFor(meta, word, last) {
    var key = shardKey(word, meta.prefix);
    if (!last || Array.from(word).length >= meta.prefix) {
      return meta.shards.indexOf(key) >= 0 ? [key] : [];
    }
    return meta.shards.filter(function (k) { return k.indexOf(key) === 0; });
  }

  // Pages matching every word (the last as a prefix, at half weight), best first, ties in
  // site order: [[page, score], …]. `shards` maps a key to its parsed shard.
  function query(meta, shards, words) {
    var total = null;
    words.forEach(function (w, i) {
      var last = i === words.length - 1;
      var best = new Map();
      keysFor(meta, w, last).forEach(function (k) {
        var shard = shards[k];
        var terms = last ? Object.keys(shard) :
          (Object.prototype.hasOwnProperty.call(shard, w) ? [w] : []);
        terms.forEach(function (t) {
          if (t === w || (last && t.indexOf(w) === 0)) {
            // Page differences from -1; a negative one has the weight after it, else it is 1.
            var exact = t === w ? 2 : 1, p = shard[t], d = -1;
            for (var j = 0; j < p.length; j++) {
              var v = p[j], weight = 1;
              if (v < 0) { v = -v; weight = p[++j]; }
              d += v;
              var s = weight * exact;
              if (!(best.get(d) >= s)) best.set(d, s);
            }
          }
        });
      });
      if (total === null) { total = best; return; }
      var next = new Map();
      total.forEach(function (s, d) { if (best.has(d)) next.set(d, s + best.get(d)); });
      total = next;
    });
    var hits = [];
    if (total) total.forEach(function (s, d) { hits.push([d, s]); });
    return hits.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
  }

  // Runs a query: fetches what it needs and resolves to [[page, score], …].
  function search(q) {
    var words = tokens(q);
    return getJSON("meta.json").then(function (meta) {
      var keys = [];
      words.forEach(function (w, i) {
        keysFor(meta, w, i === words.length - 1).forEach(function (k) {
          if (keys.indexOf(k) < 0) keys.push(k);
        });
      });
      return Promise.all(keys.map(function (k) { return getJSON("t/" + shardFile(k) + ".json"); }))
        .then(function (loaded) {
          var shards = {};
          keys.forEach(function (k, i) { shards[k] = loaded[i]; });
          return { meta: meta, hits: words.length ? query(meta, shards, words) : [] };
        });
    });
  }

  // The shown pages' [section, url, title, snippet], from their chunks.
  function docs(meta, ids) {
    return Promise.all(ids.map(function (d) {
      return getJSON("d/" + Math.floor(d / meta.chunk) + ".json").then(function (c) {
        return c[d % meta.chunk];
      });
    }));
  }

  window.explainerSearch = { fold: fold, tokens: tokens, shardKey: shardKey, shardFile: shardFile, search: search, docs: docs };

  var form = document.querySelector(".search-form");
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var nojs = document.getElementById("search-nojs");
  if (!form || !input || !list) return;
  form.hidden = false;
  if (nojs) nojs.hidden = true;
  var SHOWN = 20;
  var seq = 0;

  function item(doc, meta) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = doc[1];
    a.textContent = doc[2];
    var section = document.createElement("span");
    section.className = "search-section";
    section.textContent = meta.sections[doc[0]];
    var p = document.createElement("p");
    p.textContent = doc[3];
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(section);
    if (doc[3]) li.appendChild(p);
    return li;
  }

  function run() {
    var q = input.value;
    var mine = ++seq;
    if (tokens(q).length === 0) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    search(q).then(function (r) {
      var ids = r.hits.slice(0, SHOWN).map(function (h) { return h[0]; });
      return docs(r.meta, ids).then(function (found) {
        if (mine !== seq) return;
        list.textContent = "";
        found.forEach(function (doc) { list.appendChild(item(doc, r.meta)); });
        var n = r.hits.length;
        status.textContent = n === 0 ? "No page matches." :
          (n === 1 ? "1 page matches." : n + " pages match" + (n > SHOWN ? "; the best " + SHOWN + " are shown." : "."));
      });
    }).catch(function (e) {
      if (mine === seq) status.textContent = "Search failed to load its index (" + e.message + ").";
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(location.href);
      if (input.value) url.searchParams.set("q", input.value); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      run();
    }, 60);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(); }
})();
