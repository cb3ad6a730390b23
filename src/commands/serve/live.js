// explainer serve: live reload and the error overlay.
(function () {
  "use strict";
  var overlay = null;
  // The overlay's own colours, light and dark, beating whatever the page's stylesheet says.
  var CSS =
    "#explainer-error{all:initial;display:block;position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
    "box-sizing:border-box;padding:2rem;background:#ffffff;color:#1c1f23;" +
    "font:15px/1.5 system-ui,sans-serif;color-scheme:light}" +
    "#explainer-error *{all:revert;color:inherit;background:transparent;font-family:inherit;" +
    "max-width:none}" +
    "#explainer-error h2{font-size:20px;font-weight:700;margin:0 0 .75rem;color:#8f1d1d}" +
    "#explainer-error p{margin:0 0 .75rem}" +
    "#explainer-error .where{font-family:ui-monospace,monospace;font-weight:700}" +
    "#explainer-error pre{font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;" +
    "margin:1rem 0 0;padding:1rem;border:1px solid #8a939e;border-radius:6px;overflow:auto}" +
    "#explainer-error button{font:inherit;padding:.35rem .8rem;border:1px solid #1c1f23;" +
    "border-radius:6px;background:#f3f5f7;color:#1c1f23;cursor:pointer}" +
    "@media (prefers-color-scheme: dark){#explainer-error{background:#14171b;color:#eef0f2;" +
    "color-scheme:dark}#explainer-error h2{color:#ffb4b4}" +
    "#explainer-error button{background:#262c34;color:#eef0f2;border-color:#eef0f2}}";
  // What failed and where, from the first diagnostic of the report.
  function summary(text) {
    var what = text.match(/^(?:error|warning)(?:\[[^\]]*\])?: (.*)$/m);
    var at = text.match(/-->\s*(\S+?):(\d+)(?::\d+)?\s*$/m);
    return {
      what: what ? what[1] : "the build reported an error",
      where: at ? at[1] + ":" + at[2] : null
    };
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(text) {
    hide();
    var s = summary(text);
    var noSite = document.body.hasAttribute("data-explainer-no-site");
    overlay = el("div");
    overlay.id = "explainer-error";
    overlay.setAttribute("role", "alert");
    overlay.appendChild(el("style", CSS));
    overlay.appendChild(el("h2", "The build failed: " + s.what));
    if (s.where) {
      var where = el("p", "Where: ");
      where.appendChild(el("span", s.where, "where"));
      overlay.appendChild(where);
    }
    overlay.appendChild(el("p", noSite
      ? "Fix it and save: the site has not built yet, and this page loads it as soon as it does."
      : "Fix it and save: this page updates by itself. Until then the last good version of " +
        "this page is still shown, behind this message."));
    if (!noSite) {
      var close = el("button", "Show the last good page");
      close.type = "button";
      close.addEventListener("click", hide);
      overlay.appendChild(close);
    }
    overlay.appendChild(el("pre", text));
    document.body.appendChild(overlay);
  }
  function swapStyles() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("v", Date.now());
      link.href = url.toString();
    });
  }
  var events = new EventSource("/__explainer/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("css", function () { hide(); swapStyles(); });
  events.addEventListener("build-error", function (e) { show(e.data); });
  events.addEventListener("build-ok", hide);
})();
