/**
 * A model's figures and registry parameters as a description list. Used in the
 * island's dialog and, rendered at build time without hydration, on the model
 * page, so both show the same fields the same way.
 */
import type { ReactNode } from 'react';
import { formatCount, formatDecimal, formatShare } from '../site/format.ts';
import { hfCommitUrl, hfRepoUrl } from '../site/urls.ts';
import { UsageUnavailable } from './ModelsTable.tsx';
import type { ModelRow } from './snapshot.ts';

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

/** One `<dt>`/`<dd>` pair; the space between them keeps the words apart in the search index. */
export function Item({ label, className, valueClass, children }: { label: string; className?: string; valueClass?: string; children: ReactNode }) {
  return (
    <div className={className}>
      <dt>{label}</dt> <dd className={valueClass}>{children}</dd>
    </div>
  );
}

function Missing({ what }: { what: string }) {
  return (
    <span className="muted" title={what}>
      –<span className="visually-hidden"> ({what})</span>
    </span>
  );
}

interface Props {
  row: ModelRow;
  epochId: number;
  usageUnavailable: string | null;
  /** Include weight, share, hosts, nodes and usage (the dialog); the model page shows those in its own table. */
  showFigures: boolean;
}

/** The model's details as a `<dl>`. */
export function ModelDetails({ row, epochId, usageUnavailable, showFigures }: Props) {
  const repoUrl = hfRepoUrl(row.hf_repo);
  const commitUrl = hfCommitUrl(row.hf_repo, row.hf_commit);
  const notInRegistry = 'not in the registry';
  return (
    <dl className="details">
      {showFigures && (
        <>
          <Item label="Total weight" valueClass="num-text">
            {formatCount(row.total_weight)}
          </Item>
          <Item label="Share" valueClass="num-text">
            {formatShare(row.share)}
          </Item>
          <Item label="Hosts" valueClass="num-text">
            {formatCount(row.participant_count)}
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
      <Item label="VRAM" valueClass="num-text">
        {row.v_ram === null ? <Missing what={notInRegistry} /> : `${formatCount(row.v_ram)} GB`}
      </Item>
      <Item label="Throughput per nonce" valueClass="num-text">
        {row.throughput_per_nonce === null ? <Missing what={notInRegistry} /> : formatCount(row.throughput_per_nonce)}
      </Item>
      <Item label="Compute units per token" valueClass="num-text">
        {row.units_of_compute_per_token === null ? <Missing what={notInRegistry} /> : formatCount(row.units_of_compute_per_token)}
      </Item>
      <Item label="Validation threshold" valueClass="num-text">
        {row.validation_threshold === null ? <Missing what={notInRegistry} /> : formatDecimal(row.validation_threshold)}
      </Item>
      <Item label="Proposed by" className="details__span2" valueClass="mono">
        {row.proposed_by ?? <Missing what={notInRegistry} />}
      </Item>
      <Item label="Hugging Face repo" className="details__wide" valueClass="mono">
        {row.hf_repo === null || row.hf_repo === '' ? (
          <Missing what={notInRegistry} />
        ) : repoUrl ? (
          <a href={repoUrl} rel="noopener noreferrer external">
            {row.hf_repo}
          </a>
        ) : (
          // Not an owner/name pair: shown as text, never turned into a link.
          row.hf_repo
        )}
      </Item>
      <Item label="Commit" className="details__wide" valueClass="mono">
        {row.hf_commit === null || row.hf_commit === '' ? (
          <Missing what={notInRegistry} />
        ) : commitUrl ? (
          <a href={commitUrl} rel="noopener noreferrer external">
            {row.hf_commit}
          </a>
        ) : (
          // Not 40 hex (or no linkable repo): shown as text.
          row.hf_commit
        )}
      </Item>
      <Item label="Model args" className="details__wide">
        {row.model_args === null ? (
          <Missing what={notInRegistry} />
        ) : row.model_args.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <code className="args">{row.model_args.join(' ')}</code>
        )}
      </Item>
      <Item label="Parameters from" className="details__wide">
        {describeParamsSource(row.params_source, epochId)}
      </Item>
    </dl>
  );
}
