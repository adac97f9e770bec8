import { ChangeDetectionStrategy, Component } from '@angular/core';

/** Placeholder until the connect flow lands; says plainly what will be here. */
@Component({
  selector: 'app-whatsapp-page',
  template: `
    <div class="app-page">
      <h1>WhatsApp</h1>
      <p>No WhatsApp numbers are connected yet, and connecting is not available in this version.</p>
      <p>This page will let you:</p>
      <ul>
        <li>press <strong>Connect WhatsApp</strong> and go through Meta's own consent screens;</li>
        <li>pick which phone numbers, across one or more WhatsApp Business accounts, to connect;</li>
        <li>see each connected number's live status (quality rating, name status, messaging limit, token health);</li>
        <li>choose the default number, test a connection, disconnect or reconnect;</li>
        <li>as a fallback, add a number by hand with its IDs and access token.</li>
      </ul>
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WhatsappPage {}
