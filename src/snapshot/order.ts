/**
 * The one order of chain strings (model ids, addresses) in snapshots and pages:
 * by UTF-16 code unit, which for the chain's ASCII ids is its own bytewise key
 * order. Pure; shared by the data step, the build and the island.
 */

/** -1, 0 or 1 comparing two chain strings. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
