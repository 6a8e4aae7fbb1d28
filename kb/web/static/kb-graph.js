/* Entity graph page: fetches /-/kb/graph.json and draws it with the locally served vis-network.
   Every name is put on the page with textContent (never innerHTML): names come from news text. */
(function () {
  "use strict";
  var container = document.getElementById("kb-graph");
  if (!container) { return; }
  var statusLine = document.getElementById("kb-graph-status");
  var panel = document.getElementById("kb-panel");

  function setStatus(text, state) {
    statusLine.textContent = text;
    if (state) { container.setAttribute("data-state", state); }
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function showPanel(title, subtitle, links) {
    document.getElementById("kb-panel-title").textContent = title;
    document.getElementById("kb-panel-type").textContent = subtitle;
    var box = document.getElementById("kb-panel-links");
    box.textContent = "";
    links.forEach(function (link, i) {
      if (i) { box.appendChild(document.createTextNode(" · ")); }
      box.appendChild(el("a", link[0], {href: link[1], "class": link[2] || ""}));
    });
    panel.setAttribute("data-selected", title);
  }

  function count(n, word, plural) { return (n || 0) + " " + (n === 1 ? word : (plural || word + "s")); }

  function draw(data) {
    if (!data.ok) { setStatus(data.error || "No such entity", "error"); return; }
    var nodes = new vis.DataSet(data.nodes.map(function (n) {
      var centre = n.id === data.center;
      return {
        id: n.id, label: n.name, shape: "dot", kb: n,
        size: centre ? 26 : 10 + Math.min(16, Math.sqrt(n.mentions || 0) * 2),
        color: {background: n.color, border: centre ? "#222" : n.color,
                highlight: {background: n.color, border: "#000"}},
        borderWidth: centre ? 3 : 1,
        font: {size: centre ? 18 : 14, strokeWidth: 3, strokeColor: "#fff"},
        title: el("div", n.name + " (" + n.type + ", " + (n.mentions || 0) + " mentions)")
      };
    }));
    var edges = new vis.DataSet(data.edges.map(function (e) {
      if (e.kind === "claim") {
        return {id: e.id, from: e.from, to: e.to, label: e.label, arrows: "to", kb: e,
                width: 1 + Math.min(4, e.sources || 0), color: {color: "#666", highlight: "#000"},
                dashes: e.polarity === "negated", font: {size: 11, align: "middle"},
                title: el("div", e.summary || e.label)};
      }
      return {id: e.id, from: e.from, to: e.to, kb: e, dashes: [2, 4], width: 1,
              color: {color: "#bbb", highlight: "#888"},
              title: el("div", "co-mentioned in " + e.weight + " passage(s)")};
    }));
    // Stabilize explicitly once the handler is on: a small graph could otherwise finish
    // stabilizing inside the constructor, before anyone listens.
    var network = new vis.Network(container, {nodes: nodes, edges: edges}, {
      physics: {solver: "forceAtlas2Based", stabilization: {enabled: false},
                forceAtlas2Based: {springLength: 160, gravitationalConstant: -80}},
      interaction: {hover: true, tooltipDelay: 150},
      edges: {smooth: {type: "dynamic"}}
    });
    window.kbGraph = {network: network, nodes: nodes, edges: edges, data: data, ready: false};
    var finished = false;

    function finish() {
      if (finished) { return; }
      finished = true;
      // Freeze the layout so nodes stay where the reader (or a test) clicks.
      network.setOptions({physics: false});
      network.fit({maxZoomLevel: 1.4, animation: false});
      network.once("afterDrawing", function () {
        container.setAttribute("data-nodes", String(nodes.length));
        container.setAttribute("data-edges", String(edges.length));
        window.kbGraph.ready = true;
        setStatus(count(nodes.length, "entity", "entities") + ", " + count(edges.length, "edge") +
                  (data.truncated ? " (truncated: too many neighbours)" : ""), "ready");
      });
      network.redraw();
    }

    network.once("stabilizationIterationsDone", finish);
    network.stabilize(300);
    window.setTimeout(finish, 8000);  // never leave the page waiting on physics

    network.on("click", function (params) {
      if (params.nodes.length) {
        var n = nodes.get(params.nodes[0]).kb;
        var facts = n.type + " · " + count(n.mentions, "mention") + " · " + count(n.claims, "claim");
        if (typeof n.pagerank === "number") { facts += " · PageRank " + n.pagerank.toFixed(4); }
        if (n.community !== undefined && n.community !== null) { facts += " · community " + n.community; }
        showPanel(n.name, facts,
                  [["Open profile", n.url, "kb-profile-link"], ["Entity row", n.row_url, "kb-row-link"],
                   ["Centre the graph here", n.graph_url]]);
      } else if (params.edges.length) {
        var e = edges.get(params.edges[0]).kb;
        if (e.kind === "claim") {
          showPanel(e.summary || e.label, e.label + " · " + (e.modality || "") + " · " + count(e.sources, "source"),
                    [["Open claim and evidence", e.url, "kb-claim-link"]]);
        } else {
          showPanel("Co-mentioned", "in " + e.weight + " passage(s)", []);
        }
      }
    });
    network.on("doubleClick", function (params) {
      if (params.nodes.length) { window.location.href = nodes.get(params.nodes[0]).kb.url; }
    });
  }

  if (typeof vis === "undefined") { setStatus("vis-network did not load.", "error"); return; }
  fetch(container.getAttribute("data-json-url"), {headers: {"Accept": "application/json"}})
    .then(function (r) { return r.json(); })
    .then(draw)
    .catch(function (err) { setStatus("Could not load the graph: " + err, "error"); });
})();
