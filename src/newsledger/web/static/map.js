// The map page: Natural Earth countries (offline, no tiles), events as markers coloured by type,
// sized by fatalities, clustered when dense; a click opens the event with its evidence.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var status = document.getElementById("map-status");
  var TYPES = {
    "Battles": "m-battles", "Explosions/Remote violence": "m-explosions",
    "Violence against civilians": "m-civilians", "Protests": "m-protests",
    "Riots": "m-riots", "Strategic developments": "m-strategic"
  };
  var map = L.map(el, { preferCanvas: true, worldCopyJump: true, minZoom: 2, maxZoom: 14 })
    .setView([34.5, 42.0], 5);
  map.attributionControl.addAttribution("Natural Earth");
  var state = { map: map, markers: {}, loaded: false, count: 0 };
  window.newsledgerMap = state;  // for tests and the console: the map and its markers by id

  fetch(el.dataset.world).then(function (r) { return r.json(); }).then(function (topo) {
    var countries = topojson.feature(topo, topo.objects.countries);
    L.geoJSON(countries, {
      style: { color: "#8a9bab", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 },
      interactive: false
    }).addTo(map).bringToBack();
  }).catch(function (err) { console.error("world map:", err); });

  function text(tag, value, cls) {
    var node = document.createElement(tag);
    node.textContent = value == null ? "" : String(value);
    if (cls) { node.className = cls; }
    return node;
  }
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  function published(a) {  // the article's date as precise as it is known (web/dates.py)
    var day = (a.published || "").slice(0, 10);
    var month = MONTHS[Number(day.slice(5, 7)) - 1];
    if (!day) { return ""; }
    if (a.published_precision === "week") { return "week of " + day; }
    if (a.published_precision === "month" && month) { return month + " " + day.slice(0, 4); }
    if (a.published_precision === "year") { return day.slice(0, 4); }
    return day;
  }
  function popup(p) {
    var box = document.createElement("div");
    box.className = "popup";
    box.appendChild(text("strong", p.event_type + (p.sub_event_type ? " · " + p.sub_event_type : "")));
    box.appendChild(text("div", (p.event_date || "undated") + (p.location ? " · " + p.location : "") +
      (p.fatalities ? " · " + p.fatalities + " killed" : "")));
    if (p.actor1) { box.appendChild(text("div", p.actor1 + (p.actor2 ? " vs " + p.actor2 : ""))); }
    box.appendChild(text("div", "“" + p.evidence.text + "”", "evidence-text"));
    var links = document.createElement("div");
    var ev = text("a", "Open event"); ev.href = "/events/" + encodeURIComponent(p.id); ev.className = "open-event";
    var art = text("a", "Read in article");
    art.href = "/articles/" + encodeURIComponent(p.article.id) + "#rec-" + p.id; art.className = "open-article";
    links.appendChild(ev); links.appendChild(document.createTextNode(" · ")); links.appendChild(art);
    box.appendChild(links);
    box.appendChild(text("div", (p.article.source || "") + (p.article.published ? ", " + published(p.article) : ""), "meta"));
    return box;
  }
  function icon(p) {
    var size = Math.round(Math.min(40, 12 + 4 * Math.sqrt(p.fatalities || 0)));
    var html = document.createElement("span");
    html.className = "ev-marker " + (TYPES[p.event_type] || "");
    html.style.width = html.style.height = size + "px";
    html.dataset.id = p.id;
    html.title = p.event_type + (p.location ? " in " + p.location : "");
    return L.divIcon({ html: html, className: "ev-icon", iconSize: [size, size] });
  }

  var cluster = L.markerClusterGroup({ maxClusterRadius: 40, chunkedLoading: true });
  map.addLayer(cluster);
  fetch(el.dataset.geojson).then(function (r) {
    if (!r.ok) { throw new Error("the server answered " + r.status); }
    return r.json();
  }).then(function (data) {
    var markers = [];
    data.features.forEach(function (f) {
      var c = f.geometry.coordinates;
      var m = L.marker([c[1], c[0]], { icon: icon(f.properties), title: f.properties.event_type });
      m.bindPopup(popup(f.properties), { maxWidth: 320 });
      state.markers[f.id] = m;
      markers.push(m);
    });
    cluster.addLayers(markers);
    state.count = markers.length;
    var info = data.newsledger || {};
    var msg = markers.length + " event" + (markers.length === 1 ? "" : "s") + " on the map";
    if (info.matching && info.matching > markers.length) {
      msg += " (the newest " + markers.length + " of " + info.matching + "; filter or zoom to an area)";
    }
    if (info.without_coordinates) { msg += "; " + info.without_coordinates + " without a place"; }
    status.textContent = msg;
    status.classList.add("done");
    if (markers.length) { map.fitBounds(cluster.getBounds(), { padding: [30, 30], maxZoom: 8 }); }
    state.loaded = true;
    el.dataset.loaded = "true";
  }).catch(function (err) {
    status.textContent = "Could not load the events: " + err.message;
    el.dataset.loaded = "error";
  });

  // The list beside the map: clicking an item shows its marker.
  document.querySelectorAll(".event-item[data-lat]").forEach(function (li) {
    li.addEventListener("click", function (ev) {
      if (ev.target.closest("a")) { return; }
      var m = state.markers[li.dataset.id];
      if (m) { cluster.zoomToShowLayer(m, function () { m.openPopup(); }); }
    });
  });

  var button = document.getElementById("bbox-button");
  if (button) {
    button.addEventListener("click", function () {
      var b = map.getBounds();
      var clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)).toFixed(3); };
      var form = document.querySelector("form.filters");
      form.querySelector("input[name=bbox]").value = [clamp(b.getWest(), -180, 180),
        clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].join(",");
      form.requestSubmit();
    });
  }
})();
