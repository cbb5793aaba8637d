// The query page's editor: SPARQL highlighting under the textarea, and completion of prefixes and
// of the terms the graph itself uses (classes and properties, from /query/terms.json). Our own
// code, no library; every text is set with textContent, never as HTML.
(function () {
  "use strict";
  var area = document.getElementById("query-text");
  var shade = document.getElementById("query-highlight");
  var list = document.getElementById("query-suggestions");
  if (!area || !shade || !list) { return; }

  var KEYWORDS = /^(SELECT|ASK|CONSTRUCT|DESCRIBE|WHERE|PREFIX|BASE|DISTINCT|REDUCED|FROM|NAMED|GRAPH|OPTIONAL|UNION|MINUS|FILTER|BIND|VALUES|AS|ORDER|BY|ASC|DESC|GROUP|HAVING|LIMIT|OFFSET|SERVICE|NOT|EXISTS|IN|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT|SEPARATOR|STR|LANG|LANGMATCHES|DATATYPE|BOUND|IRI|URI|YEAR|MONTH|DAY|CONTAINS|STRSTARTS|REGEX|LCASE|UCASE|COALESCE|IF|a)$/i;
  // one pass over the text: comments, strings, IRIs, variables, prefixed names, words
  var TOKENS = /(#[^\n]*)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$][A-Za-z_][\w]*)|([A-Za-z][\w.-]*)?(:[\w.%-]*)|([A-Za-z_]\w*)/g;

  function highlight() {
    var text = area.value;
    shade.textContent = "";
    var last = 0;
    var match;
    TOKENS.lastIndex = 0;
    function plain(to) {
      if (to > last) { shade.appendChild(document.createTextNode(text.slice(last, to))); }
    }
    function span(cls, value) {
      var s = document.createElement("span");
      s.className = cls;
      s.textContent = value;
      shade.appendChild(s);
    }
    while ((match = TOKENS.exec(text)) !== null) {
      plain(match.index);
      var cls = match[1] ? "tok-comment" : match[2] ? "tok-string" : match[3] ? "tok-iri" : match[4] ? "tok-var" :
        match[6] !== undefined ? "tok-pname" : KEYWORDS.test(match[7] || "") ? "tok-keyword" : "";
      if (cls) { span(cls, match[0]); } else { shade.appendChild(document.createTextNode(match[0])); }
      last = match.index + match[0].length;
    }
    plain(text.length);
    shade.appendChild(document.createTextNode("\n"));  // keep the last line's height
    shade.scrollTop = area.scrollTop;
    shade.scrollLeft = area.scrollLeft;
  }

  var terms = null;  // [{name: "schema:location", count: 12}, …] and the prefixes
  var prefixes = JSON.parse(area.getAttribute("data-prefixes") || "[]");
  function loadTerms() {
    if (terms !== null) { return Promise.resolve(terms); }
    return fetch(area.getAttribute("data-terms"), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { terms: [] }; })
      .then(function (data) { terms = data.terms || []; return terms; })
      .catch(function () { terms = []; return terms; });
  }

  var current = null;  // the word being completed: {start, end}
  function wordAtCursor() {
    var at = area.selectionStart;
    var before = area.value.slice(0, at);
    var m = /([A-Za-z][\w.-]*)?:[\w.%-]*$|[A-Za-z][\w-]*$/.exec(before);
    if (!m || !m[0]) { return null; }
    return { start: at - m[0].length, end: at, text: m[0] };
  }

  function choose(value) {
    if (!current) { return; }
    var text = area.value;
    area.value = text.slice(0, current.start) + value + text.slice(current.end);
    var at = current.start + value.length;
    area.setSelectionRange(at, at);
    list.hidden = true;
    current = null;
    highlight();
    area.focus();
  }

  var asked = 0;  // the latest suggest() call: an earlier one's answer must not overwrite it
  function suggest() {
    var word = wordAtCursor();
    var mine = ++asked;
    if (!word) { list.hidden = true; current = null; return; }
    loadTerms().then(function (known) {
      if (mine !== asked) { return; }
      var wanted = word.text.toLowerCase();
      var options = [];
      if (word.text.indexOf(":") < 0) {
        prefixes.forEach(function (p) { if (p.indexOf(wanted) === 0) { options.push({ name: p + ":", note: "prefix" }); } });
      } else {
        known.forEach(function (t) {
          if (t.name.toLowerCase().indexOf(wanted) === 0) { options.push({ name: t.name, note: t.count + "×" }); }
        });
      }
      list.textContent = "";
      options.slice(0, 12).forEach(function (o, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.dataset.value = o.name;
        if (i === 0) { li.className = "active"; }
        var name = document.createElement("span");
        name.textContent = o.name;
        var note = document.createElement("small");
        note.textContent = " " + o.note;
        li.appendChild(name);
        li.appendChild(note);
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(o.name); });
        list.appendChild(li);
      });
      current = options.length ? word : null;
      list.hidden = !options.length;
    });
  }

  area.addEventListener("input", function () { highlight(); suggest(); });
  area.addEventListener("scroll", function () { shade.scrollTop = area.scrollTop; shade.scrollLeft = area.scrollLeft; });
  area.addEventListener("keydown", function (event) {
    if (list.hidden) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { area.form.submit(); }
      return;
    }
    var items = Array.prototype.slice.call(list.children);
    var active = items.findIndex(function (li) { return li.className === "active"; });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (active >= 0) { items[active].className = ""; }
      active = (active + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items[active].className = "active";
    } else if (event.key === "Tab" || event.key === "Enter") {
      event.preventDefault();
      choose(items[Math.max(active, 0)].dataset.value);
    } else if (event.key === "Escape") {
      list.hidden = true;
    }
  });
  area.addEventListener("blur", function () { list.hidden = true; });
  highlight();
}());
