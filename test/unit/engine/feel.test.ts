import {
  checkExprSyntax,
  checkFeelSyntax,
  evaluateCondition,
  evaluateExpr,
  evaluateFeel,
  evaluateFeelDetailed,
  evaluateString,
  evaluateStringList,
  feelCacheSize,
  FeelError,
} from '../../../src/engine/feel/feel';

describe('FEEL syntax check', () => {
  it.each([
    'amount > 5',
    'amount > 5 and claims[1].kind = "wage"',
    'sum(for c in claims return c.amount) >= 10000',
    'if approved then "立案" else "不予立案"',
    'x in (> 5, < 10)',
    'x in [1..5]',
    'date and time("2026-10-13T09:00:00+08:00") + duration("P3D")',
    '{a: 1, b: [1, 2]}.b[2]',
  ])('accepts %s', (text) => {
    expect(checkFeelSyntax(text)).toBeNull();
  });

  it.each([
    ['amount >== 5', /comparison needs a value/],
    ['a != >5', /comparison needs a value/],
    ['> 5', /comparison needs a value/],
    ['if x then', /end of expression/],
    ['foo(', /end of expression/],
    ['x > 1 and', /end of expression/],
    ['"abc', /unexpected/],
    ['', /empty/],
  ])('refuses %s', (text, message) => {
    expect(checkFeelSyntax(text)).toMatch(message);
  });

  it('checks only "=" expressions; anything else is a literal', () => {
    expect(checkExprSyntax('amount >== 5')).toBeNull();
    expect(checkExprSyntax('=amount >== 5')).toMatch(/comparison/);
    expect(checkExprSyntax('=amount >= 5')).toBeNull();
  });
});

describe('FEEL evaluation', () => {
  it('evaluates with the given variables and returns plain values', () => {
    expect(evaluateFeel('amount > 5', { amount: 10 })).toBe(true);
    expect(evaluateFeel('sum(claims.amount)', { claims: [{ amount: 1 }, { amount: 2.5 }] })).toBe(3.5);
    expect(evaluateFeel('{name: party.name, n: count(items)}', { party: { name: '张三' }, items: [1, 2] })).toEqual({ name: '张三', n: 2 });
  });

  it('gives dates, date-times and durations as ISO strings', () => {
    expect(evaluateFeel('date("2026-09-30") + duration("P13D")')).toBe('2026-10-13');
    expect(evaluateFeel('duration("P3D")')).toBe('P3D');
    expect(evaluateFeel('@"2026-10-13T09:00:00@Asia/Shanghai" + duration("PT1H")')).toBe('2026-10-13T10:00:00+08:00');
    expect(evaluateFeel('date and time("2026-10-13T01:00:00Z")')).toBe('2026-10-13T01:00:00Z');
    expect(evaluateFeel('[date("2026-01-01")]')).toEqual(['2026-01-01']);
  });

  it('lets now() and today() follow the given clock', () => {
    const now = new Date('2026-10-12T17:00:00Z'); // already the 13th in China
    expect(evaluateFeel('now()', {}, { now })).toBe('2026-10-12T17:00:00Z');
    expect(evaluateFeel('today()', {}, { now })).toBe('2026-10-13');
    expect(evaluateFeel('now() + duration("P1D")', {}, { now })).toBe('2026-10-13T17:00:00Z');
  });

  it('gives null with a warning for a missing variable, as Zeebe does', () => {
    const r = evaluateFeelDetailed('missing.x', {});
    expect(r.value).toBeNull();
    expect(r.warnings.map((w) => w.type)).toContain('NO_VARIABLE_FOUND');
  });

  it('raises FeelError for syntax errors and failed evaluations', () => {
    expect(() => evaluateFeel('amount >== 5', { amount: 1 })).toThrow(FeelError);
    try {
      evaluateFeel('if x then', {});
    } catch (e) {
      expect(e).toBeInstanceOf(FeelError);
      expect((e as FeelError).kind).toBe('syntax');
      expect((e as FeelError).expression).toBe('if x then');
    }
  });

  it('follows Zeebe: "=" is FEEL, anything else a literal string', () => {
    expect(evaluateExpr('register-case', { x: 1 })).toBe('register-case');
    expect(evaluateExpr('=x + 1', { x: 1 })).toBe(2);
    expect(evaluateExpr('="collect-" + kind', { kind: 'payroll' })).toBe('collect-payroll');
  });

  it('checks the type of conditions and strings', () => {
    expect(evaluateCondition('a = 1', { a: 1 })).toBe(true);
    expect(() => evaluateCondition('a', { a: 'yes' })).toThrow(/boolean/);
    expect(() => evaluateCondition('missing > 1', {})).toThrow(FeelError);
    expect(evaluateString('=caseId', { caseId: 42 })).toBe('42');
    expect(() => evaluateString('=x', { x: [1] })).toThrow(/string/);
    expect(evaluateStringList('legal, supervisor', {})).toEqual(['legal', 'supervisor']);
    expect(evaluateStringList('=["a", "b"]', {})).toEqual(['a', 'b']);
  });

  it('caches each expression once and still evaluates with fresh variables', () => {
    const text = `amount * ${Math.random()}`;
    const before = feelCacheSize();
    const a = evaluateFeel(text, { amount: 1 });
    const b = evaluateFeel(text, { amount: 2 });
    expect(feelCacheSize()).toBe(before + 1);
    expect(b).toBeCloseTo((a as number) * 2);
  });

  it('passes names with spaces through, since they change how FEEL reads the expression', () => {
    expect(evaluateFeel('due date + 1', { 'due date': 1, other: 5 })).toBe(2);
  });

  it('does not hand out a cached constant that callers could change', () => {
    const first = evaluateFeel('{a: [1, 2]}') as { a: number[] };
    first.a.push(3);
    expect(evaluateFeel('{a: [1, 2]}')).toEqual({ a: [1, 2] });
  });

  it('hands the evaluation only the variables the expression names, however many are in scope', () => {
    // Copying every variable of a case into each evaluation made conditions slow with many variables in
    // scope; the cache knows the names an expression uses, and the others must not even be read.
    const context: Record<string, unknown> = { amount: 10 };
    let reads = 0;
    for (let i = 0; i < 50; i++) {
      Object.defineProperty(context, `v${i}`, { enumerable: true, get: () => { reads++; return { nested: { list: [1, 2, 3] } }; } });
    }
    expect(evaluateFeel('amount > 5', context)).toBe(true);
    expect(evaluateFeel('amount > 5', context)).toBe(true);
    expect(reads).toBe(0);
    expect(evaluateFeel('v3.nested.list[2]', context)).toBe(2);
    expect(reads).toBe(1);
  });
});
