// tfjs-node's file:// convention: everything after the scheme is a filesystem path, relative ones included
// ('file://./data.csv', 'file://model-dir', 'file:///abs/path'); not a WHATWG file URL.
export const FILE_SCHEME = 'file://';

/** The filesystem path of a 'file://...' source as tfjs-node reads it; any other string is returned unchanged. */
export function filePathOf(source: string): string {
  return source.startsWith(FILE_SCHEME) ? source.slice(FILE_SCHEME.length) : source;
}
