/**
 * Minimal protobuf writer for `ActiveParticipants` (G activeparticipants.proto),
 * so `active_participants_bytes` is the real encoding of the served set, as on
 * a node, not a placeholder. Field numbers checked against the sample's bytes.
 */
import type { ParticipantRecord } from './hosts.ts';

class Writer {
  private readonly chunks: Buffer[] = [];

  private varint(v: number): void {
    const bytes: number[] = [];
    let n = v;
    while (n > 127) {
      bytes.push((n % 128) | 128);
      n = Math.floor(n / 128);
    }
    bytes.push(n);
    this.chunks.push(Buffer.from(bytes));
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  int(field: number, v: number): this {
    if (v !== 0) {
      this.tag(field, 0);
      this.varint(v);
    }
    return this;
  }

  string(field: number, s: string): this {
    if (s !== '') this.bytes(field, Buffer.from(s, 'utf8'));
    return this;
  }

  bytes(field: number, b: Buffer): this {
    this.tag(field, 2);
    this.varint(b.length);
    this.chunks.push(b);
    return this;
  }

  message(field: number, w: Writer): this {
    return this.bytes(field, w.finish());
  }

  packedBools(field: number, bools: readonly boolean[]): this {
    if (bools.length > 0) this.bytes(field, Buffer.from(bools.map((b) => (b ? 1 : 0))));
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Header fields of one ActiveParticipants record. */
export interface ActiveParticipantsHeader {
  epochId: number;
  pocStart: number;
  effective: number;
  createdAt: number;
}

/** Protobuf bytes of the stored ActiveParticipants value. */
export function encodeActiveParticipants(participants: readonly ParticipantRecord[], h: ActiveParticipantsHeader, epoch: number): Buffer {
  const root = new Writer();
  for (const p of participants) {
    const w = new Writer()
      .string(1, p.host.address)
      .string(2, p.host.validatorKey)
      .int(3, p.weight)
      .string(4, p.host.url);
    for (const m of p.models) w.string(5, m);
    if (p.seedSignature !== null) {
      w.message(6, new Writer().string(1, p.host.address).int(2, epoch).string(3, p.seedSignature));
    }
    for (const g of p.groups) {
      const gw = new Writer();
      for (const n of g) gw.message(1, new Writer().string(1, n.nodeId).int(3, n.pocWeight).packedBools(4, [true, n.preserved]));
      w.message(7, gw);
    }
    for (const v of p.votingPowers) w.message(8, new Writer().string(1, v.model).int(2, v.power));
    root.message(1, w);
  }
  root.int(2, h.epochId).int(3, h.pocStart).int(4, h.effective).int(5, h.createdAt).int(6, h.epochId);
  return root.finish();
}
