/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters — registration authority (1), organisation type (1),
 * administrative division of the registering authority (6 digits), organisation code (9), check
 * character (1). Characters come from 0-9 and the capitals without I, O, S, V, Z; the check character
 * makes the weighted sum a multiple of 31.
 */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type CreditCodeCheck = { ok: true } | { ok: false; reason: string };

/** Strips spaces and hyphens people paste in and upper-cases, before checking. */
export function normalizeCreditCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Checks the code as given (normalise first if it was typed by a person). Reasons are for the UI. */
export function checkCreditCode(code: string): CreditCodeCheck {
  if (typeof code !== 'string' || code.length !== 18) {
    return { ok: false, reason: `统一社会信用代码应为18位，实际为${typeof code === 'string' ? code.length : 0}位` };
  }
  for (let i = 0; i < 18; i++) {
    if (!CREDIT_CODE_ALPHABET.includes(code[i])) {
      const c = code[i];
      const hint = /[a-z]/.test(c) ? '（应为大写字母）' : /[IOSVZ]/.test(c) ? '（代码不使用 I、O、S、V、Z）' : '';
      return { ok: false, reason: `第${i + 1}位“${c}”不是有效字符${hint}` };
    }
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { ok: false, reason: '第3至8位（登记管理机关行政区划码）应为数字' };
  const expected = checkCharacter(code.slice(0, 17));
  if (code[17] !== expected) return { ok: false, reason: `校验码错误：第18位应为“${expected}”，实为“${code[17]}”` };
  return { ok: true };
}

/** A valid code from its first 17 characters, for tests and demo data. */
export function makeCreditCode(prefix17: string): string {
  if (prefix17.length !== 17 || [...prefix17].some((c) => !CREDIT_CODE_ALPHABET.includes(c))) {
    throw new RangeError(`a credit code prefix is 17 characters of ${CREDIT_CODE_ALPHABET}`);
  }
  if (!/^\d{6}$/.test(prefix17.slice(2, 8))) throw new RangeError('characters 3–8 of a credit code are digits');
  return prefix17 + checkCharacter(prefix17);
}
