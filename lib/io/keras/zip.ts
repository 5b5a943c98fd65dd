// Reads the members of a .keras archive through yauzl, refusing before decompression what could not be a model:
// too many entries, or a member larger than its limit (yauzl itself checks offsets and the declared sizes).
import * as yauzl from 'yauzl';
import { ModelFileError } from '../model_files';

export interface ZipLimits {
  /** Largest accepted uncompressed size per member name (bytes); other members are skipped unread. */
  wanted: Record<string, number>;
  maxEntries: number;
}

export function readZipMembers(file: string, bytes: Buffer, limits: ZipLimits): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const fail = (msg: string) => reject(new ModelFileError(`${file}: ${msg}`));
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err) return fail(`not a readable zip archive (${err.message})`);
      if (zip.entryCount > limits.maxEntries) {
        zip.close();
        return fail(`${zip.entryCount} entries; a .keras file has a handful (limit ${limits.maxEntries})`);
      }
      const out = new Map<string, Buffer>();
      zip.on('error', (e) => fail(`damaged zip archive (${e.message})`));
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry) => {
        const limit = limits.wanted[entry.fileName];
        if (limit === undefined) return zip.readEntry();
        if (out.has(entry.fileName)) return fail(`the archive holds '${entry.fileName}' twice`);
        if (entry.uncompressedSize > limit) return fail(`'${entry.fileName}' is ${entry.uncompressedSize} bytes uncompressed (limit ${limit})`);
        zip.openReadStream(entry, (e, stream) => {
          if (e) return fail(`cannot read '${entry.fileName}' (${e.message})`);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (se: Error) => fail(`cannot read '${entry.fileName}' (${se.message})`));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
