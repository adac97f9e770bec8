import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { roleInASentence, type UserRole } from '@waba/contracts';
import { createTransport, type Transporter } from 'nodemailer';
import { ApiConfig } from '../config/api-config';

export interface InvitationEmail {
  to: string;
  accountName: string;
  inviterName: string;
  role: UserRole;
  link: string;
  expiresAt: Date;
}

/**
 * Emails invitation links through SMTP_URL. Best effort: without SMTP, or when the server refuses,
 * the owner still sees the link and passes it on, so a mail problem never blocks an invitation.
 */
@Injectable()
export class InvitationMailer implements OnApplicationShutdown {
  private readonly logger = new Logger(InvitationMailer.name);
  private transport?: Transporter;

  constructor(private readonly config: ApiConfig) {}

  /** True when the SMTP server accepted the message. */
  async send(email: InvitationEmail): Promise<boolean> {
    const transport = this.transporter();
    if (!transport) return false;
    try {
      await transport.sendMail({
        from: this.config.SMTP_FROM,
        to: email.to,
        subject: `${email.inviterName} invited you to ${email.accountName} on WABA Connect`,
        text: [
          `${email.inviterName} invited you to join ${email.accountName} on WABA Connect as ${roleInASentence(email.role)}.`,
          '',
          'Open this link to choose your name and password:',
          email.link,
          '',
          `The link works once and expires on ${email.expiresAt.toUTCString()}.`,
          'If you did not expect this, ignore this email.',
        ].join('\n'),
      });
      return true;
    } catch (error) {
      // The address and the reason, never the link: it would sign someone up.
      this.logger.warn(`Invitation email to ${email.to} not sent: ${(error as Error).message}`);
      return false;
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  private transporter(): Transporter | undefined {
    if (!this.config.SMTP_URL) return undefined;
    this.transport ??= createTransport({ url: this.config.SMTP_URL, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 });
    return this.transport;
  }
}
