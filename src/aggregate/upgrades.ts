/**
 * The chain upgrades that change what an epoch's figures mean, and the pure
 * checks built on their heights (docs/chain-api.md, "Upgrades"). Heights come
 * from the chain's x/upgrade module; 0 means not applied (yet), null unknown.
 */

/** The upgrades the data step needs the heights of, by their on-chain names. */
export const UPGRADE_NAMES = ['v0.2.11', 'v0.2.12', 'v0.2.14'] as const;
export type UpgradeName = (typeof UPGRADE_NAMES)[number];

/** Height each upgrade ran at: 0 = not (yet) applied, null = the nodes could not tell. */
export type UpgradeHeights = Record<UpgradeName, number | null>;

/** What happened at each of them, for the run summary and the docs. */
export const UPGRADE_MEANING: Record<UpgradeName, string> = {
  'v0.2.11': 'the chain stopped counting usage per model; nodes may keep it instead',
  'v0.2.12': 'raw PoC weight is scaled per model; devshard inference begins',
  'v0.2.14': 'classic inference ended; all inference runs in devshard sessions',
};

/** Whether height `h` lies after the upgrade (the upgrade block's own state is already new); null when unknown. */
export function isAfter(upgrades: UpgradeHeights, name: UpgradeName, h: number): boolean | null {
  const at = upgrades[name];
  if (at === null) return null;
  return at > 0 && h >= at;
}

/**
 * Whether an epoch was formed with per-model weight scaling: its participant set
 * was written (`created_at_block_height`) by v0.2.12 code. The upgrade runs inside
 * an epoch, so that epoch itself was formed before it and keeps factor 1.
 */
export function formedWithPerModelScaling(upgrades: UpgradeHeights, createdAt: number): boolean | null {
  return isAfter(upgrades, 'v0.2.12', createdAt);
}
