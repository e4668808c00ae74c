/**
 * Switchable faults for the fake node (tests only): each rule picks requests by
 * path and misbehaves the way real public nodes do — refuse, reset, hang, answer
 * slowly, answer 5xx/429, truncated or HTML bodies, schema-breaking edits of the
 * real body, or an over-large body.
 */

/** One way to misbehave. */
export type Fault =
  /** Any status with a body, e.g. 500/502/503, or 429 with a Retry-After header. */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Close the connection before answering. */
  | { kind: 'reset' }
  /** Send the headers and half the body, then close the connection. */
  | { kind: 'reset-mid-body' }
  /** Never answer. */
  | { kind: 'hang' }
  /** Answer correctly after `ms`. */
  | { kind: 'delay'; ms: number }
  /** Status 200 with the real JSON cut in half. */
  | { kind: 'truncate' }
  /** Status 200 with an HTML error page, as a misconfigured proxy sends. */
  | { kind: 'html' }
  /** The real JSON body, edited by `edit` (which may mutate it or return a replacement). */
  | { kind: 'mutate'; edit: (body: any) => unknown }
  /** The real body padded with spaces to `bytes`. */
  | { kind: 'pad'; bytes: number };

/** Which requests a fault hits, and how many times (default: every time). */
export interface FaultRule {
  /** Matched against the request path (a string must match exactly). */
  path: string | RegExp;
  fault: Fault;
  times?: number;
}

/** The rules in force on one node; `take` consumes a rule's remaining count. */
export class FaultPlan {
  private rules: { rule: FaultRule; left: number }[] = [];

  /** Replaces every rule. */
  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, left: rule.times ?? Infinity }));
  }

  /** The fault for this path, if a rule with uses left matches. */
  take(path: string): Fault | null {
    for (const r of this.rules) {
      const hit = typeof r.rule.path === 'string' ? r.rule.path === path : r.rule.path.test(path);
      if (hit && r.left > 0) {
        r.left--;
        return r.rule.fault;
      }
    }
    return null;
  }
}

/** The HTML error page a broken proxy serves with status 200. */
export const HTML_ERROR_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>\n';
