// The console's "Change a message template" form: Meta reviewing, rating, recategorising or editing
// a template, which sends the template webhook for it (the same route the tests use).
import { escapeHtml, scriptJson } from '../common/html';
import { WorldStore } from '../world/world.store';
import { TEMPLATE_CATEGORIES, TEMPLATE_QUALITIES, TEMPLATE_STATUSES } from './template-list';
import { REJECTION_REASONS } from './template-control.controller';

const CHANGES: Array<[value: string, label: string, change: Record<string, string>]> = [
  ...TEMPLATE_STATUSES.filter((s) => s !== 'REJECTED').map((status): [string, string, Record<string, string>] => [`status:${status}`, `status becomes ${status}`, { status }]),
  ...REJECTION_REASONS.map((reason): [string, string, Record<string, string>] => [`reject:${reason}`, `rejected: ${reason}`, { status: 'REJECTED', reason }]),
  ...TEMPLATE_QUALITIES.map((quality): [string, string, Record<string, string>] => [`quality:${quality}`, `quality becomes ${quality}`, { quality }]),
  ...TEMPLATE_CATEGORIES.map((category): [string, string, Record<string, string>] => [`category:${category}`, `category becomes ${category}`, { category }]),
  ['edit', 'body text edited (type it below)', {}],
];

export function templateConsoleSection(world: WorldStore): { html: string; script: string } {
  const groups = [...world.wabas.values()]
    .filter((waba) => waba.messageTemplates?.length)
    .map((waba) => {
      const items = (waba.messageTemplates ?? []).map((t) => `<option value="${escapeHtml(t.id)}">${escapeHtml(`${t.name} (${t.language}) · ${t.status}`)}</option>`).join('');
      return `<optgroup label="${escapeHtml(`${waba.name} (WABA ${waba.id})`)}">${items}</optgroup>`;
    })
    .join('');
  const html = `<section aria-labelledby="template-heading">
    <h2 id="template-heading">Change a message template</h2>
    <p class="muted">As Meta's review or quality system would. Each change sends its template webhook (WABA-level: it names the WABA,
      no number) to the app callback, when the app subscribed to the WABA.</p>
    <form id="template-form" novalidate>
      <label for="template-select">Template</label>
      <select id="template-select" required>${groups || '<option value="">No templates in the world</option>'}</select>
      <label for="template-change">Change</label>
      <select id="template-change">${CHANGES.map(([value, label]) => `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`).join('')}</select>
      <label for="template-body">New body text (for an edit)</label>
      <input id="template-body" type="text">
      <p><button type="submit">Change the template</button></p>
      <p id="template-result" class="result" role="status"></p><p id="template-error" class="error" role="alert" hidden></p>
    </form>
  </section>`;
  const changes = Object.fromEntries(CHANGES.map(([value, label, change]) => [value, { label, change }]));
  return { html, script: TEMPLATE_SCRIPT.replace('__CHANGES__', scriptJson(changes)) };
}

const TEMPLATE_SCRIPT = `(function () {
  var changes = __CHANGES__;
  function $(id) { return document.getElementById(id); }
  function say(text, isError) {
    $('template-result').textContent = isError ? '' : text;
    $('template-error').textContent = isError ? text : '';
    $('template-error').hidden = !isError;
  }
  $('template-form').addEventListener('submit', async function (event) {
    event.preventDefault();
    var id = $('template-select').value;
    if (!id) return say('Choose a template first: the world has none.', true);
    var choice = changes[$('template-change').value];
    var body = Object.assign({}, choice.change);
    if ($('template-change').value === 'edit') {
      if (!$('template-body').value.trim()) return say('Type the new body text for an edit.', true);
      body.bodyText = $('template-body').value.trim();
    }
    say('Working…', false);
    try {
      var response = await fetch('/_sandbox/templates/' + encodeURIComponent(id) + '/changes', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      var json = await response.json();
      if (!response.ok) return say('The sandbox refused it (HTTP ' + response.status + '): ' + [].concat(json.message).join('; ') + '.', true);
      var option = $('template-select').selectedOptions[0];
      option.textContent = json.template.name + ' (' + json.template.language + ') · ' + json.template.status;
      if (json.skipped.length) return say('Changed ' + json.template.name + ', but no webhook was sent: ' + json.skipped[0].reason + '.', true);
      say('Changed ' + json.template.name + ' (' + choice.label + ') and sent ' + json.deliveries.map(function (d) { return d.field; }).join(', ') + ' to ' + json.deliveries[0].url + '.', false);
    } catch (error) {
      say('The sandbox did not answer (' + error.message + ').', true);
    }
  });
})();`;
