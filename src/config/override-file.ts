/**
 * Reading an installation's override file (the legal rules, the service levels): one way to read the
 * file, parse its JSON and turn schema issues into problems, so that every such file fails the same
 * way — an error that lists every problem with its path, naming the file it came from.
 */
import fs from 'node:fs';
import type { z } from 'zod';

export interface OverrideProblem { path: string; message: string }

/** The error class of one kind of override file: built from its problems and the file's description. */
export type OverrideErrorClass = new (problems: OverrideProblem[], origin: string) => Error;

/** `input` parsed when it is JSON text, as given otherwise (already parsed, or absent). */
export function parseOverrideText(input: unknown, origin: string, Failure: OverrideErrorClass): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch (e) {
    throw new Failure([{ path: '(file)', message: `not valid JSON: ${(e as Error).message}` }], origin);
  }
}

/** The text of the file at `filePath`; a missing or unreadable file is an error of the file's kind too. */
export function readOverrideFile(filePath: string, origin: string, Failure: OverrideErrorClass): string {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch (e) {
    throw new Failure([{ path: '(file)', message: `cannot read ${filePath}: ${(e as Error).message}` }], origin);
  }
}

/** A schema's issues as problems, each with its dotted path. */
export function schemaProblems(error: z.ZodError): OverrideProblem[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
}
