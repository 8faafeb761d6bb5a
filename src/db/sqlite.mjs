// The SQLite binding for this Node. better-sqlite3 12 (a compiled addon) aborts the process on
// Node 24 when one of its statements is garbage-collected ("Assertion failed: (env) != nullptr"
// in RemoveEnvironmentCleanupHook, WiseLibs/better-sqlite3#1515); 13 (Node-API, prebuilt in its
// package) fixes that but crashes on Node 20. So Node 24 and later load 13 (installed as
// `better-sqlite3-napi`), older ones 12. Plain JavaScript: the checkpoint worker thread loads it too.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const major = Number(process.versions.node.split('.')[0]);
const name = major >= 24 ? 'better-sqlite3-napi' : 'better-sqlite3';

let SQLite;
try {
  SQLite = require(name);
} catch (err) {
  throw new Error(`SQLite could not be loaded (${name} on Node ${process.versions.node}): ${err.message}. better-sqlite3 is compiled when it is installed on Node 20 and 22: run npm ci again with python3, make and a C++ compiler present.`);
}

export default SQLite;
