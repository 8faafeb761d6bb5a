// Outgoing e-mail (password resets) over SMTP with nodemailer, when the operator set AIO_SMTP_URL
// (`smtp://user:pass@host:587`, `smtps://...:465`). Without it, `enabled` is false and nothing
// is sent: the CLI and the admin pages still reset passwords.
import nodemailer, { type Transporter } from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export class Mailer {
  private transport?: Transporter;

  constructor(private readonly opts: { smtpUrl?: string; from: string }) {}

  get enabled(): boolean {
    return Boolean(this.opts.smtpUrl);
  }

  async send(mail: Mail): Promise<void> {
    if (!this.opts.smtpUrl) throw new Error('no SMTP server is configured (AIO_SMTP_URL)');
    this.transport ??= nodemailer.createTransport(this.opts.smtpUrl);
    await this.transport.sendMail({ from: this.opts.from, to: mail.to, subject: mail.subject, text: mail.text });
  }

  close(): void {
    this.transport?.close();
  }
}
