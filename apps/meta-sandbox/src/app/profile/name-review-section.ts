// The console's "Review a display-name change" section: Meta's reviewer, for demos and manual tests.
import { escapeHtml, scriptJson } from '../common/html';
import { WorldStore } from '../world/world.store';

export function nameReviewSection(world: WorldStore): { html: string; script: string } {
  const pending = [...world.phoneNumbers.values()].filter((phone) => phone.nameChange?.status === 'PENDING_REVIEW');
  const items = pending.map((phone) => `<option value="${escapeHtml(phone.id)}">${escapeHtml(`${phone.displayPhoneNumber}: "${phone.verifiedName}" → "${phone.nameChange?.name}"`)}</option>`).join('');
  const html = `<section aria-labelledby="name-review-heading">
    <h2 id="name-review-heading">Review a display-name change</h2>
    <p class="muted">Decides a change asked for with <code>new_display_name</code> and sends <code>phone_number_name_update</code> to the app
      callback, as Meta's review does. An approved name takes effect when the number registers again. Reload to see new requests.</p>
    <form id="name-review-form" novalidate>
      <label for="name-review-number">Change in review</label>
      <select id="name-review-number" required>${items || '<option value="">No display-name change is in review</option>'}</select>
      <label for="name-review-decision">Decision</label>
      <select id="name-review-decision"><option value="APPROVED">Approve</option><option value="REJECTED">Reject</option></select>
      <label for="name-review-reason">Rejection reason (when rejecting)</label>
      <input id="name-review-reason" type="text" value="NAME_FORMAT_UNACCEPTABLE">
      <p><button type="submit">Send the decision</button></p>
      <p id="name-review-result" class="result" role="status"></p><p id="name-review-error" class="error" role="alert" hidden></p>
    </form>
  </section>`;
  const script = `(function () {
  var form = document.getElementById('name-review-form');
  var texts = ${scriptJson({ none: 'Choose a change first: none is in review.' })};
  function say(text, isError) {
    document.getElementById('name-review-result').textContent = isError ? '' : text;
    var error = document.getElementById('name-review-error');
    error.textContent = isError ? text : '';
    error.hidden = !isError;
  }
  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    var id = document.getElementById('name-review-number').value;
    if (!id) return say(texts.none, true);
    var decision = document.getElementById('name-review-decision').value;
    var reason = document.getElementById('name-review-reason').value;
    var response = await fetch('/_sandbox/phone-numbers/' + encodeURIComponent(id) + '/name-review', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(decision === 'REJECTED' && reason ? { decision: decision, rejectionReason: reason } : { decision: decision })
    });
    var body = await response.json().catch(function () { return {}; });
    if (!response.ok) return say('The sandbox refused it (HTTP ' + response.status + '): ' + (body.message || (body.error && body.error.message) || '') + '.', true);
    var sent = body.webhook && body.webhook.deliveries.length;
    say((decision === 'APPROVED' ? 'Approved' : 'Rejected') + '; ' + (sent ? 'the webhook was sent to the app callback.' : 'no webhook sent (no app callback URL configured).'), false);
  });
})();`;
  return { html, script };
}
