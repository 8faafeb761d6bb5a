// Runs eSpeak NG (the npm `espeak-ng` package: the espeak-ng command line compiled to WASM, with
// its voice data embedded). eSpeak NG is GPL-3.0, so this script is its own process, started by
// voice.ts with `node`; nothing of it is loaded into the (MIT) platform.
//
// stdin:  JSON {"segments":[{"text":"...","voice":"en-us+f3","rate":175,"pitch":50}, ...]}
// stdout: for each segment in order, a 4-byte little-endian length and then that many bytes of WAV
//         (16-bit mono, 22050 Hz: what eSpeak NG writes with -w).
// A failure is a message on stderr and exit code 1.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const entry = require.resolve('espeak-ng');
const { default: ESpeakNG } = await import(new URL(`file://${entry}`).href);

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The CLI's arguments for one segment; the text goes through a file so it can never be read as an option. */
function cliArguments(seg) {
  return ['-b', '1', '-v', seg.voice, '-s', String(Math.round(seg.rate)), '-p', String(Math.round(seg.pitch)), '-w', '/out.wav', '-f', '/in.txt'];
}

async function speak(compiled, seg) {
  const messages = [];
  const mod = await ESpeakNG({
    arguments: cliArguments(seg),
    // Compiling the 18 MB module once and instantiating it per segment keeps each call cheap;
    // a fresh instance per call because the CLI's main() is not meant to run twice.
    // eSpeak seeds its breath noise from the clock: a fixed clock makes the same request give the
    // same audio.
    instantiateWasm(imports, receive) {
      const env = { ...imports.env, emscripten_date_now: () => 0 };
      WebAssembly.instantiate(compiled, { ...imports, env }).then((instance) => receive(instance));
      return {};
    },
    preRun: [(m) => m.FS.writeFile('/in.txt', seg.text)],
    print: (s) => messages.push(s),
    printErr: (s) => messages.push(s),
  });
  try {
    return Buffer.from(mod.FS.readFile('/out.wav'));
  } catch {
    throw new Error(`espeak-ng wrote no audio for voice ${seg.voice}: ${messages.join(' ').slice(0, 300)}`);
  }
}

try {
  const { segments } = JSON.parse(await readStdin());
  if (!Array.isArray(segments)) throw new Error('expected {"segments": [...]}');
  const compiled = await WebAssembly.compile(readFileSync(join(dirname(entry), 'espeak-ng.wasm')));
  for (const seg of segments) {
    const wav = await speak(compiled, seg);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(wav.length);
    process.stdout.write(len);
    process.stdout.write(wav);
  }
} catch (e) {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
