// The graph page: draws /graph/data.json with vis-network (served by the app from pyvis).
// Every text from the graph is set with textContent: labels come from posts and are never HTML.
(function () {
  "use strict";
  var container = document.getElementById("graph");
  var status = document.getElementById("graph-status");
  var notice = document.getElementById("graph-notice");
  var describeUrl = container.getAttribute("data-describe");
  var params = new URLSearchParams(window.location.search);
  var labels = params.get("labels");
  var nodes = new vis.DataSet([]);
  var edges = new vis.DataSet([]);
  var hiddenKinds = new Set();
  var minDegree = 0;
  var network = null;

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function visible(node) {
    return !hiddenKinds.has(node.group) && (node.degree || 0) >= minDegree;
  }

  function refreshHidden() {
    var updates = [];
    nodes.forEach(function (node) {
      var hide = !visible(node);
      if (Boolean(node.hidden) !== hide) { updates.push({ id: node.id, hidden: hide }); }
    });
    if (updates.length) { nodes.update(updates); }
  }

  function add(data) {
    var fresh = data.nodes.filter(function (n) { return !nodes.get(n.id); });
    fresh.forEach(function (n) { n.hidden = !visible(n); });
    nodes.add(fresh);
    edges.update(data.edges);
    if (data.notice) { notice.textContent = data.notice; notice.hidden = false; }
  }

  function fail(message) {
    status.textContent = message;
    status.className = "error";
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (text) { throw new Error(text || response.statusText); });
      }
      return response.json();
    });
  }

  function withLabels(url) {
    return labels ? url + (url.indexOf("?") < 0 ? "?" : "&") + "labels=" + encodeURIComponent(labels) : url;
  }

  function pageOf(iri) {
    return describeUrl + "?iri=" + encodeURIComponent(iri);
  }

  function fact(list, term, values) {
    var dt = document.createElement("dt");
    dt.textContent = term;
    list.appendChild(dt);
    values.forEach(function (value) {
      var dd = document.createElement("dd");
      if (value && value.iri) {
        var a = document.createElement("a");
        a.href = pageOf(value.iri);
        a.textContent = value.label;
        dd.appendChild(a);
      } else {
        dd.textContent = String(value);
      }
      list.appendChild(dd);
    });
  }

  function showPanel(id) {
    var panel = document.getElementById("panel");
    var node = nodes.get(id);
    var list = document.getElementById("panel-facts");
    document.getElementById("panel-title").textContent = node ? node.label : id;
    document.getElementById("panel-kind").textContent = node ? node.group : "";
    document.getElementById("panel-link").href = pageOf(id);
    document.getElementById("panel-focus").href = "/graph?focus=" + encodeURIComponent(id) + "&depth=1";
    list.textContent = "";
    panel.hidden = false;
    if (node && node.facts) {  // a node of a CONSTRUCT result: its literal values
      node.facts.forEach(function (f) { fact(list, f[0], [f[1]]); });
      return;
    }
    getJSON(withLabels("/graph/node.json?iri=" + encodeURIComponent(id))).then(function (info) {
      fact(list, "articles mentioning it", [info.posts + (info.versions > info.posts ? " (" + info.versions + " language versions)" : "")]);
      fact(list, "links", [info.degree]);
      if (info.langs.length) { fact(list, "languages", [info.langs.join(", ")]); }
      if (info.years.length) { fact(list, "years", [info.years[0] === info.years[1] ? info.years[0] : info.years.join("–")]); }
      Object.keys(info.relations).forEach(function (name) { fact(list, name, info.relations[name]); });
    }).catch(function () { fact(list, "facts", ["not in the entity graph"]); });
  }

  var embedded = params.get("embed") === "1";

  function focus(id, quiet) {
    if (!nodes.get(id)) { return; }
    if (nodes.get(id).hidden) { nodes.update({ id: id, hidden: false }); }
    network.selectNodes([id]);
    if (embedded) {
      network.fit({ animation: false });  // an ego graph in an entity page: all of it, not a close-up
    } else {
      network.focus(id, { scale: 1.3, animation: { duration: 400 } });
    }
    if (!quiet) { showPanel(id); }
  }

  function expand(id) {
    getJSON(withLabels("/graph/neighbours.json?iri=" + encodeURIComponent(id))).then(function (data) {
      add(data);
      status.textContent = nodes.length + " entities drawn";
    }).catch(function (error) { fail(error.message); });
  }

  function setUpSearch() {
    var input = document.getElementById("graph-search");
    var list = document.getElementById("search-suggestions");
    function matches() {
      var wanted = fold(input.value.trim());
      if (!wanted) { return []; }
      var found = nodes.get({ filter: function (n) { return fold(n.label).indexOf(wanted) >= 0; } });
      found.sort(function (a, b) {
        var pa = fold(a.label).indexOf(wanted) === 0 ? 0 : 1, pb = fold(b.label).indexOf(wanted) === 0 ? 0 : 1;
        return pa - pb || (b.value || 0) - (a.value || 0);
      });
      return found.slice(0, 10);
    }
    input.addEventListener("input", function () {
      list.textContent = "";
      var found = matches();
      found.forEach(function (n) {
        var li = document.createElement("li");
        li.textContent = n.label + " (" + n.group + ")";
        li.addEventListener("click", function () { focus(n.id); });
        list.appendChild(li);
      });
      if (found.length) { focus(found[0].id); }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var found = matches();
        if (found.length) { focus(found[0].id); }
      }
    });
  }

  function setUpFilters() {
    document.querySelectorAll("#type-filters input[type=checkbox]").forEach(function (box) {
      if (!box.checked) { hiddenKinds.add(box.getAttribute("data-kind")); }
      box.addEventListener("change", function () {
        var kind = box.getAttribute("data-kind");
        if (box.checked) { hiddenKinds.delete(kind); } else { hiddenKinds.add(kind); }
        refreshHidden();
      });
    });
    var slider = document.getElementById("min-degree");
    var shown = document.getElementById("min-degree-value");
    slider.addEventListener("input", function () {
      minDegree = parseInt(slider.value, 10) || 0;
      shown.textContent = String(minDegree);
      refreshHidden();
    });
    document.getElementById("panel-close").addEventListener("click", function () {
      document.getElementById("panel").hidden = true;
    });
  }

  function draw(data) {
    add(data);
    var groups = {};
    (data.legend || []).forEach(function (item) {
      groups[item.kind] = { color: { background: item.color, border: item.color }, shape: item.shape };
    });
    network = new vis.Network(container, { nodes: nodes, edges: edges }, {
      groups: groups,
      nodes: { scaling: { min: 8, max: 40, label: { enabled: true, min: 11, max: 22 } }, font: { size: 12 } },
      edges: { smooth: false, font: { size: 9, align: "middle" } },
      interaction: { hover: true, tooltipDelay: 10000000, hideEdgesOnDrag: true },
      physics: { solver: "forceAtlas2Based", stabilization: { iterations: 250, updateInterval: 50 } },
      layout: { improvedLayout: data.nodes.length <= 150 }
    });
    window.postgraph = { network: network, nodes: nodes, edges: edges, stabilized: false, focus: focus };
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });  // stop moving once laid out
      window.postgraph.stabilized = true;
      container.setAttribute("data-stabilized", "true");
    });
    network.on("click", function (event) {
      if (event.nodes.length) { showPanel(event.nodes[0]); }
    });
    network.on("doubleClick", function (event) {
      if (event.nodes.length) { expand(event.nodes[0]); }
    });
    status.textContent = nodes.length + " entities drawn";
    container.setAttribute("data-drawn", String(nodes.length));
    var focusId = params.get("focus");
    if (focusId && nodes.get(focusId)) {
      // the entity the page is about is selected; its panel opens on a click, not by itself
      network.once("stabilizationIterationsDone", function () { focus(focusId, true); });
    } else if (embedded) {
      network.once("stabilizationIterationsDone", function () { network.fit({ animation: false }); });
    }
  }

  setUpFilters();
  setUpSearch();
  getJSON(container.getAttribute("data-src")).then(draw).catch(function (error) { fail(error.message); });
}());
