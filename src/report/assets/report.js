// rrg HTML report: draws the per-sample table (one page at a time: sortable, filterable) and
// the worst-samples lists from the page's JSON data block. Embedded into every report by
// src/report/CMakeLists.txt and allowed by hash in the page's Content-Security-Policy. Plain
// ES5-level JavaScript, no libraries, no network. User texts only ever reach the page through
// textContent / text nodes, never as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('rrg-data').textContent);
  window.rrgReport = data;
  var rows = data.rows;
  var table = document.getElementById('sample-table');
  if (!rows || !table) return;
  var nRows = rows.id.length;
  var LABEL_CLASS = { '1': 'p', '0': 'n', 'u': 'u', '.': 'b' };
  // A word: a run of ASCII letters and digits or non-ASCII characters; compared ignoring case.
  var WORD = /[A-Za-z0-9\u0080-\uFFFF]+/g;

  function element(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function vocabulary(text) {
    var words = Object.create(null);
    (text.match(WORD) || []).forEach(function (w) { words[w.toLowerCase()] = true; });
    return words;
  }

  // `text` into `parent`, runs of consecutive words found in `words` wrapped in <mark>.
  function appendHighlighted(parent, text, words) {
    if (!/\S/.test(text)) {
      parent.appendChild(element('span', 'empty', '(empty)'));
      return;
    }
    var re = new RegExp(WORD.source, 'g');
    var at = 0, runStart = -1, runEnd = -1, match;
    function closeRun() {
      if (runStart < 0) return;
      parent.appendChild(document.createTextNode(text.slice(at, runStart)));
      parent.appendChild(element('mark', '', text.slice(runStart, runEnd)));
      at = runEnd;
      runStart = -1;
    }
    while ((match = re.exec(text)) !== null) {
      if (words[match[0].toLowerCase()] === true) {
        if (runStart < 0) runStart = match.index;
        runEnd = match.index + match[0].length;
      } else {
        closeRun();
      }
    }
    closeRun();
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  var allLabels = document.getElementById('all-labels');

  // The labels of one side as chips: the observations it or `others` mention (all 14 when
  // "all 14 labels" is ticked), marked where the raw labels differ.
  function appendChips(parent, side, others) {
    var box = null;
    var every = allLabels !== null && allLabels.checked;
    for (var k = 0; k < data.observations.length; k++) {
      var code = side.charAt(k), mentioned = code !== '.', differs = false;
      for (var j = 0; j < others.length; j++) {
        var other = others[j].charAt(k);
        if (other !== '.') mentioned = true;
        if (other !== code) differs = true;
      }
      if (!mentioned && !every) continue;
      if (!box) box = element('span', 'lb');
      box.appendChild(element('i', LABEL_CLASS[code] + (differs ? ' x' : ''), data.observations[k]));
    }
    if (box) parent.appendChild(box);
  }

  function note(parent, text) {
    parent.appendChild(element('p', 'err', text));
  }

  // A text of the data block: a string, or the index of a text stored once in shared_texts.
  function textOf(value) {
    return typeof value === 'number' ? data.shared_texts[value] : value;
  }

  // Prediction(s) and reference of row r side by side (headings come from the stylesheet).
  function pair(r) {
    var box = element('div', 'pair');
    var reference = rows.reference ? textOf(rows.reference[r]) : '';
    var referenceWords = vocabulary(reference);
    var referenceLabels = rows.reference_labels ? rows.reference_labels[r] : null;
    var systemLabels = [];
    var predictions = '';
    rows.systems.forEach(function (s) {
      var side = element('div');
      if (s.prediction) {
        var prediction = textOf(s.prediction[r]);
        appendHighlighted(side, prediction, referenceWords);
        predictions += prediction + '\n';
      }
      if (s.error && s.error[r]) note(side, 'recorded error: ' + s.error[r]);
      if (s.label_error && s.label_error[r]) note(side, 'not labelled: ' + s.label_error[r]);
      if (s.labels && referenceLabels) {
        appendChips(side, s.labels[r], [referenceLabels]);
        systemLabels.push(s.labels[r]);
      }
      box.appendChild(side);
    });
    var side = element('div');
    if (rows.reference) appendHighlighted(side, reference, vocabulary(predictions));
    if (referenceLabels && systemLabels.length) appendChips(side, referenceLabels, systemLabels);
    box.appendChild(side);
    return box;
  }

  function disagrees(r) {
    if (!rows.reference_labels) return false;
    return rows.systems.some(function (s) {
      return s.labels && s.labels[r] !== rows.reference_labels[r];
    });
  }

  function formatValue(value, decimals) {
    return value === null ? 'N/A' : value.toFixed(decimals);
  }

  function columnDecimals(column) {
    return data.metrics[column.metric].decimals;
  }

  // ---- the table: order, filter, page ----
  var order = [];
  for (var i = 0; i < nRows; i++) order.push(i);
  var shown = order.slice();
  var page = 0;
  var pageSize = 50;
  var keys = null;
  var filter = document.getElementById('filter');
  var onlyDisagree = document.getElementById('only-disagree');
  var pageSizeSelect = document.getElementById('page-size');
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var collator = typeof Intl !== 'undefined' ? new Intl.Collator(undefined, { numeric: true }) : null;

  function sampleBody(r) {
    var body = document.createElement('tbody');
    body.id = 's' + rows.index[r];
    if (disagrees(r)) body.className = 'd';
    var numbers = body.insertRow();
    numbers.insertCell().textContent = String(rows.index[r] + 1);
    var id = numbers.insertCell();
    id.className = 'id';
    id.textContent = rows.id[r];
    data.columns.forEach(function (column) {
      numbers.insertCell().textContent = formatValue(column.values[r], columnDecimals(column));
    });
    var texts = body.insertRow().insertCell();
    texts.colSpan = data.columns.length + 2;
    texts.appendChild(pair(r));
    return body;
  }

  function render() {
    var pages = Math.max(1, Math.ceil(shown.length / pageSize));
    page = Math.min(Math.max(0, page), pages - 1);
    while (table.tBodies.length > 0) table.removeChild(table.tBodies[0]);
    var fragment = document.createDocumentFragment();
    var first = page * pageSize;
    var last = Math.min(shown.length, first + pageSize);
    for (var k = first; k < last; k++) fragment.appendChild(sampleBody(shown[k]));
    table.appendChild(fragment);
    document.getElementById('count').textContent =
        shown.length + ' of ' + nRows + ' samples match' +
        (nRows < data.n_samples ? ' (the table carries ' + nRows + ' of ' + data.n_samples + ')' : '');
    document.getElementById('page-info').textContent =
        shown.length === 0 ? 'no rows' :
        'rows ' + (first + 1) + '\u2013' + last + ' of ' + shown.length + ' (page ' + (page + 1) +
        ' of ' + pages + ')';
    document.getElementById('page-prev').disabled = page === 0;
    document.getElementById('page-next').disabled = page >= pages - 1;
  }

  // The filter key of row r: its id and the observations its labels mention, lower case.
  function filterKey(r) {
    if (!keys) keys = [];
    if (keys[r] === undefined) {
      var parts = [rows.id[r]];
      var sides = [];
      if (rows.reference_labels) sides.push(rows.reference_labels[r]);
      rows.systems.forEach(function (s) { if (s.labels) sides.push(s.labels[r]); });
      for (var k = 0; k < data.observations.length; k++) {
        if (sides.some(function (side) { return side.charAt(k) !== '.'; })) {
          parts.push(data.observations[k]);
        }
      }
      keys[r] = parts.join('\n').toLowerCase();
    }
    return keys[r];
  }

  function applyFilter() {
    var query = filter.value.trim().toLowerCase();
    var disagreeing = onlyDisagree.checked;
    shown = order.filter(function (r) {
      return (!query || filterKey(r).indexOf(query) >= 0) && (!disagreeing || disagrees(r));
    });
    page = 0;
    render();
  }

  function sortBy(header) {
    var column = header.getAttribute('data-col');
    var direction = header.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
    var key;
    if (column === 'index') {
      key = function (r) { return rows.index[r]; };
    } else if (column === 'id') {
      key = null;
    } else {
      var values = data.columns[Number(column)].values;
      key = function (r) { return values[r]; };
    }
    order.sort(function (a, b) {
      if (key === null) {
        var c = collator ? collator.compare(rows.id[a], rows.id[b]) :
            (rows.id[a] < rows.id[b] ? -1 : rows.id[a] > rows.id[b] ? 1 : 0);
        return c !== 0 ? c * direction : a - b;
      }
      var x = key(a), y = key(b);
      if (x === null || y === null) return x === y ? a - b : (x === null ? 1 : -1);  // N/A last
      if (x !== y) return (x < y ? -1 : 1) * direction;
      return a - b;
    });
    headers.forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
    header.setAttribute('aria-sort', direction === 1 ? 'ascending' : 'descending');
    applyFilter();
  }

  headers.forEach(function (header) {
    var button = header.querySelector('button');
    if (button) button.addEventListener('click', function () { sortBy(header); });
  });
  filter.addEventListener('input', applyFilter);
  onlyDisagree.addEventListener('change', applyFilter);
  pageSizeSelect.addEventListener('change', function () {
    pageSize = Number(pageSizeSelect.value);
    page = 0;
    render();
  });
  document.getElementById('page-prev').addEventListener('click', function () { page--; render(); });
  document.getElementById('page-next').addEventListener('click', function () { page++; render(); });

  // Shows row r in the table: clears the filter, turns to its page, scrolls to it.
  function showRow(r) {
    filter.value = '';
    onlyDisagree.checked = false;
    shown = order.slice();
    page = Math.floor(shown.indexOf(r) / pageSize);
    render();
    var body = document.getElementById('s' + rows.index[r]);
    if (body) {
      body.scrollIntoView();
      body.classList.add('target');
    }
  }

  // ---- worst-samples lists, drawn when first opened ----
  function drawWorst(details) {
    var list = data.worst[Number(details.getAttribute('data-list'))];
    var metric = data.metrics[list.metric];
    var worst = element('table', 'worst');
    var head = worst.createTHead().insertRow();
    ['#', 'id', metric.name, 'texts'].forEach(function (name) {
      head.appendChild(element('th', '', name));
    });
    var body = worst.createTBody();
    list.rows.forEach(function (r, k) {
      var tr = body.insertRow();
      tr.insertCell().textContent = String(k + 1);
      var link = element('a', '', rows.id[r]);
      link.href = '#s' + rows.index[r];
      link.addEventListener('click', function (event) {
        event.preventDefault();
        showRow(r);
      });
      tr.insertCell().appendChild(link);
      var value = tr.insertCell();
      value.className = 'n';
      value.textContent = formatValue(list.values[k], metric.decimals);
      tr.insertCell().appendChild(pair(r));
    });
    details.appendChild(worst);
    details.setAttribute('data-drawn', '');
  }

  var worstLists = document.querySelectorAll('details.worst');
  Array.prototype.forEach.call(worstLists, function (details) {
    details.addEventListener('toggle', function () {
      if (details.open && !details.hasAttribute('data-drawn')) drawWorst(details);
    });
  });

  // Redraws the table page and the open worst lists (closed ones redraw when opened).
  allLabels.addEventListener('change', function () {
    render();
    Array.prototype.forEach.call(worstLists, function (details) {
      if (!details.hasAttribute('data-drawn')) return;
      details.removeChild(details.querySelector('table.worst'));
      details.removeAttribute('data-drawn');
      if (details.open) drawWorst(details);
    });
  });

  render();
})();
