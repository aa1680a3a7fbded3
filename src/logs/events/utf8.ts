/** UTF-8 size of a message: what storedBytes and the PutLogEvents size limits count. */
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
