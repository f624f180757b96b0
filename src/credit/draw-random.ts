/**
 * The computation of a random draw (双随机): a pure function of a seed and the registers it draws from,
 * so that anyone holding the stored seed and inputs gets the same employers and the same inspectors
 * again. No clock, no database, no Math.random: a seeded generator (xoshiro128**, state from the
 * seed's SHA-256) and inputs in a canonical order (sorted by id), serialised once to JSON; the stored
 * text's hash is what a check compares.
 *
 * Employers are drawn without replacement weighted by their credit grade (Efraimidis–Spirakis: each
 * gets the key ln(u)/w and the largest keys win), then each drawn employer gets its inspectors drawn
 * from those of the register who are not in conflict with it: recused for it, or (when the office
 * says so) assigned to its own grid.
 */
import crypto from 'node:crypto';

export type GradeKey = 'A' | 'B' | 'C' | '-';

export interface DrawParams {
  /** Percentage of the employer register to draw, 0 < p ≤ 100. */
  proportionPercent: number;
  /** Inspectors sent to each drawn employer. */
  perEmployer: number;
  /** Whether an inspector assigned to the employer's own grid is excluded. */
  excludeGridInspector: boolean;
  /** Relative weight by grade in force; '-' = not graded. */
  weights: Record<GradeKey, number>;
  /**
   * Every C-graded employer is drawn (C is a key target, "always in random draws"), and the rest of the
   * sample is drawn from the others; absent in draws stored before the option, which drew C by weight only.
   */
  alwaysGradeC?: boolean;
}

/** Everything a draw reads, in canonical order: the registers' snapshot. */
export interface DrawInputs {
  version: 1;
  params: DrawParams;
  /** Grid ids the employers and inspectors refer to by index. */
  grids: string[];
  /** [employer id, grid index or -1, grade in force], sorted by id. */
  employers: [string, number, GradeKey][];
  /** [user id, indexes of the grids the user is assigned to], sorted by id. */
  inspectors: [string, number[]][];
  /** [user id, employer id] of recorded recusals, sorted. */
  recusals: [string, string][];
}

/** The drawn employers in the order drawn, each with its inspectors (user ids). */
export interface DrawResult {
  picks: [string, string[]][];
}

export class DrawShortage extends Error {
  constructor(readonly employerId: string, readonly eligible: number) {
    super(`employer ${employerId} has ${eligible} eligible inspectors`);
  }
}

export const sha256 = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');

/** A fresh seed: 32 random bytes as hex. */
export function newSeed(): string {
  return crypto.randomBytes(32).toString('hex');
}

/** xoshiro128**: small, fast, and the same sequence on every platform for the same seed. */
export function seededRandom(seed: string): () => number {
  const h = crypto.createHash('sha256').update(`random-draw:${seed}`).digest();
  let a = h.readUInt32LE(0), b = h.readUInt32LE(4), c = h.readUInt32LE(8), d = h.readUInt32LE(12);
  if ((a | b | c | d) === 0) a = 1;
  return () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = rotl(d, 11);
    // Strictly between 0 and 1, so that ln(u) is finite.
    return (r + 0.5) / 4294967296;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** How many employers a proportion of the register draws: rounded up, at least one. */
export function drawSize(registerSize: number, proportionPercent: number): number {
  return Math.min(registerSize, Math.max(1, Math.ceil((registerSize * proportionPercent) / 100 - 1e-9)));
}

/**
 * Draws from the inputs with the seed. Throws DrawShortage when a drawn employer has fewer eligible
 * inspectors than `perEmployer`.
 */
export function computeDraw(seed: string, inputs: DrawInputs): DrawResult {
  const rnd = seededRandom(seed);
  const { params } = inputs;
  const n = inputs.employers.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = params.weights[inputs.employers[i][2]] ?? 0;
    keys[i] = w > 0 ? Math.log(rnd()) / w : -Infinity;
  }
  const k = drawSize(n, params.proportionPercent);
  const order = Array.from({ length: n }, (_, i) => i).filter((i) => keys[i] > -Infinity);
  order.sort((x, y) => keys[y] - keys[x] || x - y);
  const chosen = params.alwaysGradeC ? gradeCFirst(inputs, order, keys, k) : order.slice(0, k);

  // Conflicts looked up by index: per grid, which inspectors hold it; per employer, who is recused.
  const nInspectors = inputs.inspectors.length;
  const inspectorIndex = new Map(inputs.inspectors.map(([u], j) => [u, j]));
  const ofGrid = new Map<number, Uint8Array>();
  inputs.inspectors.forEach(([, grids], j) => {
    for (const g of grids) {
      let flags = ofGrid.get(g);
      if (!flags) ofGrid.set(g, (flags = new Uint8Array(nInspectors)));
      flags[j] = 1;
    }
  });
  const recusedFor = new Map<string, Set<number>>();
  for (const [u, e] of inputs.recusals) {
    const j = inspectorIndex.get(u);
    if (j === undefined) continue;
    const set = recusedFor.get(e) ?? new Set<number>();
    set.add(j);
    recusedFor.set(e, set);
  }
  const picks: [string, string[]][] = [];
  const eligible: number[] = [];
  for (const i of chosen) {
    const [employerId, grid] = inputs.employers[i];
    const gridFlags = params.excludeGridInspector && grid >= 0 ? ofGrid.get(grid) : undefined;
    const recused = recusedFor.get(employerId);
    eligible.length = 0;
    for (let j = 0; j < nInspectors; j++) {
      if (gridFlags && gridFlags[j]) continue;
      if (recused && recused.has(j)) continue;
      eligible.push(j);
    }
    if (eligible.length < params.perEmployer) throw new DrawShortage(employerId, eligible.length);
    // Partial Fisher–Yates: the first perEmployer places are a uniform draw without replacement.
    for (let m = 0; m < params.perEmployer; m++) {
      const r = m + Math.floor(rnd() * (eligible.length - m));
      [eligible[m], eligible[r]] = [eligible[r], eligible[m]];
    }
    picks.push([employerId, eligible.slice(0, params.perEmployer).map((j) => inputs.inspectors[j][0])]);
  }
  return { picks };
}

/**
 * Every C-graded employer (by its random key, a C of weight 0 last), then the others in key order until
 * the sample holds `k`; more than `k` when the C-graded alone outnumber it.
 */
function gradeCFirst(inputs: DrawInputs, order: number[], keys: Float64Array, k: number): number[] {
  const isC = (i: number) => inputs.employers[i][2] === 'C';
  const gradeC = inputs.employers.map((_, i) => i).filter(isC).sort((x, y) => (keys[y] - keys[x]) || x - y);
  const rest = order.filter((i) => !isC(i)).slice(0, Math.max(0, k - gradeC.length));
  return [...gradeC, ...rest];
}

/** The canonical text of the inputs: what is stored and hashed. */
export function inputsText(inputs: DrawInputs): string {
  return JSON.stringify(inputs);
}

export function resultText(result: DrawResult): string {
  return JSON.stringify(result);
}

export interface DrawCheck {
  /** The stored inputs hash to the stored hash: the inputs are those the draw was made from. */
  inputsIntact: boolean;
  /** Recomputing from the seed and the stored inputs gives the stored result. */
  resultMatches: boolean;
  /** The stored result hashes to the stored hash. */
  resultIntact: boolean;
  /** Set when the recomputation itself could not draw (e.g. inputs altered to leave too few inspectors). */
  problem: string | null;
}

/** Recomputes a stored draw and compares it with what was stored. */
export function checkDraw(stored: { seed: string; inputsJson: string; inputsSha256: string; resultJson: string; resultSha256: string }): DrawCheck {
  const inputsIntact = sha256(stored.inputsJson) === stored.inputsSha256;
  const resultIntact = sha256(stored.resultJson) === stored.resultSha256;
  try {
    const again = resultText(computeDraw(stored.seed, JSON.parse(stored.inputsJson) as DrawInputs));
    return { inputsIntact, resultIntact, resultMatches: again === stored.resultJson, problem: null };
  } catch (e) {
    return { inputsIntact, resultIntact, resultMatches: false, problem: e instanceof Error ? e.message : String(e) };
  }
}
