/**
 * A model's registry parameters as a snapshot row shows them: the chain's
 * fields (uint64 as decimal strings), its context length, and whether it is
 * still registered (docs/chain-api.md, "Registry"). Pure.
 */
import type { ChainModel } from '../chain/schemas.ts';
import type { ContextLength, ModelRow } from '../snapshot/schema.ts';

/** The row's parameter fields from a registry entry or a frozen snapshot; all null when there is none. */
export function paramsOf(model: ChainModel | undefined) {
  return {
    proposed_by: model ? model.proposed_by : null,
    v_ram: model ? String(model.v_ram) : null,
    throughput_per_nonce: model ? String(model.throughput_per_nonce) : null,
    units_of_compute_per_token: model ? String(model.units_of_compute_per_token) : null,
    hf_repo: model ? model.hf_repo : null,
    hf_commit: model ? model.hf_commit : null,
    model_args: model ? [...model.model_args] : null,
    validation_threshold: model?.validation_threshold ? { ...model.validation_threshold } : null,
    context_window: model ? model.context_window : null,
    quantization: model ? model.quantization : null,
    coins_per_input_token: model ? model.coins_per_input_token : null,
    coins_per_output_token: model ? model.coins_per_output_token : null,
  };
}

/** `--max-model-len N` or `--max-model-len=N` in vLLM arguments; the last one wins, as in vLLM. */
function maxModelLen(args: readonly string[]): string | null {
  let found: string | null = null;
  args.forEach((arg, i) => {
    const inline = /^--max-model-len=(\d+)$/.exec(arg);
    if (inline) found = inline[1]!;
    else if (arg === '--max-model-len' && /^\d+$/.test(args[i + 1] ?? '')) found = args[i + 1]!;
  });
  return found === null ? null : BigInt(found).toString();
}

/** The context length: the registry's `context_window` when set (not "0"), else `--max-model-len` from `model_args`. */
export function contextLengthOf(model: ChainModel | undefined): ContextLength {
  if (!model) return { tokens: null, source: null };
  if (model.context_window !== '0') return { tokens: model.context_window, source: 'context_window' };
  const len = maxModelLen(model.model_args);
  return len === null ? { tokens: null, source: null } : { tokens: len, source: 'max_model_len' };
}

/**
 * listed / removed / unregistered for one epoch. A registry read at a later
 * state (the epoch's own is pruned) cannot tell what was deleted after the
 * epoch formed, so a model registered at formation counts as listed then.
 */
export function registryStatusOf(inRegistryAsRead: boolean, registeredAtFormation: boolean, readAtOwnHeight: boolean): ModelRow['registry_status'] {
  if (inRegistryAsRead) return 'listed';
  if (!registeredAtFormation) return 'unregistered';
  return readAtOwnHeight ? 'removed' : 'listed';
}
