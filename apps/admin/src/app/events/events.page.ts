import { ChangeDetectionStrategy, Component } from '@angular/core';

/** Placeholder until live events land; says plainly what will be here. */
@Component({
  selector: 'app-events-page',
  template: `
    <div class="app-page">
      <h1>Events</h1>
      <p>No events to show yet: live events are not available in this version.</p>
      <p>
        Once your numbers are connected, this page will show what Meta sends about them as it arrives:
        incoming messages, delivery updates, quality and messaging-limit changes, and warnings when a
        connection needs to be renewed.
      </p>
    </div>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EventsPage {}
