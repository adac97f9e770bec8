import { Injectable } from '@angular/core';
import type { EmbeddedSignupConfigView } from '@waba/contracts';

/**
 * Where the holder's page gets Embedded Signup's configuration: from the link's own answer, not
 * from the signed-in route the WhatsApp page uses. The page provides it in place of
 * WhatsappService for its own EmbeddedSignupService, so the popup flow is the very same code.
 */
@Injectable()
export class LinkSignupConfig {
  private resolveConfig!: (config: EmbeddedSignupConfigView) => void;
  private readonly config = new Promise<EmbeddedSignupConfigView>((resolve) => (this.resolveConfig = resolve));

  set(config: EmbeddedSignupConfigView): void {
    this.resolveConfig(config);
  }

  embeddedSignupConfig(): Promise<EmbeddedSignupConfigView> {
    return this.config;
  }
}
