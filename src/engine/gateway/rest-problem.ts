/**
 * A refusal of the REST gateway: the HTTP status and the problem title (a stable code) that Camunda's
 * REST API answers with, and a sentence for the detail.
 */
export class Problem extends Error {
  constructor(readonly status: number, readonly title: string, detail: string) {
    super(detail);
  }
}

export type Json = Record<string, unknown>;
