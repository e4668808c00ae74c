/** Errors of the chain client. Each names the request, the node and the cause. */

/**
 * How a failed attempt is handled:
 * transient: retried on the same node with backoff, then the next node;
 * unavailable: the node lacks that history (pruned state or blocks): next node, no retry;
 * rejected: the node answered 4xx definitively (bad request, not found): next node, no retry;
 * failed: the node answered another 5xx (its chain unreachable, an internal error): next node, no retry;
 * invalid: the body is not JSON or breaks the schema: next node, no retry.
 */
export type FailureKind = 'transient' | 'unavailable' | 'rejected' | 'failed' | 'invalid';

const KIND_LABEL: Record<FailureKind, string> = {
  transient: 'no answer',
  unavailable: 'history not available',
  rejected: 'request refused',
  failed: 'node error',
  invalid: 'invalid response',
};

/** One line per node and distinct cause, with a count for repeats. */
function summarise(failures: AttemptFailure[]): string {
  const lines = new Map<string, number>();
  for (const f of failures) {
    const line = `  - ${f.node}: ${f.status === null ? '' : `HTTP ${f.status} `}${f.message}`;
    lines.set(line, (lines.get(line) ?? 0) + 1);
  }
  return [...lines].map(([line, n]) => (n > 1 ? `${line} (×${n})` : line)).join('\n');
}

/** One failed attempt on one node. */
export interface AttemptFailure {
  node: string;
  kind: FailureKind;
  status: number | null;
  message: string;
}

/** A request that no node answered usefully. `kind` is the most telling failure over all nodes. */
export class ChainRequestError extends Error {
  override name = 'ChainRequestError';
  constructor(
    readonly request: string,
    readonly kind: FailureKind,
    readonly status: number | null,
    readonly failures: AttemptFailure[],
  ) {
    super(`GET ${request} failed on every node (${KIND_LABEL[kind]}):\n${summarise(failures)}`);
  }

  /** The message of the node answer that decided the kind, e.g. the pruned-height text. */
  get reason(): string {
    const f = this.failures.find((x) => x.kind === this.kind) ?? this.failures[0];
    return f ? f.message : this.message;
  }
}
