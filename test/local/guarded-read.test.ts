/** The one reader every CLI file read goes through: regular files inside DIR, capped, never a hang. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, ftruncateSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GuardedReader, describeRead } from '../../src/local/guarded-read.js';

let dir: string;
let outside: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-guard-'));
  outside = mkdtempSync(join(tmpdir(), 'shipshape-outside-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

it('reads a regular file inside the root, and a link to one inside', () => {
  writeFileSync(join(dir, 'a.txt'), 'hello');
  symlinkSync('a.txt', join(dir, 'b.txt'));
  const reader = new GuardedReader(dir);
  expect(reader.read('a.txt', 100)).toEqual({ kind: 'file', bytes: Buffer.from('hello') });
  expect(reader.read('b.txt', 100)).toEqual({ kind: 'file', bytes: Buffer.from('hello') });
  expect(reader.read('missing', 100)).toEqual({ kind: 'absent' });
});

it('never follows a link out of the root, to a file or through a linked folder', () => {
  writeFileSync(join(outside, 'secret.yml'), 'rules: {}\n');
  mkdirSync(join(dir, '.github'));
  symlinkSync(join(outside, 'secret.yml'), join(dir, '.github/shipshape.yml'));
  symlinkSync(outside, join(dir, 'linked'));
  symlinkSync('../../etc/passwd', join(dir, 'relative-escape'));
  const reader = new GuardedReader(dir);
  const read = reader.read('.github/shipshape.yml', 1000);
  expect(read).toMatchObject({ kind: 'outside' });
  expect(describeRead('.github/shipshape.yml', read as never, 1000)).toMatch(
    /symbolic link that leads out of the checked directory .*not read/,
  );
  expect(reader.read('linked/secret.yml', 1000)).toMatchObject({ kind: 'outside' });
  expect(reader.read('relative-escape', 1000)).toMatchObject({ kind: 'outside' });
});

it('a link to /dev/zero, a FIFO and a directory are refused at once, not read', () => {
  symlinkSync('/dev/zero', join(dir, 'zero'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  mkdirSync(join(dir, '.gitignore'));
  const reader = new GuardedReader(dir);
  const started = Date.now();
  expect(reader.read('zero', 1000)).toMatchObject({ kind: 'outside', target: '/dev/zero' });
  expect(reader.read('fifo', 1000)).toEqual({ kind: 'not-a-file', what: 'a named pipe (FIFO)' });
  expect(reader.read('.gitignore', 1000)).toEqual({ kind: 'not-a-file', what: 'a directory' });
  expect(Date.now() - started).toBeLessThan(1000);
  // A device inside the allowed roots is refused by its kind, not by its place.
  expect(new GuardedReader('/dev').read('/dev/zero', 1000)).toEqual({ kind: 'not-a-file', what: 'a device' });
});

it('a 3 GB file is refused by its size before any byte is read', () => {
  const fd = openSync(join(dir, 'huge.yml'), 'w');
  ftruncateSync(fd, 3 * 1024 ** 3); // sparse: no disk used
  closeSync(fd);
  const read = new GuardedReader(dir).read('huge.yml', 1024 * 1024);
  expect(read).toEqual({ kind: 'too-large', size: 3 * 1024 ** 3 });
  expect(describeRead('huge.yml', read as never, 1024 * 1024)).toBe(
    'huge.yml is 3072 MB, over the 1 MB that Shipshape reads, so it was not read',
  );
});

it('reads names that are not UTF-8, given as bytes', () => {
  const name = Buffer.from([0x72, 0xe9, 0x70]); // "rép" in Latin-1
  const path = Buffer.concat([Buffer.from(dir + '/'), name]);
  mkdirSync(path);
  writeFileSync(Buffer.concat([path, Buffer.from('/f.txt')]), 'x');
  expect(new GuardedReader(dir).read(Buffer.concat([name, Buffer.from('/f.txt')]), 10)).toEqual({ kind: 'file', bytes: Buffer.from('x') });
});
