// Loaded with `node --import ./test/helpers/fs-fault-hook.mjs` into a CLI run or a worker: makes the
// file functions fail as a full disk or a permission problem would, for paths that match, so the
// product's own error handling is exercised in its own process. Configured by CHAR_RNN_FS_FAULT, JSON:
//   { "op": "readFile" | "open" | "write", "match": "substring of the path", "code": "EACCES" | "ENOSPC" | ..., "after": 0 }
// "readFile" fails whole-file reads and opens for reading (a chunked read) of matching paths.
// "write" fails FileHandle.write on files opened for writing whose path matches; "after" lets that
// many matching calls succeed first. "slow-write" makes each FileHandle.write of a matching file opened
// for writing wait "ms" milliseconds first (a save that is in progress when a signal comes).
// Without the variable nothing changes.
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const spec = process.env.CHAR_RNN_FS_FAULT ? JSON.parse(process.env.CHAR_RNN_FS_FAULT) : null;

function fault(op, path) {
  const e = new Error(`${spec.code}: injected fault, ${op} '${path}'`);
  e.code = spec.code;
  e.errno = -28;
  e.syscall = op;
  e.path = path;
  return e;
}

if (spec) {
  let seen = 0;
  const matches = (path) => String(path).includes(spec.match) && seen++ >= (spec.after ?? 0);
  if (spec.op === 'readFile') {
    const readFile = fsPromises.readFile;
    fsPromises.readFile = async (path, ...rest) => {
      if (matches(path)) throw fault('open', String(path));
      return readFile(path, ...rest);
    };
    const open = fsPromises.open;
    fsPromises.open = async (path, flags, ...rest) => {
      if ((flags === undefined || flags === 'r') && matches(path)) throw fault('open', String(path));
      return open(path, flags, ...rest);
    };
    const readFileSync = fs.readFileSync;
    fs.readFileSync = (path, ...rest) => {
      if (matches(path)) throw fault('open', String(path));
      return readFileSync(path, ...rest);
    };
  } else if (spec.op === 'slow-write') {
    const open = fsPromises.open;
    fsPromises.open = async (path, flags, ...rest) => {
      const handle = await open(path, flags, ...rest);
      if (typeof flags === 'string' && /[wax+]/.test(flags) && String(path).includes(spec.match)) {
        const write = handle.write.bind(handle);
        handle.write = async (...args) => {
          await new Promise((resolve) => setTimeout(resolve, spec.ms ?? 1000));
          return write(...args);
        };
      }
      return handle;
    };
  } else if (spec.op === 'open' || spec.op === 'write') {
    const open = fsPromises.open;
    fsPromises.open = async (path, flags, ...rest) => {
      const writing = typeof flags === 'string' && /[wax+]/.test(flags);
      if (spec.op === 'open' && matches(path)) throw fault('open', String(path));
      const handle = await open(path, flags, ...rest);
      if (spec.op === 'write' && writing && String(path).includes(spec.match)) {
        const write = handle.write.bind(handle);
        handle.write = async (...args) => {
          if (seen++ >= (spec.after ?? 0)) throw fault('write', String(path));
          return write(...args);
        };
      }
      return handle;
    };
  }
  syncBuiltinESMExports();
}
