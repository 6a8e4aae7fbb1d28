/* Map page: draws the bundled US-state and prefecture shapes (geo/regions.json, pre-projected SVG paths) as
   plain SVG, coloured by claim count from the page's #kb-map-data. No tiles, no libraries: works offline.
   Names come from news data and the gazetteer: they are put on the page with textContent only. */
(function () {
  "use strict";
  var root = document.getElementById("kb-map");
  if (!root) { return; }
  var SVG = "http://www.w3.org/2000/svg";
  var statusLine = document.getElementById("kb-map-status");
  var tip = document.getElementById("kb-map-tip");
  var data = JSON.parse(document.getElementById("kb-map-data").textContent);
  var counts = data.regions || {};
  var maxClaims = data.max_claims || 0;
  var pinned = null;

  function setStatus(text, state) {
    statusLine.textContent = text;
    if (state) { root.setAttribute("data-state", state); }
  }

  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  // Light yellow → dark red by the square root of the share of the busiest place; grey when no claims.
  function colour(claims, mentions) {
    if (!claims) { return mentions ? "#cfe0f1" : "#f2f2f2"; }
    var t = maxClaims > 0 ? Math.sqrt(claims / maxClaims) : 1;
    var from = [255, 224, 130], to = [189, 0, 38];
    var rgb = from.map(function (f, i) { return Math.round(f + (to[i] - f) * t); });
    return "rgb(" + rgb.join(",") + ")";
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function showTip(region, info, event) {
    tip.querySelector(".kb-tip-name").textContent = region.name;
    tip.querySelector(".kb-tip-ja").textContent = region.name_ja || "";
    tip.querySelector(".kb-tip-counts").textContent = info
      ? plural(info.claims, "claim") + " · " + plural(info.mentions, "mention") + " · " + plural(info.articles, "article")
      : "not mentioned yet";
    var link = tip.querySelector(".kb-tip-link");
    if (info) { link.setAttribute("href", info.url); link.hidden = false; } else { link.hidden = true; }
    tip.hidden = false;
    tip.setAttribute("data-key", region.key);
    var box = root.getBoundingClientRect();
    var x = event.clientX - box.left + 12, y = event.clientY - box.top + 12;
    x = Math.min(x, box.width - tip.offsetWidth - 4);
    tip.style.left = Math.max(0, x) + "px";
    tip.style.top = y + "px";
  }

  function hideTip() { if (!pinned) { tip.hidden = true; } }

  function drawMap(map) {
    var panel = document.createElement("figure");
    panel.className = "kb-map-panel";
    panel.setAttribute("data-map", map.id);
    var caption = document.createElement("figcaption");
    caption.textContent = map.title + " ";
    var ja = document.createElement("span");
    ja.lang = "ja";
    ja.textContent = map.title_ja || "";
    caption.appendChild(ja);
    var svg = svgEl("svg", {viewBox: map.viewBox, role: "img", "aria-label": map.title,
                            preserveAspectRatio: "xMidYMid meet"});
    var shapes = svgEl("g", {"class": "kb-shapes"});
    var labels = svgEl("g", {"class": "kb-labels"});
    var width = parseFloat(map.viewBox.split(" ")[2]) || 1000;
    map.regions.forEach(function (region) {
      var info = counts[region.key] || null;
      var path = svgEl("path", {d: region.d, "class": "kb-region", "data-key": region.key,
                                fill: colour(info && info.claims, info && info.mentions)});
      path.setAttribute("data-claims", String(info ? info.claims : 0));
      var title = svgEl("title");
      title.textContent = region.name + (region.name_ja ? " " + region.name_ja : "") +
        ": " + plural(info ? info.claims : 0, "claim");
      path.appendChild(title);
      path.addEventListener("mouseenter", function (e) { if (!pinned) { showTip(region, info, e); } });
      path.addEventListener("mousemove", function (e) { if (!pinned) { showTip(region, info, e); } });
      path.addEventListener("mouseleave", hideTip);
      path.addEventListener("click", function (e) {
        e.stopPropagation();
        pinned = region.key;
        showTip(region, info, e);
      });
      // Keyboard: Tab moves from shape to shape and shows its popup; Enter opens its profile.
      path.setAttribute("tabindex", "0");
      path.setAttribute("aria-label", title.textContent);
      path.addEventListener("focus", function () {
        var r = path.getBoundingClientRect();
        pinned = region.key;
        showTip(region, info, {clientX: r.left + r.width / 2, clientY: r.top + r.height / 2});
      });
      path.addEventListener("blur", function (e) {
        if (pinned === region.key && !(e.relatedTarget && tip.contains(e.relatedTarget))) {
          pinned = null;
          tip.hidden = true;
        }
      });
      path.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && info) { window.location.href = info.url; }
      });
      shapes.appendChild(path);
      if (info && (info.claims || info.mentions)) {
        var text = svgEl("text", {x: region.label[0], y: region.label[1], "class": "kb-region-label",
                                  "text-anchor": "middle", "font-size": String(Math.round(width / (map.id === "jp" ? 34 : 55)))});
        text.textContent = map.id === "jp" ? (region.name_ja || region.name) : region.name;
        if (map.id === "jp") { text.setAttribute("lang", "ja"); }
        labels.appendChild(text);
      }
    });
    svg.appendChild(shapes);
    svg.appendChild(labels);
    panel.appendChild(caption);
    panel.appendChild(svg);
    root.querySelector(".kb-map-panels").appendChild(panel);
    return map.regions.length;
  }

  function drawLegend() {
    var legend = document.getElementById("kb-map-legend");
    var steps = maxClaims > 0 ? [1, Math.ceil(maxClaims / 4), Math.ceil(maxClaims / 2), maxClaims] : [];
    steps = steps.filter(function (v, i) { return steps.indexOf(v) === i; });
    [["no mentions", colour(0, 0)], ["mentioned, no claims", colour(0, 1)]].concat(
      steps.map(function (n) { return [plural(n, "claim"), colour(n, 0)]; })
    ).forEach(function (item) {
      var span = document.createElement("span");
      var swatch = document.createElement("i");
      swatch.style.background = item[1];
      span.appendChild(swatch);
      span.appendChild(document.createTextNode(item[0]));
      legend.appendChild(span);
    });
  }

  document.addEventListener("click", function (e) {
    if (pinned && !tip.contains(e.target)) { pinned = null; tip.hidden = true; }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { pinned = null; tip.hidden = true; }
  });

  fetch(root.getAttribute("data-geo-url"))
    .then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status + " for the boundary file"); }
      return r.json();
    })
    .then(function (geo) {
      var total = 0;
      geo.maps.forEach(function (map) { total += drawMap(map); });
      drawLegend();
      root.setAttribute("data-shapes", String(total));
      var places = Object.keys(counts).length;
      setStatus(total + " shapes; " + places + " of them known to this knowledge base.", "ready");
    })
    .catch(function (err) { setStatus("Could not draw the map: " + err, "error"); });
})();
