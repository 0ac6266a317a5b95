// Packaging check that runs without network: electron-builder packs the built app (`--linux dir`)
// around a stand-in Electron folder, then we read back what an installer would ship — the files in
// app.asar and the Electron fuses flipped in the binary. Installers themselves (AppImage, deb, dmg,
// nsis) need downloads and are built by `npm run dist` on a machine with network access.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const asar = require('@electron/asar');
const { getCurrentFuseWire, FuseV1Options } = require('@electron/fuses');

const results = [];
const check = (name, ok, detail = '') => {
  results.push(ok);
  console.log(`${ok ? '✔' : '✖'} ${name}${ok || !detail ? '' : `: ${detail}`}`);
};

if (!existsSync('dist/renderer/index.html') || !existsSync('dist/main/index.cjs')) {
  const b = spawnSync('sh', ['-c', 'npm run -s build:renderer && npm run -s build:main'], { stdio: 'inherit' });
  if (b.status !== 0) check('build the app before packing it', false, `exit ${b.status}`);
}

// ---- configuration an installer needs (read without building one) ----
{
  const yaml = readFileSync('electron-builder.yml', 'utf8');
  const pkgJson = JSON.parse(readFileSync('package.json', 'utf8'));
  const artifact = /^artifactName:\s*(\S+)\s*$/m.exec(yaml)?.[1] ?? '';
  check('artifactName has no spaces and names version, os and arch', artifact !== '' && !/\s/.test(artifact) && ['${version}', '${os}', '${arch}', '${ext}'].every((v) => artifact.includes(v)), artifact);
  check('package.json names an author and a homepage', Boolean(pkgJson.author?.name) && /^https:\/\//.test(pkgJson.homepage ?? ''));
  check('the icon source is an SVG in build/', existsSync('build/icon.svg') && readFileSync('build/icon.svg', 'utf8').includes('<svg'));
  const png = (file) => { const b = readFileSync(file); return b.subarray(1, 4).toString() === 'PNG' ? [b.readUInt32BE(16), b.readUInt32BE(20)] : null; };
  check('build/icon.png is 1024 px (made into .icns and .ico)', existsSync('build/icon.png') && String(png('build/icon.png')) === '1024,1024');
  for (const n of [16, 32, 48, 64, 128, 256, 512]) {
    const f = `build/icons/${n}x${n}.png`;
    check(`Linux icon ${f}`, existsSync(f) && String(png(f)) === `${n},${n}`);
  }
  check('a .ckpt file association', /fileAssociations:\s*\n\s*- ext: ckpt/.test(yaml));
  check('a Linux desktop entry with name, comment, categories and the .ckpt MIME type',
    ['Name:', 'Comment:', 'Categories:', 'MimeType: application/x-char-rnn-checkpoint'].every((k) => yaml.includes(k)));
}

const work = mkdtempSync(join(tmpdir(), 'char-rnn-pack-'));
try {
  // A stand-in for Electron's unpacked distribution: an executable holding the fuse wire
  // (sentinel, wire version 1, fuse count, one byte per fuse — '1' on, '0' off, as Electron ships).
  const standin = join(work, 'electron-dist');
  mkdirSync(standin);
  const electronVersion = require('electron/package.json').version;
  const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
  const fuses = Buffer.from('10110001', 'ascii');
  writeFileSync(join(standin, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), sentinel, Buffer.from([1, fuses.length]), fuses]));
  chmodSync(join(standin, 'electron'), 0o755);
  writeFileSync(join(standin, 'version'), electronVersion);

  const out = join(work, 'out');
  const r = spawnSync('npx', ['electron-builder', '--config', 'electron-builder.yml', '--linux', 'dir',
    `-c.electronDist=${standin}`, `-c.electronVersion=${electronVersion}`, `-c.directories.output=${out}`], { encoding: 'utf8' });
  check('electron-builder --linux dir packs the app', r.status === 0, (r.stderr || r.stdout).split('\n').filter((l) => l.includes('⨯')).join(' ') || `exit ${r.status}`);
  if (r.status === 0) {
    const appDir = join(out, 'linux-unpacked');
    const files = asar.listPackage(join(appDir, 'resources', 'app.asar')).map((f) => f.replaceAll('\\', '/'));
    for (const f of ['/package.json', '/dist/main/index.cjs', '/dist/preload/index.cjs', '/dist/worker/index.cjs', '/dist/renderer/index.html']) {
      check(`app.asar contains ${f}`, files.includes(f));
    }
    check('app.asar has no node_modules (everything is bundled)', !files.some((f) => f.includes('/node_modules/')), files.filter((f) => f.includes('node_modules')).slice(0, 3).join(', '));
    check('app.asar has no sources, tests or source maps', !files.some((f) => /^\/(core|main|renderer|test)\//.test(f) || f.endsWith('.map')));
    const pkg = JSON.parse(asar.extractFile(join(appDir, 'resources', 'app.asar'), 'package.json').toString());
    check('DevTools only in development: the window turns them off when packaged, the menu lists them only unpackaged',
      /devTools: !app\.isPackaged/.test(readFileSync('main/electron/window.ts', 'utf8')) &&
      /isDev: !app\.isPackaged/.test(readFileSync('main/electron/desktop.ts', 'utf8')));
    check('package.json "main" points into the asar', files.includes('/' + pkg.main.replace(/^\.\//, '')), pkg.main);

    const wire = await getCurrentFuseWire(join(appDir, 'char-rnn-studio'));
    const want = {
      RunAsNode: '0', EnableNodeOptionsEnvironmentVariable: '0', EnableNodeCliInspectArguments: '0',
      EnableEmbeddedAsarIntegrityValidation: '1', OnlyLoadAppFromAsar: '1', GrantFileProtocolExtraPrivileges: '0',
    };
    for (const [name, value] of Object.entries(want)) {
      const got = String.fromCharCode(wire[FuseV1Options[name]]);
      check(`fuse ${name} is ${value === '1' ? 'on' : 'off'}`, got === value, `found '${got}'`);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const failed = results.filter((ok) => !ok).length;
console.log(`packaging: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
