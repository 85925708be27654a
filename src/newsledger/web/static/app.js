// newsledger pages: a loading bar for navigation, and the article view's highlights.
(function () {
  "use strict";
  var bar = document.getElementById("loading-bar");
  function loading() { if (bar) { bar.hidden = false; } document.body.setAttribute("aria-busy", "true"); }
  document.querySelectorAll("form[data-loading]").forEach(function (form) {
    form.addEventListener("submit", loading);
  });
  document.querySelectorAll("header.top a, a.more").forEach(function (a) {
    a.addEventListener("click", function (ev) { if (!ev.ctrlKey && !ev.metaKey) { loading(); } });
  });
  window.addEventListener("pageshow", function () {
    if (bar) { bar.hidden = true; } document.body.removeAttribute("aria-busy");
  });

  // Article view: clicking a highlight selects the records it belongs to in the side panel.
  var text = document.getElementById("article-text");
  if (!text) { return; }
  function select(ids, scroll) {
    document.querySelectorAll(".record-card.selected, mark.hl.active").forEach(function (el) {
      el.classList.remove("selected"); el.classList.remove("active");
    });
    var first = null;
    ids.forEach(function (id) {
      var card = document.getElementById("card-" + id);
      if (card) { card.classList.add("selected"); first = first || card; }
      text.querySelectorAll("mark.hl").forEach(function (m) {
        if ((m.dataset.records || "").split(" ").indexOf(id) >= 0) { m.classList.add("active"); }
      });
    });
    var note = document.getElementById("selection-note");
    if (note) { note.textContent = ids.length ? "(" + ids.length + " selected)" : "(click a highlight)"; }
    if (first && scroll) { first.scrollIntoView({ block: "nearest" }); }
  }
  text.addEventListener("click", function (ev) {
    var mark = ev.target.closest("mark.hl");
    if (mark) { select((mark.dataset.records || "").split(" ").filter(Boolean), true); }
  });
  text.addEventListener("keydown", function (ev) {
    var mark = ev.target.closest("mark.hl");
    if (mark && (ev.key === "Enter" || ev.key === " ")) {
      ev.preventDefault(); select((mark.dataset.records || "").split(" ").filter(Boolean), true);
    }
  });
  if (location.hash.indexOf("#rec-") === 0) {
    var id = decodeURIComponent(location.hash.slice(5));
    select([id], true);
    var anchor = document.getElementById("rec-" + id);
    if (anchor) { anchor.scrollIntoView({ block: "center" }); }
  }
})();
