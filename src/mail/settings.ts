/** The sender's share of the settings, so wiring code doesn't repeat the pairing rules. */
import type { Settings } from '../config/settings';
import type { MailSenderOptions } from './sender';

export type MailSettings = Pick<Settings, 'MAILJET_API_KEY' | 'MAILJET_API_SECRET' | 'MAILJET_API_URL' | 'MAIL_FROM'>;

export function mailSenderSettings(s: MailSettings): Pick<MailSenderOptions, 'credentials' | 'apiUrl' | 'from'> {
  return {
    // Settings validation already refuses a key without its secret; both or neither arrive here.
    credentials: s.MAILJET_API_KEY && s.MAILJET_API_SECRET ? { apiKey: s.MAILJET_API_KEY, apiSecret: s.MAILJET_API_SECRET } : null,
    apiUrl: s.MAILJET_API_URL,
    from: { email: s.MAIL_FROM },
  };
}
