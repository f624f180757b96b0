import { checkCreditCode, makeCreditCode, normalizeCreditCode } from '../../../src/cases/credit-code';

describe('统一社会信用代码', () => {
  it('accepts codes whose check character matches (GB 32100-2015)', () => {
    for (const code of ['91110000600037341L', '91350100M000100Y43', '91440300708461136T']) {
      expect([code, checkCreditCode(code)]).toEqual([code, { ok: true }]);
    }
  });

  it('names what is wrong', () => {
    expect(checkCreditCode('911100001000134234')).toEqual({ ok: false, reason: '校验码错误：第18位应为“9”，实为“4”' });
    expect(checkCreditCode('91110000600037341')).toEqual({ ok: false, reason: '统一社会信用代码应为18位，实际为17位' });
    expect(checkCreditCode('91110000600037341l')).toMatchObject({ ok: false, reason: expect.stringContaining('大写') });
    expect(checkCreditCode('9111000060003734IL')).toMatchObject({ ok: false, reason: expect.stringContaining('I、O、S、V、Z') });
    expect(checkCreditCode('91A10000600037341L')).toMatchObject({ ok: false, reason: expect.stringContaining('行政区划码') });
    expect(checkCreditCode('')).toMatchObject({ ok: false });
  });

  it('catches a single changed character and a swap of neighbours', () => {
    const good = '91110000600037341L';
    expect(checkCreditCode(good.slice(0, 10) + '1' + good.slice(11)).ok).toBe(false);
    expect(checkCreditCode(good.slice(0, 12) + good[13] + good[12] + good.slice(14)).ok).toBe(false);
  });

  it('normalises pasted input', () => {
    expect(normalizeCreditCode(' 9111 0000-6000 3734 1l ')).toBe('91110000600037341L');
  });

  it('makes valid codes for demo data', () => {
    expect(makeCreditCode('91110000600037341')).toBe('91110000600037341L');
    for (let i = 0; i < 50; i++) {
      const code = makeCreditCode(`91320100MA1X2Y3${String(i).padStart(2, '0')}`);
      expect(checkCreditCode(code)).toEqual({ ok: true });
    }
    expect(() => makeCreditCode('9111000060003734')).toThrow(RangeError);
    expect(() => makeCreditCode('9111000060003734O')).toThrow(RangeError);
  });
});
