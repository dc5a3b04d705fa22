// Rewrites a Parquet file's footer (its FileMetaData, in Thrift's compact encoding), to make the
// files other writers make: row groups without statistics, column names that differ only in case.
// For tests only. Field ids are the Parquet format's: FileMetaData 2 = schema, 4 = row_groups;
// RowGroup 1 = columns; ColumnChunk 3 = meta_data; ColumnMetaData 3 = path_in_schema,
// 12 = statistics; SchemaElement 4 = name.
import { readFileSync, writeFileSync } from 'node:fs';

// biome-ignore lint/suspicious/noExplicitAny: a Thrift value of any type
type ThriftValue = any;
export type ThriftField = { id: number; t: number; v: ThriftValue };
class FooterReader {
  p = 0;
  constructor(public b: Buffer) {}
  byte() {
    return this.b[this.p++] ?? 0;
  }
  varint(): bigint {
    let r = 0n,
      s = 0n;
    for (;;) {
      const x = this.byte();
      r |= BigInt(x & 0x7f) << s;
      s += 7n;
      if (!(x & 0x80)) return r;
    }
  }
  zigzag(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }
  val(t: number): ThriftValue {
    switch (t) {
      case 1:
        return true;
      case 2:
        return false;
      case 3:
        return this.byte();
      case 4:
      case 5:
      case 6:
        return this.zigzag();
      case 7: {
        const v = this.b.subarray(this.p, this.p + 8);
        this.p += 8;
        return Buffer.from(v);
      }
      case 8: {
        const n = Number(this.varint());
        const v = this.b.subarray(this.p, this.p + n);
        this.p += n;
        return Buffer.from(v);
      }
      case 9:
      case 10: {
        const h = this.byte();
        let n = h >> 4;
        const et = h & 15;
        if (n === 15) n = Number(this.varint());
        const items = [];
        for (let i = 0; i < n; i++) items.push(et === 1 || et === 2 ? this.byte() === 1 : this.val(et));
        return { et, items };
      }
      case 12:
        return this.struct();
      default:
        throw new Error(`type ${t}`);
    }
  }
  struct(): ThriftField[] {
    const fs: ThriftField[] = [];
    let last = 0;
    for (;;) {
      const h = this.byte();
      if (h === 0) return fs;
      const t = h & 15;
      const d = h >> 4;
      const id = d === 0 ? Number(this.zigzag()) : last + d;
      last = id;
      fs.push({ id, t, v: this.val(t) });
    }
  }
}
class FooterWriter {
  out: number[] = [];
  varint(n: bigint) {
    do {
      let x = Number(n & 0x7fn);
      n >>= 7n;
      if (n > 0n) x |= 0x80;
      this.out.push(x);
    } while (n > 0n);
  }
  zigzag(n: bigint) {
    this.varint(n >= 0n ? n << 1n : (-n << 1n) - 1n);
  }
  val(t: number, v: ThriftValue) {
    switch (t) {
      case 1:
      case 2:
        return;
      case 3:
        this.out.push(v);
        return;
      case 4:
      case 5:
      case 6:
        this.zigzag(BigInt(v));
        return;
      case 7:
        this.out.push(...v);
        return;
      case 8:
        this.varint(BigInt(v.length));
        this.out.push(...v);
        return;
      case 9:
      case 10: {
        const n = v.items.length;
        if (n < 15) this.out.push((n << 4) | v.et);
        else {
          this.out.push(0xf0 | v.et);
          this.varint(BigInt(n));
        }
        for (const it of v.items) {
          if (v.et === 1 || v.et === 2) this.out.push(it ? 1 : 2);
          else this.val(v.et, it);
        }
        return;
      }
      case 12:
        this.struct(v);
        return;
      default:
        throw new Error(`type ${t}`);
    }
  }
  struct(fs: ThriftField[]) {
    let last = 0;
    for (const f of fs) {
      const t = f.t === 1 || f.t === 2 ? (f.v ? 1 : 2) : f.t;
      const d = f.id - last;
      if (d > 0 && d <= 15) this.out.push((d << 4) | t);
      else {
        this.out.push(t);
        this.zigzag(BigInt(f.id));
      }
      last = f.id;
      this.val(f.t, f.v);
    }
    this.out.push(0);
  }
}
export function rewriteFooter(path: string, edit: (meta: ThriftField[]) => void) {
  const b = readFileSync(path);
  const len = b.readUInt32LE(b.length - 8);
  const start = b.length - 8 - len;
  const meta = new FooterReader(b.subarray(start, b.length - 8)).struct();
  edit(meta);
  const w = new FooterWriter();
  w.struct(meta);
  const foot = Buffer.from(w.out);
  const l = Buffer.alloc(4);
  l.writeUInt32LE(foot.length);
  writeFileSync(path, Buffer.concat([b.subarray(0, start), foot, l, Buffer.from('PAR1')]));
}
export const field = (fs: ThriftField[], id: number) => fs.find((f) => f.id === id);
/** Each column chunk's ColumnMetaData, with its row group index. */
export function chunks(meta: ThriftField[]): { rg: number; md: ThriftField[] }[] {
  const out: { rg: number; md: ThriftField[] }[] = [];
  field(meta, 4)?.v.items.forEach((rg: ThriftField[], i: number) => {
    for (const cc of (field(rg, 1)?.v.items ?? []) as ThriftField[][])
      out.push({ rg: i, md: field(cc, 3)?.v });
  });
  return out;
}
export const pathOf = (md: ThriftField[]) =>
  ((field(md, 3)?.v.items ?? []) as Buffer[]).map((x) => x.toString()).join('.');
