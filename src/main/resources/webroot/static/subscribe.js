// The subscribe form (branch feeds, #13): sends the choices as JSON to POST /api/subscriptions. Untouched, it asks
// for every price change; only what the person filled in goes into the request.
(function () {
  'use strict';
  var form = document.querySelector('form[data-subscribe-form], form[data-workload-form]');
  if (!form) { return; }
  var isWorkload = form.hasAttribute('data-workload-form');
  var box = form.querySelector('.result');

  function checked(name) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked'))
      .map(function (i) { return i.value; });
  }
  function value(name) {
    var el = form.querySelector('[name="' + name + '"]');
    return el ? el.value.trim() : '';
  }
  function say(status, text) {
    box.textContent = text;
    box.setAttribute('data-status', String(status));
    box.className = 'result ' + (status >= 200 && status < 300 ? 'ok' : 'fail');
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var email = form.querySelector('input[name="target"]');
    if (!email.value || !email.checkValidity()) {
      say(400, 'Please enter a valid email address.');
      email.setAttribute('aria-invalid', 'true');
      email.focus();
      return;
    }
    email.removeAttribute('aria-invalid');
    var body = isWorkload ? workloadBody(email.value.trim()) : filterBody(email.value.trim());
    if (!body) { return; }
    send(body);
  });

  // A workload alert (#13): the calculator's parameters as they are typed (the server parses them as the
  // calculator does and names a wrong one), and what is worth an email.
  function workloadBody(target) {
    var workload = {};
    ['in', 'cached', 'out', 'context', 'modality'].forEach(function (k) {
      if (value(k) !== '') { workload[k] = value(k); }
    });
    if (workload.modality === 'text') { delete workload.modality; }
    if (checked('first_party').length) { workload.first_party = true; }
    if (checked('free').length) { workload.free = true; }
    var trigger = { cheapest_changes: checked('cheapest_changes').length > 0 };
    if (value('falls_percent') !== '') { trigger.falls_percent = Number(value('falls_percent')); }
    if (!trigger.cheapest_changes && trigger.falls_percent === undefined) {
      say(400, 'Tick "when another model becomes the cheapest" or give a percentage.');
      return null;
    }
    return { channel: 'email', target: target, workload: workload, trigger: trigger };
  }

  function filterBody(target) {
    var filter = {};
    var providers = checked('providers');
    var metrics = checked('metrics');
    var kinds = checked('kinds');
    var models = value('models').split(',').map(function (s) { return s.trim(); }).filter(Boolean);
    if (providers.length) { filter.providers = providers; }
    if (models.length) { filter.models = models; }
    if (metrics.length) { filter.metrics = metrics; }
    if (kinds.length) { filter.kinds = kinds; }
    var dir = checked('direction')[0];
    if (dir && dir !== 'any') { filter.direction = dir; }
    if (value('min_percent') !== '') { filter.min_percent = Number(value('min_percent')); }
    var body = { channel: 'email', target: target, filter: filter };
    var baseline = checked('baseline')[0];
    if (baseline && baseline !== 'previous') { body.baseline = baseline; }
    if (baseline === 'n_day_high' && value('baseline_days') !== '') { body.baseline_days = Number(value('baseline_days')); }
    var below = value('target_below');
    var above = value('target_above');
    if (below !== '' || above !== '') {
      body.target_price = {};
      if (below !== '') { body.target_price.below = below; }
      if (above !== '') { body.target_price.above = above; }
    }
    var mode = checked('mode')[0];
    if (mode && mode !== 'instant') { body.mode = mode; }
    return body;
  }

  function send(body) {
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    fetch(form.getAttribute('action'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.text().then(function (t) {
        var json = null;
        try { json = t ? JSON.parse(t) : null; } catch (e) { json = null; }
        if (r.ok) {
          say(r.status, 'Almost done: we sent a confirmation link to ' + body.target +
            '. Nothing is sent until you follow it.' + (json && json.status ? ' Status: ' + json.status + '.' : ''));
        } else {
          say(r.status, 'That did not work (HTTP ' + r.status + '): ' + (json && json.error ? json.error : (t || r.statusText)));
        }
      });
    }).catch(function (e) {
      say(0, 'Could not reach the server: ' + e.message);
    }).then(function () { button.disabled = false; });
  }
})();
