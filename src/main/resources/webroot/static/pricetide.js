/* Pricetide pages: live table filter, uPlot timelines, JSON forms. No build step; every string from the
   server is set with textContent or read from JSON, never written as HTML. */
(function () {
  'use strict';

  // ------------------------------------------------------------------ live filter of the price table
  document.querySelectorAll('input[data-filter-table]').forEach(function (input) {
    var table = document.getElementById(input.getAttribute('data-filter-table'));
    if (!table) { return; }
    var count = document.querySelector('[data-count]');
    function apply() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      table.querySelectorAll('tbody tr').forEach(function (tr) {
        var text = tr.getAttribute('data-search') || '';
        var ok = terms.every(function (t) { return text.indexOf(t) >= 0; });
        tr.hidden = !ok;
        if (ok) { shown++; }
      });
      if (count) { count.textContent = String(shown); }
    }
    input.addEventListener('input', apply);
  });

  // ------------------------------------------------------------------ charts
  // A price is a step: it holds until the next point, or until its removal (a null point), and to the chart's
  // `end` (the last check) while it is current. Every real point gets a marker, so a one-point series shows.
  // Lines with a role other than "vendor" (catalogues, resellers) start hidden behind the chart's toggle button.
  var dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  var palette = dark
    ? ['#60a5fa', '#f87171', '#34d399', '#fbbf24', '#a78bfa', '#22d3ee', '#f472b6', '#cbd5e1']
    : ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
  var charts = {};
  window.pricetideCharts = charts;

  function cssVar(name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name);
    return v && v.trim() ? v.trim() : fallback;
  }

  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function dateText(t) {
    if (t == null) { return '\u2014'; }
    var d = new Date(t * 1000);
    var day = d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate());
    var hm = pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
    return hm === '00:00' ? day : day + ' ' + hm + ' UTC';
  }

  /**
   * Aligns every series on the union of their times and holds each value until its next point. At a removal the
   * old value is kept for that instant (the step reaches the removal) and the line ends there.
   */
  function align(spec) {
    var set = {};
    spec.series.forEach(function (s) { s.points.forEach(function (p) { set[p[0]] = true; }); });
    if (spec.end != null) { set[spec.end] = true; }
    var xs = Object.keys(set).map(Number).sort(function (a, b) { return a - b; });
    var data = [xs];
    var strings = [];
    spec.series.forEach(function (s) {
      var at = {};
      s.points.forEach(function (p) { at[p[0]] = p[1]; });
      var first = s.points.length ? s.points[0][0] : Infinity;
      var cur = null;
      var ys = [];
      var ss = [];
      xs.forEach(function (x) {
        if (Object.prototype.hasOwnProperty.call(at, x)) {
          if (at[x] == null) {
            ys.push(cur == null ? null : parseFloat(cur));
            ss.push(cur == null ? null : 'removed');
            cur = null;
            return;
          }
          cur = at[x];
        }
        var live = x >= first && cur != null;
        ys.push(live ? parseFloat(cur) : null);
        ss.push(live ? cur : null);
      });
      data.push(ys);
      strings.push(ss);
    });
    return { data: data, strings: strings };
  }

  /** Which lines start drawn: the vendor's (and lines without a role); with no vendor line, the first four. */
  function initialShow(spec) {
    var hasVendor = spec.series.some(function (s) { return s.role == null || s.role === 'vendor'; });
    var shown = 0;
    return spec.series.map(function (s) {
      if (s.role == null || s.role === 'vendor') { return true; }
      if (!hasVendor && shown < 4) { shown++; return true; }
      return false;
    });
  }

  function drawMarks(u, spec) {
    var ctx = u.ctx;
    var box = u.bbox;
    var dpr = window.devicePixelRatio || 1;
    ctx.save();
    var shownIdx = [];
    spec.series.forEach(function (s, i) { if (u.series[i + 1].show) { shownIdx.push(i); } });
    // Dashed all-time lows only while few lines are drawn; a label is left out where it would hit another.
    var labels = [];
    if (shownIdx.length <= 4) {
      shownIdx.forEach(function (i) {
        var s = spec.series[i];
        if (s.low == null) { return; }
        var y = u.valToPos(parseFloat(s.low), 'y', true);
        if (y < box.top || y > box.top + box.height) { return; }
        ctx.strokeStyle = palette[i % palette.length];
        ctx.globalAlpha = 0.6;
        ctx.setLineDash([6 * dpr, 4 * dpr]);
        ctx.lineWidth = dpr;
        ctx.beginPath();
        ctx.moveTo(box.left, y);
        ctx.lineTo(box.left + box.width, y);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.globalAlpha = 1;
        var ly = y - 4 * dpr;
        var clash = labels.some(function (o) { return Math.abs(o - ly) < 14 * dpr; });
        if (clash) { return; }
        labels.push(ly);
        ctx.fillStyle = palette[i % palette.length];
        ctx.font = (11 * dpr) + 'px system-ui, sans-serif';
        ctx.textAlign = 'right';
        ctx.fillText('all-time low ' + (spec.prefix || '') + s.low + (spec.suffix || ''),
          box.left + box.width - 4 * dpr, ly);
      });
    }
    // A marker on every point of a drawn line (its first one on a long line), so one point alone is visible.
    shownIdx.forEach(function (i) {
      var pts = spec.series[i].points;
      ctx.fillStyle = palette[i % palette.length];
      pts.forEach(function (p, k) {
        if (p[1] == null || (pts.length > 60 && k > 0)) { return; }
        var x = u.valToPos(p[0], 'x', true);
        var y = u.valToPos(parseFloat(p[1]), 'y', true);
        if (x < box.left - 1 || x > box.left + box.width + 1) { return; }
        ctx.beginPath();
        ctx.arc(x, y, 3.5 * dpr, 0, 2 * Math.PI);
        ctx.fill();
      });
    });
    (spec.events || []).forEach(function (e) {
      if (e.v == null || !u.series[e.series + 1] || !u.series[e.series + 1].show) { return; }
      if (e.kind === 'model_added' || e.kind === 'metric_added') { return; } // the line's first marker says it
      var x = u.valToPos(e.t, 'x', true);
      var y = u.valToPos(parseFloat(e.v), 'y', true);
      if (x < box.left - 1 || x > box.left + box.width + 1) { return; }
      var r = 6 * dpr;
      ctx.fillStyle = e.kind === 'price_cut' ? palette[2] : e.kind === 'price_increase' ? palette[1] : palette[7];
      ctx.beginPath();
      if (e.kind === 'price_cut') {
        ctx.moveTo(x - r, y - r * 1.6); ctx.lineTo(x + r, y - r * 1.6); ctx.lineTo(x, y - r * 0.2);
      } else if (e.kind === 'price_increase') {
        ctx.moveTo(x - r, y + r * 1.6); ctx.lineTo(x + r, y + r * 1.6); ctx.lineTo(x, y + r * 0.2);
      } else {
        ctx.arc(x, y, r * 0.6, 0, 2 * Math.PI);
      }
      ctx.closePath();
      ctx.fill();
    });
    ctx.restore();
  }

  function buildChart(spec) {
    var el = document.getElementById(spec.id);
    if (!el || typeof uPlot === 'undefined') { return; }
    var aligned = align(spec);
    var prefix = spec.prefix || '';
    var suffix = spec.suffix || '';
    var show = initialShow(spec);
    var fg = cssVar('--fg', '#111827');
    var grid = cssVar('--line', '#e5e7eb');
    var series = [{
      label: 'Date',
      value: function (u, v) { return dateText(v); }
    }];
    spec.series.forEach(function (s, i) {
      series.push({
        label: s.label,
        show: show[i],
        stroke: palette[i % palette.length],
        width: s.role == null || s.role === 'vendor' ? 2 : 1.5,
        dash: s.role === 'reseller' ? [4, 3] : undefined,
        spanGaps: false,
        paths: uPlot.paths.stepped({ align: 1 }),
        points: { show: false },
        value: function (u, v, si, idx) {
          var t = idx == null ? null : aligned.strings[i][idx];
          return t == null ? '\u2014' : t === 'removed' ? 'removed' : prefix + t + suffix;
        }
      });
    });
    var width = Math.max(280, el.clientWidth || 600);
    var axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    var opts = {
      width: width,
      height: width < 500 ? 220 : 300,
      scales: {
        x: {
          time: true,
          range: function (u, min, max) {
            return min === max ? [min - 30 * 86400, max + 30 * 86400] : [min, max];
          }
        },
        y: {
          range: function (u, min, max) {
            if (min == null || max == null) { return [0, 1]; }
            var lo = Math.min(0, min);
            var hi = max <= lo ? lo + 1 : max * 1.08;
            return [lo, hi];
          }
        }
      },
      series: series,
      axes: [
        Object.assign({}, axis),
        Object.assign({ size: 64, values: function (u, vals) {
          return vals.map(function (v) { return prefix + v + suffix; });
        } }, axis)
      ],
      legend: { live: true },
      hooks: { draw: [function (u) { drawMarks(u, spec); }] }
    };
    var plot = new uPlot(opts, aligned.data, el);
    charts[spec.id] = { plot: plot, data: aligned.data, strings: aligned.strings, spec: spec,
      colors: spec.series.map(function (s, i) { return palette[i % palette.length]; }) };
    el.setAttribute('data-ready', 'true');
  }

  document.querySelectorAll('script.chart-data').forEach(function (s) {
    try {
      buildChart(JSON.parse(s.textContent));
    } catch (e) {
      if (window.console) { console.error('chart', e); }
    }
  });

  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (id) {
      var el = document.getElementById(id);
      var w = Math.max(280, el.clientWidth || 600);
      charts[id].plot.setSize({ width: w, height: w < 500 ? 220 : 300 });
    });
  });

  // The toggle that draws or hides a chart's catalogue and reseller lines together.
  document.querySelectorAll('button.toggle-catalogues[data-chart]').forEach(function (b) {
    var label = b.textContent;
    b.addEventListener('click', function () {
      var c = charts[b.getAttribute('data-chart')];
      if (!c) { return; }
      var on = b.getAttribute('aria-pressed') !== 'true';
      c.spec.series.forEach(function (s, i) {
        if (s.role === 'catalogue' || s.role === 'reseller') { c.plot.setSeries(i + 1, { show: on }); }
      });
      b.setAttribute('aria-pressed', on ? 'true' : 'false');
      b.textContent = on ? label.replace('Show', 'Hide') : label;
    });
  });

  document.querySelectorAll('button[data-range]').forEach(function (b) {
    b.addEventListener('click', function () {
      var c = charts[b.getAttribute('data-chart')];
      if (!c) { return; }
      var xs = c.data[0];
      if (!xs.length) { return; }
      var max = xs[xs.length - 1];
      var range = b.getAttribute('data-range');
      var min = range === '30d' ? max - 30 * 86400 : range === '1y' ? max - 365 * 86400 : xs[0];
      c.plot.setScale('x', { min: Math.min(min, max - 86400), max: max });
      b.parentNode.querySelectorAll('button').forEach(function (o) {
        o.setAttribute('aria-pressed', o === b ? 'true' : 'false');
      });
    });
  });

  // ------------------------------------------------------------------ JSON forms
  function checked(form, name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked'))
      .map(function (i) { return i.value; });
  }

  function say(box, status, text) {
    box.textContent = text;
    box.setAttribute('data-status', String(status));
    box.className = 'result ' + (status >= 200 && status < 300 ? 'ok' : 'fail');
  }

  function post(form, body, box, success) {
    var button = form.querySelector('button[type="submit"]');
    if (button) { button.disabled = true; }
    fetch(form.getAttribute('action'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.text().then(function (t) {
        var json = null;
        try { json = t ? JSON.parse(t) : null; } catch (e) { json = null; }
        if (r.ok) {
          say(box, r.status, success(json));
        } else if (r.status === 404 && !(json && json.error && json.error.indexOf('no such endpoint') < 0)) {
          say(box, r.status, 'Subscriptions are not available on this server yet (HTTP 404).');
        } else {
          say(box, r.status, 'That did not work (HTTP ' + r.status + '): ' +
            (json && json.error ? json.error : (t || r.statusText)));
        }
      });
    }).catch(function (e) {
      say(box, 0, 'Could not reach the server: ' + e.message);
    }).then(function () {
      if (button) { button.disabled = false; }
    });
  }

  document.querySelectorAll('form[data-json-form]').forEach(function (form) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var box = form.querySelector('.result');
      if (form.getAttribute('data-json-form') === 'token') {
        var token = form.querySelector('input[name="token"]').value;
        post(form, { token: token }, box, function () {
          return form.querySelector('button').textContent.indexOf('Unsub') === 0
            ? 'Done: you are unsubscribed and will get no more emails for this subscription.'
            : 'Done: your subscription is confirmed.';
        });
        return;
      }
      var email = form.querySelector('input[name="target"]');
      if (!email.value || !email.checkValidity()) {
        say(box, 400, 'Please enter a valid email address.');
        email.setAttribute('aria-invalid', 'true');
        email.focus();
        return;
      }
      email.removeAttribute('aria-invalid');
      var filter = {};
      var providers = checked(form, 'providers');
      var metrics = checked(form, 'metrics');
      var kinds = checked(form, 'kinds');
      var models = form.querySelector('input[name="models"]').value.split(',')
        .map(function (s) { return s.trim(); }).filter(Boolean);
      if (providers.length) { filter.providers = providers; }
      if (models.length) { filter.models = models; }
      if (metrics.length) { filter.metrics = metrics; }
      if (kinds.length) { filter.kinds = kinds; }
      var dir = form.querySelector('input[name="direction"]:checked');
      if (dir) { filter.direction = dir.value; }
      var pct = form.querySelector('input[name="min_percent"]').value;
      if (pct !== '') { filter.min_percent = Number(pct); }
      var target = email.value.trim();
      post(form, { channel: 'email', target: target, filter: filter }, box, function (json) {
        var status = json && json.status ? ' Status: ' + json.status + '.' : '';
        return 'Almost done: we sent a confirmation link to ' + target +
          '. Nothing is sent until you follow it.' + status;
      });
    });
  });
})();
