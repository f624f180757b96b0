import { mailSenderSettings } from '../../../src/mail';

describe('mailSenderSettings', () => {
  it('passes credentials only as a pair', () => {
    expect(mailSenderSettings({ MAILJET_API_KEY: 'k', MAILJET_API_SECRET: 's', MAILJET_API_URL: 'http://127.0.0.1:9', MAIL_FROM: 'a@b.cn' }))
      .toEqual({ credentials: { apiKey: 'k', apiSecret: 's' }, apiUrl: 'http://127.0.0.1:9', from: { email: 'a@b.cn' } });
    expect(mailSenderSettings({ MAILJET_API_KEY: undefined, MAILJET_API_SECRET: undefined, MAILJET_API_URL: undefined, MAIL_FROM: 'a@b.cn' }).credentials).toBeNull();
  });
});
