// Type declarations for the two readers the .keras loader uses (neither ships its own), limited to what it calls.
declare module 'jsfive' {
  export class Dataset {
    readonly shape: number[];
    readonly dtype: string | unknown;
    readonly value: ArrayLike<number>;
  }
  export class Group {
    readonly keys: string[];
    get(path: string): Group | Dataset | null;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename: string);
  }
}

declare module 'yauzl' {
  import type { Readable } from 'stream';
  export interface Entry {
    fileName: string;
    uncompressedSize: number;
    compressedSize: number;
  }
  export interface ZipFile {
    entryCount: number;
    readEntry(): void;
    openReadStream(entry: Entry, cb: (err: Error | null, stream: Readable) => void): void;
    on(event: 'entry', cb: (e: Entry) => void): this;
    on(event: 'end', cb: () => void): this;
    on(event: 'error', cb: (e: Error) => void): this;
    close(): void;
  }
  export function fromBuffer(buffer: Buffer, options: { lazyEntries: true; validateEntrySizes?: boolean }, cb: (err: Error | null, zip: ZipFile) => void): void;
}
