/**
 * A model's figures and registry parameters as a description list. Used in the
 * island's dialog and, rendered at build time without hydration, on the model
 * page, so both show the same fields the same way.
 *
 * Nothing unknown is shown as 0: a missing figure is "–" with its reason, a
 * registry field the chain sends as `"0"` or `""` is "not set", and a price or
 * capacity the chain does not publish says so with the reason it gives.
 */
import type { ReactNode } from 'react';
import { formatCount, formatDecimal, formatDecimalText, formatShare } from '../display/format.ts';
import { hfCommitUrl, hfRepoUrl } from '../display/paths.ts';
import { NO_FACTOR, NOT_COUNTED, Unknown, UsageUnavailable } from './Missing.tsx';
import type { ModelRow as IslandRow } from './epoch-data.ts';

/** A row as the details show it: the island's or a snapshot's (no URLs needed). */
type ModelRow = Omit<IslandRow, 'page_url' | 'json_url'>;

/** Where a row's parameters come from, in words. */
export function describeParamsSource(source: ModelRow['params_source'], epochId: number): string {
  const at = source.height === null ? '' : ` at height ${formatCount(source.height)}`;
  switch (source.kind) {
    case 'epoch_snapshot':
      return `Model snapshot frozen when epoch ${epochId} formed${at}`;
    case 'registry_at_height':
      return `Model registry${at}`;
    case 'registry_nearest':
      return `Model registry, nearest state still served${at}`;
    case 'none':
      return 'Not in the model registry';
  }
}

/** The weight scale factor as an exact decimal; null when unknown (a null factor otherwise means 1). */
export function weightScaleFactor(scale: ModelRow['weight_scale']): string | null {
  if (scale.factor) return formatDecimal(scale.factor);
  return scale.source === 'unknown' ? null : '1';
}

/** Where the weight scale factor was read, in words (docs/chain-api.md, "Weight"); `@` stands for " at height H". */
const SCALE_SOURCES: Record<ModelRow['weight_scale']['source'], string> = {
  confirmation_weight_scales: 'frozen when the epoch formed',
  params_at_formation: 'chain params@',
  params_later_state: "a later state@, may differ from the epoch's",
  before_per_model_scaling: 'factor 1: epoch formed before per-model scaling',
  unknown: 'unknown',
};

/** Where the weight scale factor was read, in words. */
export function describeWeightScale(scale: ModelRow['weight_scale']): string {
  return SCALE_SOURCES[scale.source].replace('@', scale.height === null ? '' : ` at height ${formatCount(scale.height)}`);
}

/** The row's registry status in words. */
export const REGISTRY_STATUS: Record<ModelRow['registry_status'], string> = {
  listed: 'in the registry',
  removed: 'removed from the registry during this epoch',
  unregistered: 'not in the registry (not a governance model)',
};

/** One `<dt>`/`<dd>` pair; the space between them keeps the words apart in the search index. */
export function Item({ label, className, valueClass, children }: { label: string; className?: string; valueClass?: string; children: ReactNode }) {
  return (
    <div className={className}>
      <dt>{label}</dt> <dd className={valueClass}>{children}</dd>
    </div>
  );
}

/** A short line under a value (the space keeps the words apart when copied or indexed). */
function Note({ children }: { children: ReactNode }) {
  return (
    <>
      {' '}
      <small className="details__note">{children}</small>
    </>
  );
}

const NOT_IN_REGISTRY = 'not in the registry';

/**
 * A registry string, linked when `url` is set: the paths module gives a URL only for a
 * well-formed owner/name (and 40-hex commit), so anything else stays text, never a link.
 */
function RegistryLink({ value, url }: { value: string | null; url: string | null }) {
  if (value === null || value === '') return <Unknown reason={NOT_IN_REGISTRY} />;
  return url ? (
    <a href={url} rel="noopener noreferrer external">
      {value}
    </a>
  ) : (
    <>{value}</>
  );
}

/** A registry field as the chain sends it: null when not in the registry, `"0"`/`""` when not set. */
function RegistryValue({ value, show }: { value: string | null; show?: (v: string) => ReactNode }) {
  if (value === null) return <Unknown reason={NOT_IN_REGISTRY} />;
  if (value === '' || value === '0') return <span className="muted">not set</span>;
  return <>{show ? show(value) : value}</>;
}

/** Which groups of fields to show. */
export type DetailSection = 'figures' | 'epoch' | 'registry';

interface Props {
  row: ModelRow;
  epochId: number;
  usageUnavailable: string | null;
  /**
   * figures: weight, share, hosts, nodes and usage (the dialog; the model page has its own headline);
   * epoch: weight scale, exclusions, registry status, context length, price, capacity of this epoch;
   * registry: the registry parameters.
   */
  sections: readonly DetailSection[];
}

/** The model's details as a `<dl>`. */
export function ModelDetails({ row, epochId, usageUnavailable, sections }: Props) {
  const repoUrl = hfRepoUrl(row.hf_repo);
  const commitUrl = hfCommitUrl(row.hf_repo, row.hf_commit);
  const factor = weightScaleFactor(row.weight_scale);
  const price = row.price;
  return (
    <dl className="details">
      {sections.includes('figures') && (
        <>
          <Item label="Effective weight" valueClass="num-text">
            {row.effective_weight === null ? <Unknown reason={NO_FACTOR} /> : formatCount(row.effective_weight)}
          </Item>
          <Item label="Raw PoC weight" valueClass="num-text">
            {formatCount(row.total_weight)}
          </Item>
          <Item label="Share" valueClass="num-text">
            {row.share === null ? <Unknown reason="effective weight unknown" /> : formatShare(row.share)}
            <Note>of effective weight; raw {formatShare(row.raw_share)}</Note>
          </Item>
          <Item label="Hosts" valueClass="num-text">
            {formatCount(row.participant_count)}
            {row.excluded_hosts > 0 && <Note>{formatCount(row.excluded_hosts)} excluded by the chain</Note>}
          </Item>
          <Item label="ML nodes" valueClass="num-text">
            {formatCount(row.ml_nodes)}
          </Item>
          <Item label="Inferences" valueClass="num-text">
            {row.inferences === null ? <UsageUnavailable reason={usageUnavailable} /> : formatCount(row.inferences)}
          </Item>
          <Item label="AI tokens" valueClass="num-text">
            {row.ai_tokens === null ? <UsageUnavailable reason={usageUnavailable} /> : formatCount(row.ai_tokens)}
          </Item>
        </>
      )}
      {sections.includes('epoch') && (
        <>
          <Item label="Weight scale factor" valueClass="num-text" className="details__span2">
            {factor === null ? <Unknown reason="could not be read" /> : factor}
            <Note>{describeWeightScale(row.weight_scale)}</Note>
          </Item>
          <Item label="Counts toward consensus">
            {row.weight_scale.eligible === null ? (
              <Unknown reason="unknown" />
            ) : row.weight_scale.eligible ? (
              'yes'
            ) : (
              <>
                no<Note>{NOT_COUNTED}</Note>
              </>
            )}
          </Item>
          <Item label="Excluded hosts" valueClass="num-text">
            {row.excluded_hosts === 0 ? (
              <span className="muted">none</span>
            ) : (
              <>
                {formatCount(row.excluded_hosts)} {row.excluded_hosts === 1 ? 'host' : 'hosts'}
                <Note>{formatCount(row.excluded_weight)} raw weight</Note>
              </>
            )}
          </Item>
          <Item label="Registry status">{REGISTRY_STATUS[row.registry_status]}</Item>
          <Item label="Context length" valueClass="num-text">
            {row.context_length.tokens === null ? (
              <Unknown reason="neither context_window nor --max-model-len gives one" />
            ) : (
              <>
                {formatCount(row.context_length.tokens)} tokens
                <Note>from {row.context_length.source === 'max_model_len' ? <code>--max-model-len</code> : <code>context_window</code>}</Note>
              </>
            )}
          </Item>
          <Item label="Price" className="details__span2">
            {price.gnk_per_million_tokens !== null ? (
              <>
                <span className="num-text">{formatDecimalText(price.gnk_per_million_tokens)}</span> GNK per 1M tokens
                {price.ngonka_per_token !== null && (
                  <Note>
                    <span className="num-text">{formatCount(price.ngonka_per_token)}</span> ngonka per token
                  </Note>
                )}
              </>
            ) : (
              <>
                Not published{price.unavailable && <Note>{price.unavailable}</Note>}
              </>
            )}
          </Item>
          <Item label="Capacity" valueClass="num-text">
            {row.capacity.value !== null ? (
              formatCount(row.capacity.value)
            ) : (
              <>
                Not published{row.capacity.unavailable && <Note>{row.capacity.unavailable}</Note>}
              </>
            )}
          </Item>
        </>
      )}
      {sections.includes('registry') && (
        <>
          <Item label="VRAM" valueClass="num-text">
            {row.v_ram === null ? <Unknown reason={NOT_IN_REGISTRY} /> : `${formatCount(row.v_ram)} GB`}
          </Item>
          <Item label="Throughput per nonce" valueClass="num-text">
            {row.throughput_per_nonce === null ? <Unknown reason={NOT_IN_REGISTRY} /> : formatCount(row.throughput_per_nonce)}
          </Item>
          <Item label="Compute units per token" valueClass="num-text">
            {row.units_of_compute_per_token === null ? <Unknown reason={NOT_IN_REGISTRY} /> : formatCount(row.units_of_compute_per_token)}
          </Item>
          <Item label="Validation threshold" valueClass="num-text">
            {row.validation_threshold === null ? <Unknown reason={NOT_IN_REGISTRY} /> : formatDecimal(row.validation_threshold)}
          </Item>
          <Item label="Context window" valueClass="num-text">
            <RegistryValue value={row.context_window} show={(v) => `${formatCount(v)} tokens`} />
          </Item>
          <Item label="Quantization">
            <RegistryValue value={row.quantization} />
          </Item>
          <Item label="Coins per input token" valueClass="num-text">
            <RegistryValue value={row.coins_per_input_token} show={formatCount} />
          </Item>
          <Item label="Coins per output token" valueClass="num-text">
            <RegistryValue value={row.coins_per_output_token} show={formatCount} />
          </Item>
          <Item label="Proposed by" className="details__span2" valueClass="mono">
            {row.proposed_by ?? <Unknown reason={NOT_IN_REGISTRY} />}
          </Item>
          <Item label="Hugging Face repo" className="details__wide" valueClass="mono">
            <RegistryLink value={row.hf_repo} url={repoUrl} />
          </Item>
          <Item label="Commit" className="details__wide" valueClass="mono">
            <RegistryLink value={row.hf_commit} url={commitUrl} />
          </Item>
          <Item label="Model args" className="details__wide">
            {row.model_args === null ? (
              <Unknown reason={NOT_IN_REGISTRY} />
            ) : row.model_args.length === 0 ? (
              <span className="muted">none</span>
            ) : (
              <code className="args">{row.model_args.join(' ')}</code>
            )}
          </Item>
          <Item label="Parameters from" className="details__wide">
            {describeParamsSource(row.params_source, epochId)}
          </Item>
        </>
      )}
    </dl>
  );
}
