// The console's "Block or limit messaging" form: what tests do through `POST /_sandbox/health/:nodeId`,
// in words. Its script is separate from the console's main one and only posts to that route.
import { escapeHtml } from '../common/html';
import { WorldStore } from '../world/world.store';

function option(value: string, label: string): string {
  return `<option value="${escapeHtml(value)}">${escapeHtml(label)}</option>`;
}

/** Every number and WABA, grouped by business, as `<option>`s of the node to change. */
function nodeOptions(world: WorldStore): string {
  return [...world.wabas.values()]
    .map((waba) => {
      const business = world.businesses.get(waba.ownerBusinessId)?.name ?? waba.ownerBusinessId;
      const numbers = world.phoneNumbersOf(waba.id).map((phone) => option(phone.id, `Number ${phone.displayPhoneNumber} (${phone.verifiedName})`));
      return `<optgroup label="${escapeHtml(`${business}: ${waba.name}`)}">${option(waba.id, `The whole WABA ${waba.name} (${waba.id})`)}${numbers.join('')}</optgroup>`;
    })
    .join('');
}

export function healthSection(world: WorldStore): string {
  const nodes = nodeOptions(world);
  return `<section aria-labelledby="health-heading">
    <h2 id="health-heading">Block or limit messaging</h2>
    <p class="muted">Sets what Meta's <code>health_status</code> says of a number or a WABA, as Meta does for reasons the
      sandbox does not model (payment method, policy). What the world already implies (a banned or unregistered number) still counts.</p>
    <form id="health-form" novalidate>
      <label for="health-node">Number or WABA</label>
      <select id="health-node" name="nodeId" required>${nodes || '<option value="">No WABAs in the world</option>'}</select>
      <label for="health-status">Messaging</label>
      <select id="health-status" name="canSendMessage">${option('BLOCKED', 'Blocked: cannot send')}${option('LIMITED', 'Limited: sends, with limits')}${option('AVAILABLE', 'Available: clear what was set')}</select>
      <label for="health-code">Error code (optional)</label>
      <input id="health-code" name="errorCode" type="number" min="1" step="1" inputmode="numeric">
      <label for="health-description">What Meta says is wrong (optional)</label>
      <input id="health-description" name="errorDescription" type="text">
      <label for="health-solution">What Meta suggests (optional)</label>
      <input id="health-solution" name="possibleSolution" type="text">
      <p><button type="submit">Set messaging health</button></p>
      <p id="health-result" class="result" role="status"></p><p id="health-error" class="error" role="alert" hidden></p>
    </form>
  </section>`;
}

// Plain browser JavaScript (no build step).
export const HEALTH_CONSOLE_SCRIPT = `(function () {
  var form = document.getElementById('health-form');
  if (!form) return;
  function say(text, isError) {
    document.getElementById('health-result').textContent = isError ? '' : text;
    var error = document.getElementById('health-error');
    error.textContent = isError ? text : '';
    error.hidden = !isError;
  }
  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    var nodeId = form.elements.nodeId.value;
    if (!nodeId) return say('Choose a number or a WABA first.', true);
    var body = { canSendMessage: form.elements.canSendMessage.value };
    if (form.elements.errorCode.value) body.errorCode = Number(form.elements.errorCode.value);
    if (form.elements.errorDescription.value) body.errorDescription = form.elements.errorDescription.value;
    if (form.elements.possibleSolution.value) body.possibleSolution = form.elements.possibleSolution.value;
    say('Working…', false);
    try {
      var response = await fetch('/_sandbox/health/' + encodeURIComponent(nodeId), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      var json = await response.json().catch(function () { return {}; });
      if (!response.ok) return say('The sandbox refused it (HTTP ' + response.status + '): ' + [].concat(json.message || '').join('; ') + '.', true);
      var label = form.elements.nodeId.selectedOptions[0].textContent;
      var words = { AVAILABLE: 'can send', LIMITED: 'is limited', BLOCKED: 'cannot send' }[json.health_status.can_send_message];
      say(label + ' now ' + words + ' (health_status ' + json.health_status.can_send_message + ').', false);
    } catch (error) {
      say('The sandbox did not answer (' + error.message + ').', true);
    }
  });
})();`;
