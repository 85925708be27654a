// The review queue, keyboard first: a accept, x reject, e edit (Enter saves, Esc leaves),
// j/→ next, k/← previous, u undo your last save, q add the selected words as a missed quote,
// n the same for a missed record of the queue's kind, m merge (the same_as field), h history. Every write is a fetch POST with the session's CSRF token in X-CSRF-Token.
(function () {
  "use strict";
  var root = document.getElementById("review");
  if (!root) { return; }
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.content : "";
  var kind = root.dataset.kind;
  var id = root.dataset.id;
  var statusLine = document.getElementById("review-status");
  var form = document.getElementById("edit");
  var addForm = document.getElementById("add-record");
  var LAST = "newsledger-review-last";
  var FLASH = "newsledger-review-flash";

  function say(text, bad) {
    if (!statusLine) { return; }
    statusLine.textContent = text;
    statusLine.className = "review-status" + (bad ? " error" : "");
  }
  var flash = sessionStorage.getItem(FLASH);
  if (flash) { say(flash); sessionStorage.removeItem(FLASH); }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
      credentials: "same-origin"
    }).then(function (r) {
      return r.json().then(function (data) { return { status: r.status, data: data }; });
    });
  }
  function recordUrl(k, ref) { return "/api/review/" + k + "/" + encodeURIComponent(ref); }
  function reload(message) {
    if (message) { sessionStorage.setItem(FLASH, message); }
    window.location.reload();
  }
  function go(step) {
    var params = new URLSearchParams(window.location.search);
    var i = Math.max(0, parseInt(root.dataset.i || "0", 10) + step);
    params.set("i", String(i));
    window.location.search = params.toString();
  }
  function explain(res) {
    var d = res.data || {};
    if (res.status === 409) {
      var theirs = d.theirs || {};
      return "Conflict: " + d.detail + " Theirs: " + (theirs.review_status || "?") + " by " +
        (theirs.reviewed_by || "?") + " (v" + (theirs.review_version || 0) + "). Yours was not saved.";
    }
    if (res.status === 401) { return "Log in to review: " + (d.detail || ""); }
    return (d.detail && typeof d.detail === "string") ? d.detail : JSON.stringify(d.detail || d);
  }
  function saved(res, what) {
    if (res.status >= 200 && res.status < 300) {
      sessionStorage.setItem(LAST, JSON.stringify({ kind: kind, id: id, version: res.data.version }));
      reload(what + " " + id + " (v" + res.data.version + "); u undoes it");
    } else {
      say(explain(res), true);
    }
  }
  function act(action) {
    if (!id) { return; }
    post(recordUrl(kind, id), { action: action, version: parseInt(root.dataset.version, 10) })
      .then(function (res) { saved(res, action === "accept" ? "Accepted" : "Rejected"); });
  }
  function undo() {
    var last = JSON.parse(sessionStorage.getItem(LAST) || "null");
    if (!last) { say("Nothing of yours to undo in this tab.", true); return; }
    post(recordUrl(last.kind, last.id) + "/undo", { version: last.version }).then(function (res) {
      if (res.status === 200) {
        sessionStorage.removeItem(LAST);
        reload("Undid v" + last.version + " of " + last.id + " (now v" + res.data.version + ")");
      } else { say(explain(res), true); }
    });
  }

  // --- editing ------------------------------------------------------------------------------
  var inputs = form ? Array.prototype.slice.call(form.querySelectorAll("input, select")) : [];
  inputs.forEach(function (el) { el.dataset.initial = el.value; });
  function field(name) { return form ? form.querySelector('[name="' + name + '"]') : null; }
  function setField(name, value) {
    var el = field(name);
    if (el) { el.value = value == null ? "" : String(value); }
  }
  if (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var changes = {};
      inputs.forEach(function (el) {
        if (el.name && el.name !== "__note" && el.value !== el.dataset.initial) { changes[el.name] = el.value; }
      });
      var note = field("__note") ? field("__note").value : "";
      post(recordUrl(kind, id), {
        action: "correct", version: parseInt(root.dataset.version, 10), changes: changes, note: note || null
      }).then(function (res) { saved(res, "Corrected"); });
    });
    form.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { document.activeElement.blur(); e.preventDefault(); }
    });
    var typeSel = field("event_type"), subSel = field("sub_event_type");
    function narrow() {
      if (!typeSel || !subSel) { return; }
      var first = null;
      Array.prototype.forEach.call(subSel.options, function (o) {
        var fits = o.dataset.type === typeSel.value;
        o.hidden = !fits;
        if (fits && !first) { first = o; }
      });
      if (subSel.selectedOptions[0] && subSel.selectedOptions[0].hidden && first) { subSel.value = first.value; }
    }
    if (typeSel) { typeSel.addEventListener("change", narrow); narrow(); }
    suggest(".actor-input", "actors", "/api/review/suggest/actors?q=", function (v) { return v; });
    var places = {};
    suggest(".place-input", "places", "/api/review/suggest/places?q=", function (p) {
      var label = p.name + (p.admin1 ? ", " + p.admin1 : "") + (p.country ? ", " + p.country : "");
      places[label] = p;
      return label;
    });
    var place = form.querySelector(".place-input");
    if (place) {
      place.addEventListener("change", function () {
        var p = places[place.value];
        if (!p) { return; }
        setField("location", p.name); setField("admin1", p.admin1); setField("admin2", p.admin2);
        setField("country", p.country); setField("latitude", p.latitude); setField("longitude", p.longitude);
        setField("geo_precision", p.geo_precision);
        if (window.newsledgerReviewMap) { window.newsledgerReviewMap.put(p.latitude, p.longitude); }
      });
    }
  }
  function suggest(selector, listId, url, label) {
    var list = document.getElementById(listId);
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (el) {
      var timer = null;
      el.addEventListener("input", function () {
        clearTimeout(timer);
        var value = el.value.trim();
        if (value.length < 2) { return; }
        timer = setTimeout(function () {
          fetch(url + encodeURIComponent(value)).then(function (r) { return r.ok ? r.json() : []; })
            .then(function (found) {
              list.textContent = "";
              found.forEach(function (item) {
                var o = document.createElement("option");
                o.value = label(item);
                list.appendChild(o);
              });
            });
        }, 200);
      });
    });
  }

  // --- the map: a click sets the coordinates and geo_precision 1 -----------------------------
  var mapEl = document.getElementById("review-map");
  if (mapEl && window.L) {
    var lat = parseFloat(mapEl.dataset.lat), lon = parseFloat(mapEl.dataset.lon);
    var has = !isNaN(lat) && !isNaN(lon);
    var map = L.map(mapEl, { minZoom: 2, maxZoom: 14 }).setView(has ? [lat, lon] : [34.5, 42.0], has ? 7 : 5);
    var marker = has ? L.circleMarker([lat, lon], { radius: 7 }).addTo(map) : null;
    fetch(mapEl.dataset.world).then(function (r) { return r.json(); }).then(function (topo) {
      L.geoJSON(topojson.feature(topo, topo.objects.countries), {
        style: { color: "#8a9bab", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 }, interactive: false
      }).addTo(map).bringToBack();
    });
    var put = function (la, lo) {
      if (marker) { marker.setLatLng([la, lo]); } else { marker = L.circleMarker([la, lo], { radius: 7 }).addTo(map); }
    };
    map.on("click", function (e) {
      var la = Math.round(e.latlng.lat * 1e5) / 1e5, lo = Math.round(e.latlng.lng * 1e5) / 1e5;
      setField("latitude", la); setField("longitude", lo); setField("geo_precision", 1);
      put(la, lo);
      say("Coordinates set to " + la + ", " + lo + " (geo_precision 1): Enter saves");
    });
    window.newsledgerReviewMap = { map: map, put: put };
  }

  // --- adding a missed quote from selected words ---------------------------------------------
  function selection() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) { return null; }
    var range = sel.getRangeAt(0);
    function offset(node, at) {
      var el = node.nodeType === 3 ? node.parentElement : node;
      while (el && !el.dataset.start) { el = el.parentElement; }
      if (!el) { return null; }
      var before = 0;
      if (node.nodeType === 3) {
        var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        while (walker.nextNode() && walker.currentNode !== node) { before += walker.currentNode.length; }
      }
      return parseInt(el.dataset.start, 10) + before + at;
    }
    var start = offset(range.startContainer, range.startOffset);
    var end = offset(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) { return null; }
    return { start: start, end: end, text: sel.toString() };
  }
  var ADD_FIELDS = {
    quotes: ["speaker", "kind"],
    events: ["event_type", "sub_event_type", "event_date"],
    claims: ["value", "unit", "claimed_by"],
    deadlines: ["subject", "deadline", "relation", "stated_by"]
  };
  function addField(name) { return addForm.querySelector('[name="' + name + '"]'); }
  function showKind() {
    var chosen = addField("record").value;
    Array.prototype.forEach.call(addForm.querySelectorAll("fieldset"), function (set) {
      set.hidden = set.dataset.for !== chosen;
    });
    return chosen;
  }
  function openAdd(recordKind) {
    var found = selection();
    if (!addForm || !found) {
      say("Select the words in the paragraph first, then press q (a quote) or n (a record of this kind).", true);
      return;
    }
    addForm.hidden = false;
    addField("record").value = recordKind;
    var chosen = showKind();
    addField("start").value = found.start;
    addField("end").value = found.end;
    document.getElementById("add-words").textContent = found.text;
    addField(ADD_FIELDS[chosen][0]).focus();
  }
  if (addForm) {
    addField("record").addEventListener("change", showKind);
    var addType = addField("event_type"), addSub = addField("sub_event_type");
    var narrowAdd = function () {
      var first = null;
      Array.prototype.forEach.call(addSub.options, function (o) {
        o.hidden = o.dataset.type !== addType.value;
        if (!o.hidden && !first) { first = o; }
      });
      if (addSub.selectedOptions[0] && addSub.selectedOptions[0].hidden && first) { addSub.value = first.value; }
    };
    addType.addEventListener("change", narrowAdd);
    narrowAdd();
    addForm.addEventListener("submit", function (e) {
      e.preventDefault();
      var chosen = addField("record").value;
      var fields = {};
      ADD_FIELDS[chosen].forEach(function (n) { fields[n] = addField(n).value; });
      post("/api/review/" + chosen, {
        article: root.dataset.article, start: parseInt(addField("start").value, 10),
        end: parseInt(addField("end").value, 10), fields: fields
      }).then(function (res) {
        if (res.status === 201) {
          sessionStorage.setItem(LAST, JSON.stringify({ kind: chosen, id: res.data.id, version: res.data.item.review_version }));
          reload("Added " + chosen.slice(0, -1) + " " + res.data.id);
        } else { say(explain(res), true); }
      });
    });
    addForm.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { addForm.hidden = true; e.preventDefault(); }
    });
  }

  // --- the record page: undo any save of its history -----------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll(".undo-version"), function (button) {
    button.addEventListener("click", function () {
      var version = parseInt(button.dataset.version, 10);
      post(recordUrl(kind, id) + "/undo", { version: version }).then(function (res) {
        if (res.status === 200) { reload("Undid v" + version + " (now v" + res.data.version + ")"); }
        else { say(explain(res), true); }
      });
    });
  });

  var dismissButton = document.getElementById("dismiss");
  if (dismissButton) {
    dismissButton.addEventListener("click", function () {
      post(recordUrl(kind, id) + "/dismiss", {}).then(function (res) {
        if (res.status === 200) { reload("Taken off the re-review list (v" + res.data.version + ")"); }
        else { say(explain(res), true); }
      });
    });
  }

  // --- keys ----------------------------------------------------------------------------------
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) { return; }
    var page = root.dataset.page;
    var keys = {
      a: function () { act("accept"); },
      x: function () { act("reject"); },
      e: function () { var first = inputs[0]; if (first) { first.focus(); } },
      j: function () { if (!page) { go(1); } },
      ArrowRight: function () { if (!page) { go(1); } },
      k: function () { if (!page) { go(-1); } },
      ArrowLeft: function () { if (!page) { go(-1); } },
      u: undo,
      m: function () { var f = field("same_as"); if (f) { f.focus(); } },
      q: function () { openAdd("quotes"); },
      n: function () { openAdd(kind); },
      h: function () { if (id) { window.location.href = "/review/" + kind + "/" + encodeURIComponent(id); } }
    };
    var run = keys[e.key];
    if (run) { e.preventDefault(); run(); }
  });
}());
