/**
 * Personal data of complainants and workers (ID numbers, phones, e-mail) is answered masked: enough to
 * tell two people apart and to check a number read out on the phone, not enough to misuse. The full
 * values go only to who may reveal them (src/auth/policy/case.ts), one case at a time, and each
 * reveal is in the audit log.
 */
import type { PartyRecord, WorkerRecord } from './store';

/** `410103199001011234` → `410103********1234`: the region and the last four stay. */
export function maskIdNumber(v: string | null): string | null {
  if (v === null) return null;
  if (v.length <= 6) return '*'.repeat(v.length);
  const keepEnd = v.length >= 15 ? 4 : 2;
  const keepStart = v.length >= 15 ? 6 : 2;
  return v.slice(0, keepStart) + '*'.repeat(v.length - keepStart - keepEnd) + v.slice(-keepEnd);
}

/** `13812345678` → `138****5678`; a landline keeps its area code and last four. */
export function maskPhone(v: string | null): string | null {
  if (v === null) return null;
  const digits = v.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(v.length);
  return digits.slice(0, 3) + '*'.repeat(digits.length - 7) + digits.slice(-4);
}

/** `zhang.san@example.cn` → `z***@example.cn`. */
export function maskEmail(v: string | null): string | null {
  if (v === null) return null;
  const at = v.indexOf('@');
  return at > 0 ? `${v[0]}***${v.slice(at)}` : '***';
}

export function maskParty<T extends Pick<PartyRecord, 'idNumber' | 'phone' | 'email'>>(p: T): T {
  return { ...p, idNumber: maskIdNumber(p.idNumber), phone: maskPhone(p.phone), email: maskEmail(p.email) };
}

export function maskWorker<T extends Pick<WorkerRecord, 'idNumber' | 'phone'>>(w: T): T {
  return { ...w, idNumber: maskIdNumber(w.idNumber), phone: maskPhone(w.phone) };
}
