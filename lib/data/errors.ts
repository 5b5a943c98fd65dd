// Typed errors of the data loaders: malformed files, missing files, failed downloads.

import { TensornodeError } from '../errors';

/** A data file exists but its contents are malformed (bad magic, wrong size, truncated, label out of range). */
export class DataFormatError extends TensornodeError {}

/** The files a loader needs are not where it was told to look. */
export class DataNotFoundError extends TensornodeError {}

/** A download failed (offline, HTTP error, timeout); the message says how to proceed without the network. */
export class DownloadError extends TensornodeError {}

/** A downloaded file did not match its expected checksum; the bad file has been removed. */
export class ChecksumError extends DownloadError {}
