/**
 * What a server value becomes on the wire: JSON turns dates into ISO strings and drops functions.
 * Server modules use it to check what they return against the shapes in `api.ts`.
 */
export type Wire<T> =
  T extends Date ? string
    : T extends (infer U)[] ? Wire<U>[]
      : T extends object ? { [K in keyof T]: Wire<T[K]> }
        : T;

/** `true` when a server value, once sent, has every field the browser reads, with the type it expects. */
export type Conforms<Server, Contract> = [Wire<Server>] extends [Contract] ? true : false;
